import Foundation

/// A self-consistent mean-field problem of the form shared by both glasses:
///
///     D_i = bias_i + prefactor * sum_{j != i} K_ij m_j(D_j)
///
/// TLS glass (Eq. 4): bias = Delta, prefactor 1/4, m = tanh(D / 2T). Electron glass (Eq. 20):
/// bias = eps, prefactor -1/2, K = e^2 / r, m = tanh((E - mu) / 2T), with the shift s = mu
/// fixed by half filling.
///
/// An optional global constraint can tie every response to one scalar s(D), re-imposed after
/// every sweep of the solver: the responses are then m_i = response(D_i - s, i). Without one
/// (the TLS glass) s = 0 and the equations are exactly the ones above.
package struct MeanFieldEquations: Sendable {
    package var bias: [Double]
    package var prefactor: Double
    /// m_i(D_i): the thermal response of site i to its own local asymmetry.
    package var response: @Sendable (_ d: Double, _ site: Int) -> Double
    /// s(D) given the previous value (a warm start, nil the first time), or nil for no
    /// constraint. The electron glass returns the chemical potential at half filling.
    package var shift: (@Sendable (_ d: [Double], _ previous: Double?) -> Double)?
    /// P(x) with P' = response and P(0) = 0, for the mean-field free energy that the Newton
    /// fallback reports (``NewtonFallback``); nil when the response has no closed-form one.
    package var potential: (@Sendable (_ x: Double, _ site: Int) -> Double)? = nil

    package init(bias: [Double], prefactor: Double, response: @escaping @Sendable (Double, Int) -> Double,
                shift: (@Sendable ([Double], Double?) -> Double)? = nil) {
        self.bias = bias
        self.prefactor = prefactor
        self.response = response
        self.shift = shift
    }

    /// max_i |D_i - bias_i - prefactor (K m(D - s))_i| with s = s(D), recomputed from scratch.
    package func residual(_ d: [Double], couplings: some SymmetricCouplings) -> Double {
        residual(d, shift: shift?(d, nil) ?? 0, couplings: couplings)
    }

    /// The residual at a given shift s (the caller's own chemical potential, say).
    package func residual(_ d: [Double], shift s: Double, couplings: some SymmetricCouplings) -> Double {
        let m = d.indices.map { response(d[$0] - s, $0) }
        let field = couplings.multiply(m)
        var r = 0.0
        for i in d.indices {
            r = Swift.max(r, abs(d[i] - bias[i] - prefactor * field[i]))
        }
        return r
    }
}

/// 2T ln cosh(x / 2T) without overflow: the potential of the response tanh(x / 2T).
package func thermalLogCosh(_ x: Double, temperature t: Double) -> Double {
    let y = abs(x) / (2 * t)
    return 2 * t * (y + Foundation.log1p(Foundation.exp(-2 * y)) - Foundation.M_LN2)
}

/// The outcome of one solve, reported for every realization.
public struct SolverReport: Sendable, Codable, Equatable {
    /// Gauss-Seidel sweeps (over all solves of an annealing protocol).
    public var sweeps: Int
    /// Final max residual of the equations, recomputed from scratch.
    public var residual: Double
    /// True when the final max residual is finite and at most the tolerance. A realization that
    /// did not converge is left out of the pooled observables and counted in summary.json.
    public var converged: Bool
    /// Incremental column updates performed (each one costs N pair evaluations matrix-free).
    public var columnUpdates: Int
    /// What the Newton fallback did when Gauss-Seidel reached its sweep limit without
    /// converging; nil when Gauss-Seidel converged (then the fallback never ran).
    public var fallback: FallbackReport? = nil
    /// Couplings generated for this realization (build and solve; 0 when not counted): the
    /// cost measure of the pair kernels.
    public var pairEvaluations: Int
    /// With the TAP equations (``SzRule/tap``): steps (linear solves) of the continuation that
    /// solves them from the Eq. 4 solution (`TLSOnsagerSolver`, docs/exact.md section 6); nil otherwise.
    public var onsagerSteps: Int? = nil

    /// A report of the given counts and outcome (`pairEvaluations` 0 when not counted).
    public init(sweeps: Int, residual: Double, converged: Bool, columnUpdates: Int, pairEvaluations: Int = 0) {
        self.sweeps = sweeps
        self.residual = residual
        self.converged = converged
        self.columnUpdates = columnUpdates
        self.pairEvaluations = pairEvaluations
    }
}
