import Foundation

/// The TLS mean-field equations (Eq. 4) in either convention, and the excitation energies
/// and relaxation rates that follow from their solution (Eq. 6, 10-12).
package enum TLSMeanField {
    /// The equations D_i = Delta_i + c sum_j J_ij m_j at temperature `t`.
    package static func equations(for system: TLSSystem, temperature t: Double) -> MeanFieldEquations {
        let p = system.parameters
        let tunneling = system.tunneling
        let rule = p.sz, convention = p.convention
        var eq = MeanFieldEquations(bias: system.asymmetry, prefactor: p.fieldPrefactor) { d, i in
            response(d, tunneling: tunneling[i], temperature: t, rule: rule, convention: convention)
        }
        // The free energy's single-site potential P (P' = m): 2T ln cosh(D/2T) for the paper's
        // closure, 2T ln cosh(E/2T) for the exact one; none for tanh(E/2T) in D.
        switch (rule, convention) {
        case (.meanfield, .paper):
            eq.potential = { d, _ in thermalLogCosh(d, temperature: t) }
        case (.exact, _):
            eq.potential = { d, i in thermalLogCosh(energy(d, tunneling: tunneling[i]), temperature: t)
                - thermalLogCosh(tunneling[i], temperature: t) }
        case (.meanfield, .scripts), (.tap, _):
            // No closed form (TAP: the free energy has the Plefka term besides P; the Newton
            // fallback of an inner solve then reports none rather than Eq. 4's).
            break
        }
        return eq
    }

    /// m(D): tanh(D/2T) (paper), tanh(E/2T) (scripts), or (D/|E|) tanh(|E|/2T) (exact). TAP
    /// keeps Eq. 4's closure (its reaction term is in the equations, ``TLSOnsagerSolver``).
    @inlinable
    package static func response(_ d: Double, tunneling d0: Double, temperature t: Double,
                                rule: SzRule, convention: MeanFieldConvention) -> Double {
        switch (rule, convention) {
        case (.meanfield, .paper), (.tap, .paper):
            return tanh(d / (2 * t))
        case (.meanfield, .scripts), (.tap, .scripts):
            return tanh(energy(d, tunneling: d0) / (2 * t))
        case (.exact, _):
            let e = (d * d + d0 * d0).squareRoot()
            return e > 0 ? (d / e) * tanh(e / (2 * t)) : 0
        }
    }

    /// Excitation energy E = sign(D) sqrt(D^2 + Delta0^2) (Eq. 6).
    @inlinable
    package static func energy(_ d: Double, tunneling d0: Double) -> Double {
        let e = (d * d + d0 * d0).squareRoot()
        return d < 0 ? -e : e
    }

    /// Relaxation rate Gamma = a Delta0^2 |E| coth(|E| / 2T) (Eq. 10-12), with the E -> 0
    /// limit a Delta0^2 2T taken smoothly.
    @inlinable
    package static func rate(energy e: Double, tunneling d0: Double, temperature t: Double, prefactor a: Double) -> Double {
        let x = abs(e) / (2 * t)
        let ecoth = x < 1e-8 ? 2 * t : abs(e) / tanh(x)
        return a * d0 * d0 * ecoth
    }

    /// Solves the equations for one realization (with the annealing protocol if requested);
    /// with ``SzRule/tap`` the TAP equations (``TLSOnsagerSolver``).
    package static func solve(_ system: TLSSystem, couplings: some SymmetricCouplings) -> (d: [Double], report: SolverReport) {
        let p = system.parameters
        var d = system.initialAsymmetry()
        var total = p.sz == .tap
            ? TLSOnsagerSolver(p).solve(system, couplings: couplings, d: &d)
            : GaussSeidelSolver.solve(p, equations: { equations(for: system, temperature: $0) },
                                      couplings: couplings, state: &d)
        total.pairEvaluations = couplings.pairEvaluations
        return (d, total)
    }
}
