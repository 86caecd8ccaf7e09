import Foundation
import Testing
import GlassDynamics

/// Every instruction-set path of the C kernels that this CPU runs gives the same bits as every
/// other and as the Swift reference kernel: couplings, stored matrices, K m, column updates and
/// whole solves.
@Suite struct SIMDPathTests {
    static func system(n: Int, seed: UInt64 = 31, realization: Int = 2, poisson: Bool = false) -> TLSSystem {
        var p = TLSParameters()
        p.sites = n
        if poisson { p.box = .poisson }
        return TLSSystem(parameters: p, seed: seed, realization: realization)
    }

    static func bits(_ v: SIMD4<Float>) -> SIMD4<UInt32> { unsafeBitCast(v, to: SIMD4<UInt32>.self) }

    /// Pair kernel of each path against the Swift reference (`referenceUpperChunk` etc.), on
    /// every valid lane of rows, column quads and arbitrary pairs, N not a multiple of 8.
    @Test(arguments: SIMDPath.supported)
    func pairKernelMatchesTheSwiftReference(path: SIMDPath) throws {
        for poisson in [false, true] {
            let n = 1003
            let kernel = TLSPairKernel(system: Self.system(n: n, poisson: poisson), simd: path)
            #expect(kernel.simd == path)
            var checked = 0
            for a in stride(from: 0, to: n, by: 7) {
                var b0 = (a + 1) & ~7
                while b0 < n {
                    let (lo, hi) = kernel.upperChunk(a, b0), (rlo, rhi) = kernel.referenceUpperChunk(a, b0)
                    for k in 0..<8 where b0 + k > a && b0 + k < n {
                        #expect((k < 4 ? Self.bits(lo)[k] : Self.bits(hi)[k - 4]) == (k < 4 ? Self.bits(rlo)[k] : Self.bits(rhi)[k - 4]))
                        checked += 1
                    }
                    b0 += 8 * 5
                }
            }
            #expect(checked > 10_000)
            for b in stride(from: 9, to: n, by: 13) {
                for k0 in stride(from: 0, to: b & ~3, by: 4) {
                    let q = kernel.lowerQuad(k0, larger: b), r = kernel.referenceLowerQuad(k0, larger: b)
                    for t in 0..<4 where k0 + t < b {
                        #expect(Self.bits(q.member)[t] == Self.bits(r.member)[t])
                        if k0 + t < (b ^ 4) && (b ^ 4) < n { #expect(Self.bits(q.partner)[t] == Self.bits(r.partner)[t]) }
                    }
                }
            }
            var w = PairKernelTests.Words(state: 77)
            for _ in 0..<2000 {
                var a = SIMD4<Int>(), b = SIMD4<Int>()
                for t in 0..<4 {
                    let i = Int(w.unit() * Double(n)), j = Int(w.unit() * Double(n))
                    if i == j { a[t] = 0; b[t] = 1 } else { a[t] = Swift.min(i, j); b[t] = Swift.max(i, j) }
                }
                #expect(Self.bits(kernel.pairs(a, b)) == Self.bits(kernel.referencePairs(a, b)))
            }
        }
    }

    /// The electron glass's Coulomb rows (minimum image, rounded to float) of each path against
    /// the Swift reference, bit for bit, including separations of exactly half the box (ties of
    /// the minimum image) and N not a multiple of 8; the stored matrix of each path equals the
    /// rows, is symmetric, and a recycled buffer gives the same matrix.
    @Test(arguments: SIMDPath.supported)
    func coulombRowsMatchTheSwiftReference(path: SIMDPath) throws {
        var p = EGParameters()
        p.sites = 203
        let system = EGSystem(parameters: p, seed: 5, realization: 1)
        let box = system.box, n = box.count, ld = (n + 7) & ~7, side = box.side
        var xs = [Double](repeating: 0, count: ld), ys = xs
        for i in 0..<n { xs[i] = box.coordinate(i, 0); ys[i] = box.coordinate(i, 1) }
        // Three sites exactly half a box apart from site 0 along x, y and both.
        xs[1] = xs[0] + side / 2 <= side ? xs[0] + side / 2 : xs[0] - side / 2; ys[1] = ys[0]
        xs[2] = xs[0]; ys[2] = ys[0] + side / 2 <= side ? ys[0] + side / 2 : ys[0] - side / 2
        xs[3] = xs[1]; ys[3] = ys[2]
        var row = [Float](repeating: 0, count: ld), reference = row
        let kernels = path.kernels
        for i in 0..<n {
            xs.withUnsafeBufferPointer { x in
                ys.withUnsafeBufferPointer { y in
                    row.withUnsafeMutableBufferPointer {
                        kernels.coulomb_row(x.baseAddress!, y.baseAddress!, x[i], y[i], side, 1.5, Int64(ld), $0.baseAddress!)
                        $0[i] = 0
                        for j in n..<ld { $0[j] = 0 }
                    }
                    reference.withUnsafeMutableBufferPointer {
                        SinglePrecisionCouplings.coulombRowReference(i, x: x, y: y, side: side, e2: 1.5, count: n,
                                                                     into: $0.baseAddress!)
                    }
                }
            }
            #expect(row.map(\.bitPattern) == reference.map(\.bitPattern), "row \(i)")
        }
        let pool = MatrixBufferPool()
        for _ in 0..<2 {
            let k = SinglePrecisionCouplings(coulomb: box, chargeSquared: 1.5, threads: 2, pool: pool, simd: path)
            for i in stride(from: 0, to: n, by: 17) {
                for j in 0..<n {
                    #expect(k.coupling(i, j) == k.coupling(j, i))
                    #expect(k.coupling(i, j) == (i == j ? 0 : Double(Float(1.5 / box.distance(i, j)))))
                }
            }
        }
    }

    /// The stored matrix, K m with row sums, and a batch of column updates: bit for bit the same
    /// on every path (N = 1100 spans three canonical blocks), and K m equals the Swift reference
    /// of the canonical segment sums.
    @Test func storedMatrixAndProductsAreIdenticalOnEveryPath() throws {
        let n = 1100
        let system = Self.system(n: n)
        let m = CouplingStorageTests.randomVector(n, seed: 3)
        var matrices = [[UInt32]](), products = [[Double]](), updates = [[Double]]()
        for path in SIMDPath.supported {
            let stored = StoredTLSCouplings(system: system, threads: 2, simd: path)
            #expect(stored.simd == path)
            matrices.append((0..<n).flatMap { i in (0..<n).map { j in Float(stored[i, j]).bitPattern } })
            var out = [Double](repeating: 0, count: n), sums = out
            m.withUnsafeBufferPointer { mp in
                out.withUnsafeMutableBufferPointer { op in
                    sums.withUnsafeMutableBufferPointer { sp in stored.multiply(mp, into: op, absoluteRowSums: sp) }
                }
            }
            products.append(out + sums)
            var field = CouplingStorageTests.randomVector(n, seed: 4)
            let columns = [700, 704, 3, 1099, 512], scales = CouplingStorageTests.randomVector(5, seed: 6)
            columns.withUnsafeBufferPointer { cp in
                scales.withUnsafeBufferPointer { sp in
                    field.withUnsafeMutableBufferPointer { stored.addColumns(cp, scales: sp, to: $0, skipping: 640..<768) }
                }
            }
            updates.append(field)
        }
        #expect(!SIMDPath.supported.isEmpty)
        for k in matrices.indices {
            #expect(matrices[k] == matrices[0])
            #expect(products[k].map(\.bitPattern) == products[0].map(\.bitPattern))
            #expect(updates[k].map(\.bitPattern) == updates[0].map(\.bitPattern))
        }
        // K m of row i by the Swift reference segments, from the stored floats.
        let stored = StoredTLSCouplings(system: system)
        let padded = (n + 7) & ~7
        let row = (0..<padded).map { j in j < n ? Float(stored[5, j]) : 0 }
        let mp = m + [Double](repeating: 0, count: padded - n)
        var total = SIMD4<Double>()
        var b = 0
        while b < padded {
            let len = Swift.min(CanonicalOrder.block, padded - b)
            total += CanonicalOrder.referenceSegment(row.withUnsafeBufferPointer { $0.baseAddress! + b },
                                                     mp.withUnsafeBufferPointer { $0.baseAddress! + b }, count: len).0
            b += len
        }
        #expect(CanonicalOrder.total(total).bitPattern == products[0][5].bitPattern)
    }

    /// Whole solves (stored and matrix-free) reach bit-identical D on every path.
    @Test func solvesAreBitIdenticalOnEveryPath() throws {
        let system = Self.system(n: 700, seed: 23, realization: 0)
        var solutions = [[UInt64]]()
        for path in SIMDPath.supported {
            let (d, r) = TLSMeanField.solve(system, couplings: StoredTLSCouplings(system: system, threads: 2, simd: path))
            #expect(r.converged)
            solutions.append(d.map(\.bitPattern))
            let (d2, _) = TLSMeanField.solve(system, couplings: MatrixFreeTLSCouplings(system: system, threads: 2, simd: path))
            solutions.append(d2.map(\.bitPattern))
            let cut = CutoffTLSCouplings(system: system, cutoff: 3, simd: path)
            let (d3, _) = TLSMeanField.solve(system, couplings: cut)
            solutions.append(d3.map(\.bitPattern))
        }
        for k in solutions.indices { #expect(solutions[k] == solutions[k % 3]) }
        #expect(solutions[0] == solutions[1])
    }

    /// `GLASSDYN_SIMD`: unset or empty gives the widest path, a name gives that path (any case),
    /// an unknown name or a path this CPU lacks is refused.
    @Test func environmentOverrideChoosesOrRefuses() throws {
        let name = SIMDPath.environmentVariable
        #expect(try SIMDPath.resolve(environment: [:]) == SIMDPath.best)
        #expect(try SIMDPath.resolve(environment: [name: ""]) == SIMDPath.best)
        #expect(try SIMDPath.resolve(environment: [name: "SSE2"]) == .sse2)
        for path in SIMDPath.allCases {
            if path.isSupported {
                #expect(try SIMDPath.resolve(environment: [name: path.rawValue]) == path)
            } else {
                #expect(throws: GlassDynamicsError.self) { try SIMDPath.resolve(environment: [name: path.rawValue]) }
            }
        }
        #expect(throws: GlassDynamicsError.self) { try SIMDPath.resolve(environment: [name: "neon"]) }
        #expect(SIMDPath.supported.first == .sse2)
        #expect(SIMDPath.current.isSupported)
    }
}
