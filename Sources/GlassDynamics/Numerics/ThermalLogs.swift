import Foundation

/// Logarithms of the Fermi and Bose occupations, accurate for every argument.
///
/// The electron glass's rates are products of occupations that span hundreds of decades at
/// low T (n_i (1 - n_j) ~ exp(-|E| / T)); they are built as sums of these logarithms and
/// exponentiated only once, after the largest rate has been scaled to 1. Nothing overflows
/// or underflows, and the relative accuracy is a few ulps of the result.
package enum ThermalLogs {
    /// ln f(x) with f(x) = 1 / (e^x + 1), x = (E - mu) / T: the log of an occupation.
    /// ln(1 - f(x)) = ln f(-x).
    @inlinable
    package static func logFermi(_ x: Double) -> Double {
        // -ln(1 + e^x) = -softplus(x), split so that exp never overflows.
        x > 0 ? -x - Foundation.log1p(Foundation.exp(-x)) : -Foundation.log1p(Foundation.exp(x))
    }

    /// ln N(z) with N(z) = 1 / (e^z - 1), z = |dE| / T > 0: the log of a phonon occupation.
    /// z = 0 gives +infinity (the Bose factor diverges); callers clamp z first.
    @inlinable
    package static func logBose(_ z: Double) -> Double {
        // -ln(e^z - 1): expm1 keeps small z exact; for z >= 1, -z - ln(1 - e^-z).
        z < 1 ? -Foundation.log(Foundation.expm1(z)) : -z - Foundation.log1p(-Foundation.exp(-z))
    }

    /// ln(N(z) + 1) = -ln(1 - e^-z), z > 0: the emission factor, computed without
    /// cancelling z against ln N(z).
    @inlinable
    package static func logBosePlusOne(_ z: Double) -> Double {
        z < 1 ? z - Foundation.log(Foundation.expm1(z)) : -Foundation.log1p(-Foundation.exp(-z))
    }

    /// The smallest |dE| / T used in the Bose factor. Two energies equal to within rounding
    /// (probability zero for continuous disorder) would make N(|dE|) infinite; they are
    /// treated as differing by this much, which makes the pair's rate about 1 / epsilon times
    /// the typical one: large, finite, and flagged by the resolvable-rate floor.
    package static let minimumBoseArgument = Double.ulpOfOne

    /// ln[N(|dE|) + Theta(dE)] at temperature t: the phonon factor of a hop that lowers the
    /// electron's energy by dE (emission, N + 1, when dE > 0; absorption, N, when dE < 0;
    /// Theta(0) = 1/2, immaterial beside N(0) = infinity).
    @inlinable
    package static func logPhononFactor(_ dE: Double, temperature t: Double) -> Double {
        let z = Swift.max(abs(dE) / t, minimumBoseArgument)
        if dE > 0 { return logBosePlusOne(z) }
        let lnN = logBose(z)
        if dE < 0 { return lnN }
        return lnN + Foundation.log1p(0.5 * Foundation.exp(-lnN))   // ln(N + 1/2)
    }
}
