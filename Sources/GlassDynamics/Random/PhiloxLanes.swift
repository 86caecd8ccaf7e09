/// Philox4x32-10 evaluated for four counters at once (same key), for the pair kernels.
///
/// The four blocks' 32-bit words are packed two per 64-bit lane, so each of the ten rounds
/// is a handful of 64-bit vector operations: the 32 x 32 -> 64-bit products come from the
/// even and odd words separately (x86 `pmuludq`, ARM `umull`), and hi/lo are re-packed with
/// shifts and masks. The result equals ``Philox4x32/block(_:_:_:_:)`` for each lane exactly
/// (PhiloxLaneTests checks the Random123 known answers and random counters).
package struct PhiloxLanes: Sendable {
    /// Four 32-bit words, one per block, packed as (w0 | w1 << 32, w2 | w3 << 32).
    package typealias Words = SIMD2<UInt64>

    /// Round keys 0...9 for the two key words, each 32-bit value duplicated into both halves
    /// of both lanes.
    @usableFromInline let k0: SIMD16<UInt64>
    @usableFromInline let k1: SIMD16<UInt64>

    package init(_ generator: Philox4x32) {
        var a = generator.key.0, b = generator.key.1
        var r0 = SIMD16<UInt64>(), r1 = SIMD16<UInt64>()
        for round in 0..<10 {
            if round > 0 {
                a &+= 0x9E37_79B9
                b &+= 0xBB67_AE85
            }
            r0[round] = UInt64(a) | UInt64(a) << 32
            r1[round] = UInt64(b) | UInt64(b) << 32
        }
        k0 = r0
        k1 = r1
    }

    /// Packs four 32-bit counters (one per block).
    @inline(__always)
    package static func pack(_ v: SIMD4<UInt32>) -> Words { unsafeBitCast(v, to: Words.self) }

    /// The same 32-bit counter in all four blocks.
    @inline(__always)
    package static func splat(_ v: UInt32) -> Words { Words(repeating: UInt64(v) | UInt64(v) << 32) }

    @inline(__always)
    static func mulHiLo(_ x: Words, _ m: UInt64) -> (hi: Words, lo: Words) {
        let multiplier = Words(repeating: m)
        let low = Words(repeating: 0xFFFF_FFFF)
        let even = (x & low) &* multiplier
        let odd = (x &>> 32) &* multiplier
        let hi = (even &>> 32) | (odd & Words(repeating: 0xFFFF_FFFF_0000_0000))
        let lo = (even & low) | (odd &<< 32)
        return (hi, lo)
    }

    @inline(__always)
    func round(_ x0: inout Words, _ x1: inout Words, _ x2: inout Words, _ x3: inout Words, _ r: Int) {
        let (hi0, lo0) = Self.mulHiLo(x0, 0xD251_1F53)
        let (hi1, lo1) = Self.mulHiLo(x2, 0xCD9E_8D57)
        x0 = hi1 ^ x1 ^ Words(repeating: k0[r])
        x1 = lo1
        x2 = hi0 ^ x3 ^ Words(repeating: k1[r])
        x3 = lo0
    }

    /// The four output words of the blocks at counters (c0, c1, c2, c3), lane by lane.
    @inline(__always)
    package func blocks(_ c0: Words, _ c1: Words, _ c2: Words, _ c3: Words) -> (Words, Words, Words, Words) {
        var x0 = c0, x1 = c1, x2 = c2, x3 = c3
        round(&x0, &x1, &x2, &x3, 0)
        round(&x0, &x1, &x2, &x3, 1)
        round(&x0, &x1, &x2, &x3, 2)
        round(&x0, &x1, &x2, &x3, 3)
        round(&x0, &x1, &x2, &x3, 4)
        round(&x0, &x1, &x2, &x3, 5)
        round(&x0, &x1, &x2, &x3, 6)
        round(&x0, &x1, &x2, &x3, 7)
        round(&x0, &x1, &x2, &x3, 8)
        round(&x0, &x1, &x2, &x3, 9)
        return (x0, x1, x2, x3)
    }

    /// Unpacks one word of the four blocks.
    @inline(__always)
    package static func unpack(_ w: Words) -> SIMD4<UInt32> { unsafeBitCast(w, to: SIMD4<UInt32>.self) }

    /// Uniforms on (0, 1) from two words per block: the top 52 bits of (hi << 32 | lo), as
    /// (2k + 1) / 2^53 (exact: the mantissa is set directly, then 1 is subtracted).
    @inline(__always)
    package static func uniforms(hi: Words, lo: Words) -> SIMD4<Double> {
        let h = unpack(hi), l = unpack(lo)
        let joined = unsafeBitCast(SIMD8<UInt32>(l[0], h[0], l[1], h[1], l[2], h[2], l[3], h[3]),
                                   to: SIMD4<UInt64>.self)
        let mantissa = (joined &>> 12) | SIMD4<UInt64>(repeating: 0x3FF0_0000_0000_0000)
        return (unsafeBitCast(mantissa, to: SIMD4<Double>.self) - SIMD4(repeating: 1))
            + SIMD4(repeating: 0x1p-53)
    }
}
