import Foundation

/// The phonon factor N(|x|) + Theta(x) of a transition that lowers the energy by x, at
/// temperature T, N(z) = 1 / (e^(z/T) - 1): emission (N + 1) when x > 0, absorption (N) when
/// x < 0. The same function as ``ThermalLogs/logPhononFactor(_:temperature:)`` of the
/// mean-field rate matrix (same clamp of |x|/T at ``ThermalLogs/minimumBoseArgument``, same
/// N + 1/2 at x = 0), evaluated directly with one expm1 for speed; a test holds the two equal.
package enum PhononFactor {
    @inlinable
    package static func factor(energyLowered x: Double, temperature t: Double) -> Double {
        let z = Swift.max(abs(x) / t, ThermalLogs.minimumBoseArgument)
        if x > 0 { return -1 / Foundation.expm1(-z) }
        let n = 1 / Foundation.expm1(z)
        return x < 0 ? n : n + 0.5
    }

    /// E (N(E) + 1) (`down`) or E N(E) (up) at E >= 0: the energy-dependent part of the TLS
    /// flip rates (Eq. 10), with the E -> 0 limit T taken smoothly. Their sum is
    /// E coth(E / 2T), the Gamma / (a Delta0^2) of ``TLSMeanField/rate(energy:tunneling:temperature:prefactor:)``.
    @inlinable
    package static func flip(energy e: Double, down: Bool, temperature t: Double) -> Double {
        let z = e / t
        if z < 1e-8 { return down ? t + 0.5 * e : t - 0.5 * e }
        return down ? -e / Foundation.expm1(-z) : e / Foundation.expm1(z)
    }
}
