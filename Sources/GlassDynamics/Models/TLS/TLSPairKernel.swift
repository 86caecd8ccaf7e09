import CGlassKernels

/// The TLS couplings J_ij = J u_ij / r_ij^3, eight pairs at a time.
///
/// The one definition of a coupling value, shared by every storage (stored matrix,
/// matrix-free, cutoff): u_ij from ``PairNormals``, r_ij the minimum-image distance
/// (d - L round(d / L) per axis, ties to even), r^-3 from ``VectorMath/reciprocalSquareRoot(_:)``,
/// the product J u r^-3 in double precision, then rounded once to single precision.
///
/// Why single precision: a stored matrix of floats takes half the memory and half the memory
/// traffic of doubles (0.4 GB at N = 1e4). The rounding is part of the definition, so the
/// matrix-free kernel regenerates exactly the stored numbers and every storage solves the same
/// equations; it changes each u_ij by at most 3e-8 relative, far below any physical effect
/// of a Gaussian coupling.
///
/// Positions are kept as padded structure-of-arrays copies (O(N) memory) so a chunk of eight
/// sites loads with two vector loads per axis.
///
/// The chunk functions run the C kernels of ``SIMDPath`` (`simd`, the process's path unless
/// given); the Swift versions below (`reference...`) compute the same bits and serve the tests
/// as an independent route.
package final class TLSPairKernel: @unchecked Sendable {
    // @unchecked: the buffers are written only in init and freed in deinit.
    package typealias D4 = SIMD4<Double>
    package let count: Int
    /// `count` rounded up to a multiple of 8: every chunk of eight sites is addressable.
    package let paddedCount: Int
    package let side: Double
    package let interaction: Double
    let inverseSide: Double
    let x: UnsafeMutablePointer<Double>
    let y: UnsafeMutablePointer<Double>
    let z: UnsafeMutablePointer<Double>
    let normals: PairNormals
    /// The instruction-set path of the C kernels.
    package let simd: SIMDPath
    let kernels: glass_kernels
    /// Positions, box, J and Philox keys as the C kernels read them.
    let context: UnsafeMutablePointer<glass_tls_kernel>

    package init(system: TLSSystem, simd: SIMDPath = .current) {
        let n = system.parameters.sites
        count = n
        paddedCount = (n + 7) & ~7
        side = system.box.side
        inverseSide = 1 / system.box.side
        interaction = system.parameters.interaction
        normals = PairNormals(system.streams)
        x = .allocate(capacity: paddedCount)
        y = .allocate(capacity: paddedCount)
        z = .allocate(capacity: paddedCount)
        let d = system.box.dimension
        for i in 0..<paddedCount {
            let inside = i < n
            x[i] = inside ? system.box.coordinates[i * d] : 0
            y[i] = inside ? system.box.coordinates[i * d + 1] : 0
            z[i] = inside ? system.box.coordinates[i * d + 2] : 0
        }
        self.simd = simd
        kernels = simd.kernels
        var c = glass_tls_kernel()
        c.x = UnsafePointer(x)
        c.y = UnsafePointer(y)
        c.z = UnsafePointer(z)
        c.side = side
        c.inverse_side = inverseSide
        c.interaction = interaction
        var k0 = system.streams.generator.key.0, k1 = system.streams.generator.key.1
        withUnsafeMutableBytes(of: &c.key0) { key0 in
            withUnsafeMutableBytes(of: &c.key1) { key1 in
                for round in 0..<10 {
                    if round > 0 {
                        k0 &+= 0x9E37_79B9
                        k1 &+= 0xBB67_AE85
                    }
                    key0.storeBytes(of: k0, toByteOffset: 4 * round, as: UInt32.self)
                    key1.storeBytes(of: k1, toByteOffset: 4 * round, as: UInt32.self)
                }
            }
        }
        c.realization = system.streams.realization
        c.purpose = PairNormals.purpose
        context = .allocate(capacity: 1)
        context.initialize(to: c)
    }

    deinit {
        context.deallocate()
        x.deallocate()
        y.deallocate()
        z.deallocate()
    }

    @inline(__always)
    func load(_ p: UnsafeMutablePointer<Double>, _ offset: Int) -> D4 {
        UnsafeRawPointer(p + offset).loadUnaligned(as: D4.self)
    }

    /// Minimum-image separation along one axis (odd in d, so r_ij = r_ji bit for bit).
    @inline(__always)
    static func wrap(_ d: D4, side: Double, inverseSide: Double) -> D4 {
        d - VectorMath.roundToNearest(d * D4(repeating: inverseSide)) * D4(repeating: side)
    }

    /// r^-3 for separations (dx, dy, dz) before wrapping (unspecified where r = 0).
    @inline(__always)
    static func inverseCube(_ dx: D4, _ dy: D4, _ dz: D4, side: Double, inverseSide: Double) -> D4 {
        let wx = wrap(dx, side: side, inverseSide: inverseSide)
        let wy = wrap(dy, side: side, inverseSide: inverseSide)
        let wz = wrap(dz, side: side, inverseSide: inverseSide)
        let r2: D4 = wx * wx + wy * wy + wz * wz
        let g = VectorMath.reciprocalSquareRoot(r2)
        return g * g * g
    }

    /// J u r^-3 rounded to single precision.
    @inline(__always)
    static func finish(_ u: D4, _ g: D4, interaction: Double) -> SIMD4<Float> {
        SIMD4<Float>(D4(repeating: interaction) * u * g)
    }

    /// r^-3 from site i to the four sites b0..<b0 + 4 (garbage where the distance is 0).
    @inline(__always)
    func inverseCubes(_ i: Int, _ b0: Int) -> D4 {
        Self.inverseCube(D4(repeating: x[i]) - load(x, b0), D4(repeating: y[i]) - load(y, b0),
                         D4(repeating: z[i]) - load(z, b0), side: side, inverseSide: inverseSide)
    }

    @inline(__always)
    func finish(_ u: D4, _ g: D4) -> SIMD4<Float> { Self.finish(u, g, interaction: interaction) }

    /// K_ij of one pair computed from the system directly (no padded copies), with the same
    /// arithmetic as the chunk kernels: `TLSSystem.coupling` uses it.
    package static func coupling(in system: TLSSystem, _ i: Int, _ j: Int) -> Double {
        if i == j { return 0 }
        let a = Swift.min(i, j), b = Swift.max(i, j)
        let u = PairNormals(system.streams).column(SIMD4(repeating: UInt32(truncatingIfNeeded: a)), larger: b).member
        let box = system.box
        func delta(_ k: Int) -> D4 { D4(repeating: box.coordinate(b, k) - box.coordinate(a, k)) }
        let g = inverseCube(delta(0), delta(1), delta(2), side: box.side, inverseSide: 1 / box.side)
        return Double(finish(u, g, interaction: system.parameters.interaction)[0])
    }

    /// K[a, b0 + k], k = 0..<8 (b0 a multiple of 8), valid where b0 + k > a and b0 + k < N:
    /// four Philox blocks for eight pairs. Other lanes hold unspecified values.
    @inline(__always)
    package func upperChunk(_ a: Int, _ b0: Int) -> (SIMD4<Float>, SIMD4<Float>) {
        var out = (SIMD4<Float>(), SIMD4<Float>())
        withUnsafeMutableBytes(of: &out) { raw in
            row(a, from: b0, to: b0 + 8, into: raw.baseAddress!.assumingMemoryBound(to: Float.self) - b0)
        }
        return out
    }

    /// row[b] = K[a, b] for b in b0..<b1 (multiples of 8), valid where b > a and b < N; other
    /// entries get unspecified values. One C call for the whole segment (the stored build).
    @inline(__always)
    package func row(_ a: Int, from b0: Int, to b1: Int, into row: UnsafeMutablePointer<Float>) {
        kernels.tls_row(context, Int64(a), Int64(b0), Int64(b1), row)
    }

    /// K[k, b] for the four sites k = k0..<k0 + 4, all below b, and the same for b' = b xor 4
    /// (valid where k < b'): four Philox blocks for up to eight pairs.
    @inline(__always)
    package func lowerQuad(_ k0: Int, larger b: Int) -> (member: SIMD4<Float>, partner: SIMD4<Float>) {
        var member = SIMD4<Float>(), partner = SIMD4<Float>()
        withUnsafeMutableBytes(of: &member) { m in
            withUnsafeMutableBytes(of: &partner) { p in
                kernels.tls_lower_quad(context, Int64(k0), Int64(b), m.baseAddress!.assumingMemoryBound(to: Float.self),
                                       p.baseAddress!.assumingMemoryBound(to: Float.self))
            }
        }
        return (member, partner)
    }

    /// K for four arbitrary pairs (a_k, b_k) with a_k < b_k: one Philox block per pair (the
    /// cutoff couplings use it for neighbour lists).
    @inline(__always)
    package func pairs(_ a: SIMD4<Int>, _ b: SIMD4<Int>) -> SIMD4<Float> {
        var a64 = SIMD4<Int64>(truncatingIfNeeded: a), b64 = SIMD4<Int64>(truncatingIfNeeded: b)
        var out = SIMD4<Float>()
        withUnsafeBytes(of: &a64) { ap in
            withUnsafeBytes(of: &b64) { bp in
                withUnsafeMutableBytes(of: &out) { op in
                    kernels.tls_pairs(context, ap.baseAddress!.assumingMemoryBound(to: Int64.self),
                                      bp.baseAddress!.assumingMemoryBound(to: Int64.self),
                                      op.baseAddress!.assumingMemoryBound(to: Float.self))
                }
            }
        }
        return out
    }

    /// The Swift reference of ``upperChunk(_:_:)`` (same bits, no C).
    package func referenceUpperChunk(_ a: Int, _ b0: Int) -> (SIMD4<Float>, SIMD4<Float>) {
        let (lo, hi) = normals.row(a, chunk: b0)
        return (finish(lo, inverseCubes(a, b0)), finish(hi, inverseCubes(a, b0 + 4)))
    }

    /// The Swift reference of ``lowerQuad(_:larger:)``.
    package func referenceLowerQuad(_ k0: Int, larger b: Int) -> (member: SIMD4<Float>, partner: SIMD4<Float>) {
        let k = UInt32(truncatingIfNeeded: k0)
        let (u, v) = normals.column(SIMD4(k, k &+ 1, k &+ 2, k &+ 3), larger: b)
        return (finish(u, inverseCubes(b, k0)), finish(v, inverseCubes(b ^ 4, k0)))
    }

    /// The Swift reference of ``pairs(_:_:)``.
    package func referencePairs(_ a: SIMD4<Int>, _ b: SIMD4<Int>) -> SIMD4<Float> {
        let u = normals.pairs(SIMD4<UInt32>(truncatingIfNeeded: a), SIMD4<UInt32>(truncatingIfNeeded: b))
        let dx = D4(x[a[0]], x[a[1]], x[a[2]], x[a[3]]) - D4(x[b[0]], x[b[1]], x[b[2]], x[b[3]])
        let dy = D4(y[a[0]], y[a[1]], y[a[2]], y[a[3]]) - D4(y[b[0]], y[b[1]], y[b[2]], y[b[3]])
        let dz = D4(z[a[0]], z[a[1]], z[a[2]], z[a[3]]) - D4(z[b[0]], z[b[1]], z[b[2]], z[b[3]])
        return finish(u, Self.inverseCube(dx, dy, dz, side: side, inverseSide: inverseSide))
    }

    /// Lane indices b0 + (0, 1, 2, 3).
    @inline(__always)
    static func laneIndices(_ b0: Int) -> SIMD4<Int64> {
        SIMD4<Int64>(repeating: Int64(b0)) &+ SIMD4<Int64>(0, 1, 2, 3)
    }

    /// K[i, b0 + k] for k = 0..<8 exactly, for any i and any chunk b0 (a multiple of 8):
    /// zero on the diagonal and beyond N.
    @inline(__always)
    package func chunk(_ i: Int, _ b0: Int) -> (D4, D4) {
        var lo = D4(), hi = D4()
        if b0 > i {
            let (a, b) = upperChunk(i, b0)
            lo = D4(a)
            hi = D4(b)
        } else if b0 + 8 <= i {
            lo = D4(lowerQuad(b0, larger: i).member)
            hi = D4(lowerQuad(b0 + 4, larger: i).member)
        } else {
            // The chunk holds i: lanes above i from the row, lanes below from the columns.
            let (ua, ub) = upperChunk(i, b0)
            let la = lowerQuad(b0, larger: i).member, lb = lowerQuad(b0 + 4, larger: i).member
            let ia = Self.laneIndices(b0), ib = Self.laneIndices(b0 + 4)
            let me = SIMD4<Int64>(repeating: Int64(i))
            lo = D4(la).replacing(with: D4(ua), where: ia .> me)
            hi = D4(lb).replacing(with: D4(ub), where: ib .> me)
            lo = lo.replacing(with: 0, where: ia .== me)
            hi = hi.replacing(with: 0, where: ib .== me)
        }
        if b0 + 8 > count {
            let limit = SIMD4<Int64>(repeating: Int64(count))
            lo = lo.replacing(with: 0, where: Self.laneIndices(b0) .>= limit)
            hi = hi.replacing(with: 0, where: Self.laneIndices(b0 + 4) .>= limit)
        }
        return (lo, hi)
    }

    /// K_ij for one pair (0 on the diagonal), exactly as the chunk kernels give it.
    package func coupling(_ i: Int, _ j: Int) -> Double {
        let (lo, hi) = chunk(i, j & ~7)
        let k = j & 7
        return k < 4 ? lo[k] : hi[k - 4]
    }
}
