import Foundation

/// The mean-field linear-response prediction exp(A t) of the electron glass's kinetic Monte
/// Carlo `response` protocol (issue #12, section 3; derivation in docs/kmc.md): from
/// equilibrium, the site potential delta phi (``EGSystem/responsePotential(strength:)``) is
/// switched on for t_w and off again, and the response per site a time t later,
///
///     O(t; t_w) = -(1/N) sum_i delta phi_i delta n_i(t_w + t)
///               = (1/N) sum_k w_k (1 - e^{-Gamma_k t_w}) e^{-Gamma_k t}
///
/// (``AgingResponse``), with the occupations obeying the linearised mean-field dynamics
/// d dn/dt = -L (D^-1 dn + (C dn + delta phi) / T) (``EGLinearization``) for two matrices of
/// the same realization:
/// - the paper's, A0 = -L D^-1 (the direct Coulomb term C dropped from the dynamics, kept in
///   the equilibrium): always a stable fixed point, L being a conductance Laplacian;
/// - the full one, A = -L (D^-1 + C / T): a prediction only when the mean-field solution is a
///   local minimum (``LinearStability/localMinimum``), nil otherwise, exactly as the TLS
///   prediction's `full` (``LinearResponsePrediction``).
/// The mode weights are ``EGLinearization/modes(potential:threads:)``'s,
/// w_k = (x_k . D^1/2 delta phi)^2 / T (h^2 included through delta phi). Particle number is
/// conserved (1^T L = 0): the zero mode is not driven and carries no weight. Modes below the
/// rate floor (rates under about N eps Gamma_max, not resolved by the eigensolver) are left out
/// and counted in `unresolved`: at any finite t_w they contribute (1 - e^{-Gamma t_w}) ~ 0.
/// The KMC observable -(1/N) sum_i delta phi_i (n_i^perturbed - n_i^reference) averaged over
/// twin trajectories is the same O with n_i = <n_i>.
package struct EGResponsePrediction: Sendable {
    /// Rates and weights of the paper's matrix A0 = -L D^-1.
    package var paper: (rates: [Double], weights: [Double])
    /// Rates and weights of the full matrix; nil unless its fixed point is a local minimum.
    package var full: (rates: [Double], weights: [Double])?
    /// The stability of the full matrix's fixed point (why `full` is nil when it is).
    package var fullStability: LinearStability
    /// The paper's matrix's: ``LinearStability/localMinimum`` up to rounding.
    package var paperStability: LinearStability
    /// Non-zero modes below each matrix's rate floor, left out of `paper` and `full`.
    package var unresolved: (paper: Int, full: Int)
    package var sites: Int

    /// The prediction for the equilibrium rates `rates` (ln gamma0, ln D) on `box`, the direct
    /// coupling e^2 `chargeSquared` at temperature `t`, and the site potential `phi`.
    package init(rates: LogRates, box: PeriodicBox, chargeSquared e2: Double, temperature t: Double,
                 potential phi: [Double], threads: Int = 1) throws {
        precondition(phi.count == rates.count)
        sites = rates.count
        func solve(_ coupling: Double) throws -> (LinearStability, (rates: [Double], weights: [Double]), Int) {
            let lin = EGLinearization(rates: rates, box: box, directCoupling: coupling, temperature: t)
            let s = try lin.solveWithModes(potential: phi, threads: threads)
            let modes = s.modes ?? []
            return (s.stability, (modes.map(\.rate), modes.map { $0.weight ?? 0 }), s.spectrum?.belowFloor ?? 0)
        }
        // G = D^-1/2 L D^-1/2 is positive semidefinite and B = I: the paper's fixed point is
        // stable and its modes always exist (a rounding-level growing mode is only flagged).
        (paperStability, paper, unresolved.paper) = try solve(0)
        let (stability, modes, below) = try solve(e2)
        (fullStability, full, unresolved.full) = (stability, stability == .localMinimum ? modes : nil, below)
    }

    /// The prediction for a solved realization of `system` and the response potential of
    /// strength `h` (``EGSystem/responsePotential(strength:)``).
    package init(system: EGSystem, solution: EGMeanField.Solution, strength h: Double, threads: Int = 1) throws {
        let p = system.parameters
        let ma = MillerAbrahams(box: system.box, energies: solution.energies, chemicalPotential: solution.chemicalPotential,
                                temperature: p.temperature, localizationLength: p.localizationLength)
        try self.init(rates: ma.logRates, box: system.box, chargeSquared: p.chargeSquared, temperature: p.temperature,
                      potential: system.responsePotential(strength: h), threads: threads)
    }

    /// Realization `outcome.index` of `experiment` from its mean-field outcome (energies
    /// E - mu, as `glassdyn eg` and `glassdyn kmc eg` report them); nil when the mean-field
    /// solve did not converge.
    package init?(experiment: EGExperiment, outcome: RealizationOutcome, strength h: Double, threads: Int = 1) throws {
        guard outcome.solver.converged else { return nil }
        let p = experiment.parameters
        let system = EGSystem(parameters: p, seed: experiment.settings.seed, realization: outcome.index)
        let ma = MillerAbrahams(box: system.box, energies: outcome.energies, chemicalPotential: 0,
                                temperature: p.temperature, localizationLength: p.localizationLength)
        try self.init(rates: ma.logRates, box: system.box, chargeSquared: p.chargeSquared, temperature: p.temperature,
                      potential: system.responsePotential(strength: h), threads: threads)
    }
}
