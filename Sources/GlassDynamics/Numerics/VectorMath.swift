/// Elementary functions on four doubles at once, for the pair kernels.
///
/// Why: the coupling kernels evaluate log, cos/sin and r^-3 for every pair, billions of times.
/// Foundation's scalar libm calls (and Swift's `squareRoot()`, which keeps a scalar errno
/// fallback) stop the compiler from vectorizing the kernel. These versions are built from
/// IEEE add/multiply/divide and bit operations only, so they vectorize on any x86-64 or
/// ARM64 target, and they give the same bits wherever they run (no fused multiply-add, no
/// platform libm), so a coupling regenerated on the fly equals the stored one exactly.
///
/// Accuracy (tested in VectorMathTests against Foundation): `log` within 1 ulp; `sinCosTwoPi`
/// within 2^-52 absolute; `reciprocalSquareRoot` within 4 ulp.
package enum VectorMath {
    package typealias D4 = SIMD4<Double>
    package typealias U4 = SIMD4<UInt64>

    @inline(__always) static func splat(_ x: Double) -> D4 { D4(repeating: x) }

    /// Natural logarithm of positive, normal, finite x (the algorithm of FreeBSD's e_log.c:
    /// x = 2^k (1 + f) with sqrt(2)/2 <= 1 + f < sqrt(2), log(1 + f) = f - f^2/2 + s (f^2/2 + R(s^2)),
    /// s = f / (2 + f), R a degree-14 minimax polynomial).
    @inline(__always)
    package static func log(_ x: D4) -> D4 {
        let bits = unsafeBitCast(x, to: U4.self)
        // Shift the mantissa window so that 1 + f lands in [sqrt(2)/2, sqrt(2)).
        let hx: U4 = bits &+ U4(repeating: 0x3FF0_0000_0000_0000 &- 0x3FE6_A09E_0000_0000)
        let biased: U4 = hx &>> 52
        let mbits: U4 = (hx & U4(repeating: 0x000F_FFFF_FFFF_FFFF)) &+ U4(repeating: 0x3FE6_A09E_0000_0000)
        let f: D4 = unsafeBitCast(mbits, to: D4.self) - splat(1)
        // k = biased - 1023 as a double, exactly (2^52 magic).
        let k: D4 = unsafeBitCast(biased | U4(repeating: 0x4330_0000_0000_0000), to: D4.self) - splat(0x1p52 + 1023)
        let s: D4 = f / (splat(2) + f)
        let z: D4 = s * s
        let w: D4 = z * z
        var t1: D4 = splat(2.222219843214978396e-01) + w * splat(1.531383769920937332e-01)
        t1 = splat(3.999999999940941908e-01) + w * t1
        t1 = w * t1
        var t2: D4 = splat(1.818357216161805012e-01) + w * splat(1.479819860511658591e-01)
        t2 = splat(2.857142874366239149e-01) + w * t2
        t2 = splat(6.666666666666735130e-01) + w * t2
        t2 = z * t2
        let r: D4 = t2 + t1
        let hfsq: D4 = splat(0.5) * f * f
        let inner: D4 = s * (hfsq + r) + k * splat(1.90821492927058770002e-10)
        return k * splat(6.93147180369123816490e-01) - ((hfsq - inner) - f)
    }

    /// (cos 2 pi u, sin 2 pi u) for 0 <= u <= 1. The reduction is exact (4u minus the nearest
    /// integer q), the remainder x = (4u - q) pi/2 lies in [-pi/4, pi/4] where the FreeBSD
    /// k_sin/k_cos polynomials are accurate to about 1 ulp, and the quadrant q mod 4 picks
    /// and signs the result.
    @inline(__always)
    package static func sinCosTwoPi(_ u: D4) -> (cos: D4, sin: D4) {
        let s: D4 = splat(4) * u
        let magic = splat(0x1p52)
        let shifted: D4 = s + magic
        let q: D4 = shifted - magic
        let x: D4 = (s - q) * splat(Double.pi / 2)
        let quadrant: U4 = unsafeBitCast(shifted, to: U4.self) & U4(repeating: 3)
        let z: D4 = x * x
        let w: D4 = z * z
        var rs: D4 = splat(-1.98412698298579493134e-04) + z * splat(2.75573137070700676789e-06)
        rs = splat(8.33333333332248946124e-03) + z * rs
        var rs2: D4 = splat(-2.50507602534068634195e-08) + z * splat(1.58969099521155010221e-10)
        rs2 = (z * w) * rs2
        rs = rs + rs2
        let sinx: D4 = x + (z * x) * (splat(-1.66666666666666324348e-01) + z * rs)
        var rc: D4 = splat(-1.38888888888741095749e-03) + z * splat(2.48015872894767294178e-05)
        rc = z * (splat(4.16666666666666019037e-02) + z * rc)
        var rc2: D4 = splat(2.08757232129817482790e-09) + z * splat(-1.13596475577881948265e-11)
        rc2 = (w * w) * (splat(-2.75573143513906633035e-07) + z * rc2)
        rc = rc + rc2
        let hz: D4 = splat(0.5) * z
        let one_hz: D4 = splat(1) - hz
        let cosx: D4 = one_hz + (((splat(1) - one_hz) - hz) + z * rc)
        // cos(q pi/2 + x), sin(q pi/2 + x) for q = 0, 1, 2, 3.
        let odd = (quadrant & U4(repeating: 1)) .!= U4(repeating: 0)
        var c = cosx.replacing(with: sinx, where: odd)
        var sn = sinx.replacing(with: cosx, where: odd)
        let negateCos = ((quadrant &+ U4(repeating: 1)) & U4(repeating: 2)) .!= U4(repeating: 0)
        let negateSin = (quadrant & U4(repeating: 2)) .!= U4(repeating: 0)
        c = c.replacing(with: -c, where: negateCos)
        sn = sn.replacing(with: -sn, where: negateSin)
        return (c, sn)
    }

    /// 1 / sqrt(x) for positive, normal, finite x: the classic bit-level first guess (relative
    /// error below 3.5%) and four Newton steps y <- y (3/2 - x y^2 / 2).
    @inline(__always)
    package static func reciprocalSquareRoot(_ x: D4) -> D4 {
        let bits = unsafeBitCast(x, to: U4.self)
        var y = unsafeBitCast(U4(repeating: 0x5FE6_EB50_C7B5_37A9) &- (bits &>> 1), to: D4.self)
        let half: D4 = splat(0.5) * x
        for _ in 0..<4 {
            let yy: D4 = y * y
            y = y * (splat(1.5) - half * yy)
        }
        return y
    }

    /// Nearest integer of x (ties to even) for |x| < 2^51, by the 1.5 * 2^52 shift.
    @inline(__always)
    package static func roundToNearest(_ x: D4) -> D4 {
        let magic = splat(0x1.8p52)
        return (x + magic) - magic
    }
}
