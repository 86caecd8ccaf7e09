import CLAPACK
import Foundation

/// The TAP (Onsager-corrected) mean-field equations of the TLS glass (``SzRule/tap``):
///
///     F_i(D) = D_i - Delta_i - c sum_j J_ij m_j + m_i r_i = 0,
///     r_i = (c^2 / 2T) sum_j J_ij^2 (1 - m_j^2),   m_j = tanh(D_j / 2T),
///
/// the equations of ``SmallClusterMeanField`` with `onsager: true` (docs/exact.md, section 3),
/// for every coupling storage of `glassdyn tls` (one K m and one K^2 v,
/// ``SymmetricCouplings/multiplySquared(_:into:)``, per evaluation).
///
/// Solved from the Eq. 4 solution of the production solver (``GaussSeidelSolver``, with its
/// annealing protocol; the reaction term is a correction of order (J/T)^2 to it) by
/// pseudo-transient continuation (Kelley and Keyes): implicit Euler steps of the relaxation
/// dD/dtau = -F(D), (I / delta + dF/dD) v = -F, every step with a finite residual accepted,
/// the pseudo-time step delta growing as the residual falls (delta <- delta min(10,
/// res_old / res_new): Newton's method in the end), halved when it does not fall (so the
/// steps follow the relaxation more closely instead of cycling) and divided by 4 after a
/// non-finite residual (the step then refused).
/// Plain Newton from Eq. 4 (with a line search on the residual) stalls wherever a strongly
/// coupled pair (c |J_ij| / 2T of order 1) has no TAP solution near its Eq. 4 state (two spins
/// without fields: Eq. 4 orders from K = c J / 2T = 1, TAP only from K = 2.53, below which its
/// one solution is m = 0): the relaxation has to cross regions of larger residual to reach it.
/// With S_k = (1 - m_k^2) / 2T the Jacobian is
///
///     dF_i/dD_k = delta_ik (1 + S_i r_i) - K_ik S_k (c + 2 (c^2 / 2T) m_i m_k K_ik).
///
/// As in ``NewtonFallback``, the sites with a slope above its floor are active: the dense
/// system on them is solved with LAPACK (dgetrf/dgetrs), and every other site follows in
/// closed form from its own row (one K z and one K^2 w), its neglected columns being
/// negligible. The residual, recomputed from scratch, decides convergence (at most the
/// tolerance). No stability test is made (TAP has no Hessian of Eq. 4's kind to check). In the
/// paper's box the continuation converges for J/T <= 1 and ever less often below T = J (J/T = 20
/// at the paper's T = 0.05 is far outside TAP's (J/T)^2 expansion): those solves end
/// unconverged after ``maxSteps`` and are counted as such (docs/exact.md, section 6).
package struct TLSOnsagerSolver: Sendable {
    /// Largest accepted max residual of the TAP equations.
    package var tolerance: Double
    /// Linear solves (accepted or not) at most.
    package var maxSteps = 300
    /// The first pseudo-time step.
    package var initialPseudoTimeStep = 1.0
    /// The Eq. 4 solve that gives the starting point.
    package var parameters: TLSParameters

    /// The solver of `p`: its tolerance, and its Eq. 4 solve (sweep limit, annealing protocol).
    package init(_ p: TLSParameters) {
        tolerance = p.resolvedTolerance
        parameters = p
    }

    /// The TAP equations at one D: responses, slopes, reaction coefficients and residuals.
    package struct State {
        package var m: [Double]
        package var slopes: [Double]
        package var reaction: [Double]
        package var f: [Double]
        package var residual: Double
        /// c and c^2 / 2T of the equations.
        package var prefactor: Double
        package var scale: Double

        /// dF_i/dD_k for the coupling K_ik (0 when i == k), plus `shift` on the diagonal (the
        /// pseudo-time term 1 / delta of the continuation): the Jacobian of the type's doc.
        @inline(__always)
        package func jacobian(_ i: Int, _ k: Int, coupling kik: Double, shift: Double = 0) -> Double {
            (i == k ? shift + 1 + slopes[i] * reaction[i] : 0)
                - kik * slopes[k] * (prefactor + 2 * scale * m[i] * m[k] * kik)
        }
    }

    /// The state at D for the closure `eq` (``TLSMeanField/equations(for:temperature:)``, bias
    /// the bare asymmetries).
    package static func state(_ d: [Double], _ eq: MeanFieldEquations, temperature t: Double,
                              couplings: some SymmetricCouplings) -> State {
        let n = d.count
        let m = (0..<n).map { eq.response(d[$0], $0) }
        let h = couplings.multiply(m)
        var r = couplings.multiplySquared(m.map { 1 - $0 * $0 })
        let c = eq.prefactor
        let scale = c * c / (2 * t)
        var f = [Double](repeating: 0, count: n)
        var residual = 0.0
        for i in 0..<n {
            r[i] *= scale
            f[i] = d[i] - eq.bias[i] - c * h[i] + m[i] * r[i]
            residual = Swift.max(residual, abs(f[i]))
        }
        return State(m: m, slopes: m.map { (1 - $0 * $0) / (2 * t) }, reaction: r, f: f,
                     residual: residual.isNaN ? .infinity : residual, prefactor: c, scale: scale)
    }

    /// Solves Eq. 4 from the initial `d`, then the TAP equations from its solution, in place.
    /// The report is the Eq. 4 solve's (sweeps, column updates, fallback) with the TAP
    /// residual, convergence and ``SolverReport/onsagerSteps``; when Eq. 4 does not converge
    /// no TAP step is taken and the report is Eq. 4's.
    package func solve(_ system: TLSSystem, couplings: some SymmetricCouplings, d: inout [Double]) -> SolverReport {
        let p = parameters
        var report = GaussSeidelSolver.solve(p, equations: { TLSMeanField.equations(for: system, temperature: $0) },
                                             couplings: couplings, state: &d)
        report.onsagerSteps = 0
        guard report.converged else { return report }
        let eq = TLSMeanField.equations(for: system, temperature: p.temperature)
        let (steps, residual) = continuation(eq, temperature: p.temperature, couplings: couplings, d: &d)
        report.onsagerSteps = steps
        report.residual = residual
        report.converged = residual <= tolerance
        return report
    }

    /// Pseudo-transient continuation on the TAP equations from `d`, in place (see the type);
    /// returns the linear solves taken and the final max residual.
    package func continuation(_ eq: MeanFieldEquations, temperature t: Double, couplings: some SymmetricCouplings,
                        d: inout [Double]) -> (steps: Int, residual: Double) {
        let n = d.count
        let c = eq.prefactor, scale = c * c / (2 * t)
        let fallback = NewtonFallback(tolerance: tolerance)
        let floor = fallback.activeFloor(eq, maxAbsRowSum: couplings.maxAbsRowSum)
        var st = Self.state(d, eq, temperature: t, couplings: couplings)
        var steps = 0
        var delta = initialPseudoTimeStep
        var rejected = 0
        while steps < maxSteps && st.residual > tolerance && rejected < 40 {
            let shiftDiagonal = 1 / delta
            let active = fallback.activeSites(st.slopes, floor: floor)
            let na = active.count
            var va = [Double]()
            if na > 0 {
                let k = NewtonFallback.restrictedCouplings(couplings, active)
                for q in 0..<na {
                    for p in 0..<na { k[p, q] = st.jacobian(active[p], active[q], coupling: k[p, q], shift: shiftDiagonal) }
                }
                var pivots = [LAPACKInt](repeating: 0, count: na)
                guard LAPACKE_dgetrf(LAPACK_COL_MAJOR, LAPACKInt(na), LAPACKInt(na), k.baseAddress,
                                     LAPACKInt(na), &pivots) == 0 else { break }
                va = active.map { -st.f[$0] }
                _ = LAPACKE_dgetrs(LAPACK_COL_MAJOR, LinearAlgebra.char("N"), LAPACKInt(na), 1, k.baseAddress,
                                   LAPACKInt(na), pivots, &va, LAPACKInt(na))
            }
            steps += 1
            // Every site from its own row, with the active sites' columns: z = S v, w = m S v on A.
            var z = [Double](repeating: 0, count: n), w = z
            for (p, j) in active.enumerated() {
                z[j] = st.slopes[j] * va[p]
                w[j] = st.m[j] * z[j]
            }
            let kz = couplings.multiply(z), k2w = couplings.multiplySquared(w)
            var v = (0..<n).map { i in
                (-st.f[i] + c * kz[i] + 2 * scale * st.m[i] * k2w[i]) / (shiftDiagonal + 1 + st.slopes[i] * st.reaction[i])
            }
            for (p, j) in active.enumerated() { v[j] = va[p] }
            let trial = (0..<n).map { d[$0] + v[$0] }
            let next = Self.state(trial, eq, temperature: t, couplings: couplings)
            if next.residual.isFinite {
                let ratio = st.residual / next.residual
                delta = Swift.min(delta * (ratio > 1 ? Swift.min(10, ratio) : 0.5), 1e300)
                d = trial
                st = next
                rejected = 0
            } else {
                delta /= 4
                rejected += 1
            }
        }
        return (steps, st.residual)
    }
}
