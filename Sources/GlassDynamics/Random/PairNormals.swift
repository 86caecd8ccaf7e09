/// The standard normals u_ij attached to unordered site pairs, four Philox blocks at a time.
///
/// Definition (a pure function of seed, realization, a = min(i, j), b = max(i, j)): pair {a, b}
/// reads the Philox4x32-10 block at counter
///
///     (a, 4 floor(b / 8) + (b mod 4), realization, 0x8000_0005)
///
/// turns its words into two uniforms u1 = (w0:w1), u2 = (w2:w3) on (0, 1) with 52 random bits
/// each (``PhiloxLanes/uniforms(hi:lo:)``), and takes the Box-Muller pair
/// R (cos 2 pi u2, sin 2 pi u2), R = sqrt(-2 ln u1): u_ab is the cosine member when
/// floor(b / 4) is even and the sine member when it is odd. So b and b + 4 (b mod 8 < 4) share
/// one block and get the two independent normals of one Box-Muller transform, which is exact
/// (the pair (R cos, R sin) of two independent uniforms is exactly a pair of independent
/// standard normals); only rounding (a few ulp, ``VectorMath``) separates it from the ideal law.
///
/// The grouping by 8 lets a kernel sweeping b over 8 consecutive sites evaluate 4 blocks for 8
/// pairs, with no lane shuffles. The counter's top purpose bit keeps pairs apart from every
/// per-site draw (``DrawPurpose``).
package struct PairNormals: Sendable {
    package typealias D4 = SIMD4<Double>
    @usableFromInline let lanes: PhiloxLanes
    @usableFromInline let realizationWord: PhiloxLanes.Words
    @usableFromInline let purposeWord: PhiloxLanes.Words

    /// The purpose word of the pair counters.
    package static let purpose: UInt32 = DrawPurpose.coupling.rawValue | 0x8000_0000

    package init(_ streams: RealizationStreams) {
        lanes = PhiloxLanes(streams.generator)
        realizationWord = PhiloxLanes.splat(streams.realization)
        purposeWord = PhiloxLanes.splat(Self.purpose)
    }

    /// The block index (second counter word) of pair {a, b}, b the larger index.
    @inline(__always)
    package static func blockIndex(_ b: Int) -> UInt32 {
        UInt32(truncatingIfNeeded: (b >> 3) << 2 | (b & 3))
    }

    /// Whether u_ab is the sine member of its block (b the larger index).
    @inline(__always)
    package static func isSineMember(_ b: Int) -> Bool { (b >> 2) & 1 == 1 }

    /// Box-Muller from four blocks: the cosine and sine members.
    @inline(__always)
    func transform(_ c0: PhiloxLanes.Words, _ c1: PhiloxLanes.Words) -> (cos: D4, sin: D4) {
        let (w0, w1, w2, w3) = lanes.blocks(c0, c1, realizationWord, purposeWord)
        let u1 = PhiloxLanes.uniforms(hi: w0, lo: w1)
        let u2 = PhiloxLanes.uniforms(hi: w2, lo: w3)
        let y: D4 = D4(repeating: -2) * VectorMath.log(u1)
        let radius: D4 = y * VectorMath.reciprocalSquareRoot(y)
        let (c, s) = VectorMath.sinCosTwoPi(u2)
        return (radius * c, radius * s)
    }

    /// u_{a, b} for the 8 pairs (a, b0 + k), k = 0..<8, where b0 is a multiple of 8:
    /// lanes k < 4 in `.low`, k >= 4 in `.high`. Only lanes with b0 + k > a are meaningful.
    @inline(__always)
    package func row(_ a: Int, chunk b0: Int) -> (low: D4, high: D4) {
        let c0 = PhiloxLanes.splat(UInt32(truncatingIfNeeded: a))
        let first = UInt32(truncatingIfNeeded: b0 >> 1)
        let c1 = PhiloxLanes.pack(SIMD4(first, first &+ 1, first &+ 2, first &+ 3))
        let (c, s) = transform(c0, c1)
        return (c, s)
    }

    /// u_{a_k, b} for four smaller indices a_k < b, together with the other member of each
    /// block, u_{a_k, b'} with b' = b xor 4 (meaningful where a_k < b').
    @inline(__always)
    package func column(_ a: SIMD4<UInt32>, larger b: Int) -> (member: D4, partner: D4) {
        let c0 = PhiloxLanes.pack(a)
        let c1 = PhiloxLanes.splat(Self.blockIndex(b))
        let (c, s) = transform(c0, c1)
        return Self.isSineMember(b) ? (s, c) : (c, s)
    }

    /// u_{a_k, b_k} for four arbitrary pairs with a_k < b_k (one Philox block each).
    @inline(__always)
    package func pairs(_ a: SIMD4<UInt32>, _ b: SIMD4<UInt32>) -> D4 {
        let block = ((b &>> 3) &<< 2) | (b & 3)
        let (c, s) = transform(PhiloxLanes.pack(a), PhiloxLanes.pack(block))
        let sine = SIMD4<Int64>(truncatingIfNeeded: (b &>> 2) & 1) .== SIMD4<Int64>(repeating: 1)
        return c.replacing(with: s, where: sine)
    }

    /// u_ij for one pair (i != j); symmetric by construction.
    package func normal(_ i: Int, _ j: Int) -> Double {
        let a = Swift.min(i, j), b = Swift.max(i, j)
        return column(SIMD4(repeating: UInt32(truncatingIfNeeded: a)), larger: b).member[0]
    }
}
