import Foundation

/// The chemical potential that puts exactly N/2 electrons on N sites:
/// sum_i f((E_i - mu) / T) = N/2 with f the Fermi function.
///
/// The filling is increasing in mu and [min E, max E] always brackets the root (at mu = min E
/// every occupation is at most 1/2, at mu = max E at least 1/2), so the safeguarded Newton
/// iteration of ``BracketedRoot`` always converges; the slope is sum n (1 - n) / T.
package enum HalfFilling {
    /// Largest accepted |sum n_i - N/2|: 64 N machine epsilons, the rounding of the sum
    /// itself (1.4e-11 at N = 1000).
    package static func tolerance(sites n: Int) -> Double { 64 * Double.ulpOfOne * Double(n) }

    /// mu for energies `e` at temperature `t`; `guess` (for example the previous sweep's mu)
    /// starts the iteration.
    package static func chemicalPotential(_ e: [Double], temperature t: Double, guess: Double? = nil) -> Double {
        guard let lo = e.min(), let hi = e.max() else { return 0 }
        let half = 0.5 * Double(e.count)
        let result = BracketedRoot.solve(lower: lo, upper: hi, guess: guess,
                                         tolerance: tolerance(sites: e.count)) { mu in
            var sum = 0.0, slope = 0.0
            for x in e {
                let n = 1 / (1 + Foundation.exp((x - mu) / t))
                sum += n
                slope += n * (1 - n)
            }
            return (sum - half, slope / t)
        }
        return result.root
    }

    /// sum_i n_i - N/2 at chemical potential `mu`.
    package static func fillingError(_ e: [Double], chemicalPotential mu: Double, temperature t: Double) -> Double {
        var sum = 0.0
        for x in e { sum += 1 / (1 + Foundation.exp((x - mu) / t)) }
        return sum - 0.5 * Double(e.count)
    }
}
