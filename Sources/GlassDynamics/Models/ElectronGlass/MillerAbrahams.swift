import Foundation

/// Logarithms of the equilibrium hopping rates of the electron glass, the input of its
/// linearised rate equation (Eq. 21-23).
///
/// A rate matrix is described by the symmetric equilibrium rates G_ij = gamma_ij = gamma_ji
/// and the weights D_j = n_j (1 - n_j):
///
///     A_ij = G_ij / D_j (i != j),   A_jj = -sum_{k != j} A_kj,
///
/// all held as logarithms (ln G_ij, ln D_j) so that no product of small occupations ever
/// underflows before the matrix is scaled. The Appendix A matrix exp(-r_ij / xi) is the
/// special case ln G = -r / xi, ln D = 0.
package struct LogRates: Sendable {
    /// Number of sites N.
    package let count: Int
    /// ln D_j = ln[n_j (1 - n_j)] (0 for the bare matrix).
    package let logWeights: [Double]
    /// ln G_ij for i != j; symmetric by construction.
    package let logCoupling: @Sendable (_ i: Int, _ j: Int) -> Double

    package init(count: Int, logWeights: [Double], logCoupling: @escaping @Sendable (Int, Int) -> Double) {
        precondition(logWeights.count == count)
        self.count = count
        self.logWeights = logWeights
        self.logCoupling = logCoupling
    }

    /// The Appendix A matrix: G_ij = exp(-r_ij / xi), D = 1.
    package static func bare(box: PeriodicBox, localizationLength xi: Double) -> LogRates {
        LogRates(count: box.count, logWeights: [Double](repeating: 0, count: box.count)) { i, j in
            -box.distance(i, j) / xi
        }
    }
}

/// The Miller-Abrahams rates (Eq. 21) at a mean-field equilibrium: for a hop i -> j with
/// dE = E_i - E_j and N(x) = 1 / (e^(x/T) - 1),
///
///     gamma_ij = n_i (1 - n_j) exp(-r_ij / xi) [N(|dE|) + Theta(dE)],
///
/// in units of Gamma0. Every factor is taken as a logarithm (``ThermalLogs``), so the rates
/// are exact to rounding however many decades they span. Detailed balance,
/// gamma_ij = gamma_ji, holds analytically; the symmetric G of ``logRates`` evaluates the
/// pair in one fixed order so that it also holds bit for bit.
package struct MillerAbrahams: Sendable {
    package let box: PeriodicBox
    /// Mean-field energies E_i.
    package let energies: [Double]
    package let chemicalPotential: Double
    package let temperature: Double
    package let localizationLength: Double
    /// ln n_i and ln(1 - n_i).
    package let logOccupation: [Double]
    package let logVacancy: [Double]

    package init(box: PeriodicBox, energies: [Double], chemicalPotential mu: Double,
                temperature t: Double, localizationLength xi: Double) {
        precondition(box.count == energies.count)
        self.box = box
        self.energies = energies
        chemicalPotential = mu
        temperature = t
        localizationLength = xi
        logOccupation = energies.map { ThermalLogs.logFermi(($0 - mu) / t) }
        logVacancy = energies.map { ThermalLogs.logFermi(-($0 - mu) / t) }
    }

    /// ln gamma_ij, the rate of a hop from i to j (i != j).
    @inlinable
    package func logRate(from i: Int, to j: Int) -> Double {
        logOccupation[i] + logVacancy[j] - box.distance(i, j) / localizationLength
            + ThermalLogs.logPhononFactor(energies[i] - energies[j], temperature: temperature)
    }

    /// The rate matrix's logarithms: G_ij = gamma_(max, min) (equal to gamma_ji in exact
    /// arithmetic), D_j = n_j (1 - n_j).
    package var logRates: LogRates {
        let me = self
        let weights = (0..<energies.count).map { logOccupation[$0] + logVacancy[$0] }
        return LogRates(count: energies.count, logWeights: weights) { i, j in
            i > j ? me.logRate(from: i, to: j) : me.logRate(from: j, to: i)
        }
    }
}
