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

    /// The largest ``factor(energyLowered:temperature:)`` over lowered energies within `w` of
    /// `x` (w >= 0): the factor is largest at 0+ (the clamp), decreasing for x > 0 and
    /// increasing for x < 0, so the maximum sits at the window's edge nearest 0, or at 0+ when
    /// the window holds 0.
    @inlinable
    package static func maximumFactor(energyLowered x: Double, within w: Double, temperature t: Double) -> Double {
        if x - w > 0 { return factor(energyLowered: x - w, temperature: t) }
        if x + w < 0 { return factor(energyLowered: x + w, temperature: t) }
        return -1 / Foundation.expm1(-ThermalLogs.minimumBoseArgument)
    }

    /// The largest TLS flip factor (``flip(energy:down:temperature:)``) of a spin whose flip
    /// changes the Ising energy by g' within `w` of `g`, E = `excitation(|g'|)` increasing in
    /// |g'|: a down flip (g' < 0) grows with E, an up flip falls with E and never exceeds T,
    /// which a down flip always does; so the maximum is the down factor at the most negative
    /// g' if the window reaches below 0, else the up factor at the smallest g'.
    @inlinable
    package static func maximumFlip(change g: Double, within w: Double, temperature t: Double,
                                    excitation: (Double) -> Double) -> Double {
        if g - w < 0 { return flip(energy: excitation(w - g), down: true, temperature: t) }
        return flip(energy: excitation(g - w), down: false, temperature: t)
    }
}
