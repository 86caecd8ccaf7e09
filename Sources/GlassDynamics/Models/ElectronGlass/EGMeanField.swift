import Foundation

/// The mean-field equations of the electron glass (Eq. 20),
///
///     E_i = eps_i - (1/2) sum_{j != i} (e^2 / r_ij) tanh((E_j - mu) / 2T),
///
/// with mu fixed by half filling after every Gauss-Seidel sweep (the solver's global
/// constraint, ``MeanFieldEquations/shift``), and their solution for one realization.
package enum EGMeanField {
    /// The solution of one realization.
    package struct Solution: Sendable {
        /// Mean-field energies E_i (absolute; subtract mu for energies from the chemical
        /// potential).
        package var energies: [Double]
        /// Chemical potential at half filling for the final energies.
        package var chemicalPotential: Double
        /// sum_i n_i - N/2 at that mu.
        package var fillingError: Double
        /// Sweeps, residual (recomputed at the final mu) and convergence.
        package var report: SolverReport

        /// Occupations n_i = f((E_i - mu) / T).
        package func occupations(temperature t: Double) -> [Double] {
            energies.map { 1 / (1 + Foundation.exp(($0 - chemicalPotential) / t)) }
        }
    }

    /// Eq. 20 at temperature `t` as a ``MeanFieldEquations``: bias eps, prefactor -1/2,
    /// response tanh((E - mu) / 2T), shift mu(E) from half filling.
    package static func equations(for system: EGSystem, temperature t: Double) -> MeanFieldEquations {
        var eq = MeanFieldEquations(
            bias: system.bareEnergies, prefactor: EGParameters.fieldPrefactor,
            response: { e, _ in Foundation.tanh(e / (2 * t)) },
            shift: { e, previous in HalfFilling.chemicalPotential(e, temperature: t, guess: previous) })
        eq.potential = { x, _ in thermalLogCosh(x, temperature: t) }
        return eq
    }

    /// Solves Eq. 20 from the initial energies (through the annealing protocol if requested).
    /// The reported residual and convergence are those of the final energies at their own
    /// half-filling mu, recomputed from scratch.
    package static func solve(_ system: EGSystem, couplings: some SymmetricCouplings) -> Solution {
        let p = system.parameters
        var e = system.initialEnergies()
        var total = GaussSeidelSolver.solve(p, equations: { equations(for: system, temperature: $0) },
                                            couplings: couplings, state: &e)
        let t = p.temperature
        let mu = HalfFilling.chemicalPotential(e, temperature: t)
        let residual = equations(for: system, temperature: t).residual(e, shift: mu, couplings: couplings)
        total.residual = residual
        total.converged = residual.isFinite && residual <= p.resolvedTolerance
        return Solution(energies: e, chemicalPotential: mu,
                        fillingError: HalfFilling.fillingError(e, chemicalPotential: mu, temperature: t),
                        report: total)
    }
}
