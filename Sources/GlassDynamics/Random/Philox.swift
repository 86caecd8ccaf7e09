/// Philox4x32-10, the counter-based generator of Salmon et al. (SC'11, "Parallel random
/// numbers: as easy as 1, 2, 3").
///
/// A counter-based generator is a pure function of (key, counter): the same inputs always give
/// the same 128 random bits, with no state to carry. GlassDynamics keys it by the run seed and
/// uses the counter to address a draw by (purpose, realization, index, index), so a coupling
/// u_ij can be regenerated anywhere (stored matrix, matrix-free kernel, another thread) and
/// every realization owns a stream independent of thread count and shard split.
package struct Philox4x32: Sendable, Hashable {
    /// The 64-bit key, split in two 32-bit words.
    package let key: (UInt32, UInt32)

    package init(seed: UInt64) {
        key = (UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32))
    }

    package static func == (a: Philox4x32, b: Philox4x32) -> Bool { a.key == b.key }
    package func hash(into h: inout Hasher) { h.combine(key.0); h.combine(key.1) }

    /// The 128 random bits at `counter`, as four 32-bit words.
    @inlinable
    package func block(_ c0: UInt32, _ c1: UInt32, _ c2: UInt32, _ c3: UInt32)
        -> (UInt32, UInt32, UInt32, UInt32)
    {
        var x0 = c0, x1 = c1, x2 = c2, x3 = c3
        var k0 = key.0, k1 = key.1
        for round in 0..<10 {
            if round > 0 {
                k0 &+= 0x9E37_79B9
                k1 &+= 0xBB67_AE85
            }
            let p0 = UInt64(0xD251_1F53) &* UInt64(x0)
            let p1 = UInt64(0xCD9E_8D57) &* UInt64(x2)
            let hi0 = UInt32(truncatingIfNeeded: p0 >> 32), lo0 = UInt32(truncatingIfNeeded: p0)
            let hi1 = UInt32(truncatingIfNeeded: p1 >> 32), lo1 = UInt32(truncatingIfNeeded: p1)
            x0 = hi1 ^ x1 ^ k0
            x1 = lo1
            x2 = hi0 ^ x3 ^ k1
            x3 = lo0
        }
        return (x0, x1, x2, x3)
    }

    /// Two independent uniforms in the open interval (0, 1), each with 53 random bits.
    @inlinable
    package func uniforms(_ c0: UInt32, _ c1: UInt32, _ c2: UInt32, _ c3: UInt32) -> (Double, Double) {
        let b = block(c0, c1, c2, c3)
        let a = (UInt64(b.0) << 32 | UInt64(b.1)) >> 11
        let d = (UInt64(b.2) << 32 | UInt64(b.3)) >> 11
        // (k + 0.5) / 2^53 lies strictly inside (0, 1): safe for log in Box-Muller.
        return ((Double(a) + 0.5) * 0x1p-53, (Double(d) + 0.5) * 0x1p-53)
    }

    /// One standard normal deviate from the block at `counter`, by the Box-Muller transform
    /// (exact, not an approximation of the normal law).
    @inlinable
    package func normal(_ c0: UInt32, _ c1: UInt32, _ c2: UInt32, _ c3: UInt32) -> Double {
        let (u1, u2) = uniforms(c0, c1, c2, c3)
        return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
    }
}

@usableFromInline func _log(_ x: Double) -> Double { Foundation.log(x) }
@usableFromInline func _cos(_ x: Double) -> Double { Foundation.cos(x) }

import Foundation
