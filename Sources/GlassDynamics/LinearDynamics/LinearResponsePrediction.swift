import Foundation

/// The mean-field linear-response prediction exp(A t) of the kinetic Monte Carlo `response`
/// protocol (issue #12, section 3): a uniform shift h of every TLS asymmetry held for t_w from
/// equilibrium, then removed, and the conjugate response per site
///
///     O(t; t_w) = (1/N) sum_k w_k (1 - e^{-Gamma_k t_w}) e^{-Gamma_k t}
///
/// (``AgingResponse``), for two rate matrices of the same realization:
/// - the paper's (diagonal, A = -diag(Gamma)): mode i is site i, Gamma_i of Eq. 10-12 and
///   w_i = chi_i h^2 (chi_i = dm/dD at equilibrium);
/// - the full one (A = -Gamma + diag(Gamma chi) f J, ``TLSLinearization``): the weighted
///   modes of ``TLSLinearization/modes(perturbation:method:)``.
/// The KMC observable (h/N) sum_i (s_i - s_i^ref) is the same O with m_i = <s_i>.
package struct LinearResponsePrediction: Sendable {
    /// Rates and weights (h^2 included) of the paper's diagonal matrix.
    package var diagonal: (rates: [Double], weights: [Double])
    /// Rates and weights of the full matrix; nil when its fixed point is not a minimum.
    package var full: (rates: [Double], weights: [Double])?
    package var sites: Int

    /// The prediction for the linearisation `lin` and the uniform shift `strength`.
    package init(_ lin: TLSLinearization, strength h: Double) throws {
        sites = lin.count
        diagonal = (lin.rates, lin.susceptibilities.map { $0 * h * h })
        full = try lin.modes(perturbation: [Double](repeating: h, count: lin.count)).map { m in
            (m.modes.map(\.rate), m.modes.map { $0.weight ?? 0 })
        }
    }

    /// Realization `r` of `experiment`, solved as `glassdyn tls` solves it (nil when the
    /// mean-field solve does not converge).
    package init?(experiment: TLSExperiment, realization r: Int, strength h: Double) throws {
        let system = TLSSystem(parameters: experiment.parameters, seed: experiment.settings.seed, realization: r)
        let (d, report) = TLSMeanField.solve(system, couplings: experiment.couplings(for: system, innerThreads: 1))
        guard report.converged else { return nil }
        try self.init(TLSLinearization(system: system, equilibrium: d), strength: h)
    }

    /// O(t; t_w) per site at each of `times` for rates and weights `modes`.
    package static func curve(_ modes: (rates: [Double], weights: [Double]), sites: Int, waitingTime tw: Double,
                              times: [Double]) -> [Double] {
        times.map { AgingResponse.response(rates: modes.rates, weights: modes.weights, time: $0, waitingTime: tw) / Double(sites) }
    }
}
