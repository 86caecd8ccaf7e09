import CLAPACK

/// Newton's method on the mean-field equations, for the realizations where Gauss-Seidel
/// stalls (docs/solver-fallback.md). ``GaussSeidelSolver`` calls it only when its sweep limit
/// ran out without convergence, so a realization that converges with Gauss-Seidel never meets
/// it. Two kinds of stall were found (TLS N = 2000, T = 0.1): a slow approach to a solution
/// under the damping (Newton finishes it in one step next to the stalled state), and a crawl
/// through the bottleneck of a vanished solution, where the residual has a positive minimum
/// and no root is near (Newton stagnates; the solver then continues Gauss-Seidel without
/// damping, which crosses the bottleneck to another minimum, and calls Newton again).
///
/// The residual is F(D) = D - bias - c K m(D - s). Its Jacobian is J = I - c K S P, with S the
/// slopes m'_i and P = I - 1 w^T the constraint's projection (w_j = S_j / sum S, the
/// derivative of a shift s that keeps sum_i m_i fixed, as half filling does; P = I without a
/// constraint). Sites with a frozen response (S_i below a floor, see ``activeFloor(_:maxAbsRowSum:)``)
/// move the fields by a negligible amount, so the linear system is solved on the other sites
/// only (LAPACK dgetrf/dgetrs on an n_A x n_A dense matrix) and the frozen sites follow in
/// closed form through one product with K. The factorisation is reused while each step at
/// least halves the residual (a chord iteration) and rebuilt otherwise; steps are shortened
/// until the residual decreases.
///
/// A solution is accepted only when its residual, recomputed from scratch, is within the
/// tolerance and it is a stable fixed point: the stability matrix
/// H = I - c S^1/2 K S^1/2 (projected on sum m fixed when there is a constraint) is positive
/// definite on the active sites (its Cholesky factorisation succeeds), i.e. a local minimum of
/// the mean-field free energy, the kind of solution Gauss-Seidel converges to. Its smallest
/// eigenvalue and the free energy (``MeanFieldEquations/potential``) are reported.
package struct NewtonFallback: Sendable {
    package var tolerance: Double
    /// Newton (or chord) steps at most.
    package var maxSteps = 60
    /// Sites in the dense system at most (n_A^2 doubles: 6000 is 288 MB); beyond it the
    /// sites with the largest slopes are kept.
    package var maxActiveSites = 6000
    /// The slope floor's bound on the neglected part of the Jacobian (``activeFloor(_:maxAbsRowSum:)``).
    package var neglectedBound = 1e-3

    package init(tolerance: Double) { self.tolerance = tolerance }

    /// The slope floor: a site whose |c| S_i max_i sum_j |K_ij| is below 1e-3 is left out of
    /// the dense system (the neglected part of J has norm below 1e-3 and only slows the
    /// convergence of the iteration, never its end point, which the true residual decides).
    func activeFloor(_ eq: MeanFieldEquations, maxAbsRowSum: Double) -> Double {
        neglectedBound / Swift.max(abs(eq.prefactor) * maxAbsRowSum, 1e-300)
    }

    /// m'(x) of site i by a central difference (relative accuracy about 1e-10 for tanh(x/2T)
    /// at the temperatures of the paper).
    static func slope(_ eq: MeanFieldEquations, _ x: Double, _ i: Int) -> Double {
        let h = 1e-6 * Swift.max(1, abs(x))
        return (eq.response(x + h, i) - eq.response(x - h, i)) / (2 * h)
    }

    /// The state of the equations at D: shift, responses, fields and residual vector.
    package struct State {
        var shift: Double
        var x: [Double]
        var m: [Double]
        var field: [Double]
        var f: [Double]
        var residual: Double
    }

    package static func state(_ eq: MeanFieldEquations, _ d: [Double], couplings: some SymmetricCouplings,
                      previousShift: Double?) -> State {
        let s = eq.shift?(d, previousShift) ?? 0
        let x = d.map { $0 - s }
        let m = x.indices.map { eq.response(x[$0], $0) }
        let h = couplings.multiply(m)
        var f = d
        var r = 0.0
        for i in d.indices {
            f[i] = d[i] - eq.bias[i] - eq.prefactor * h[i]
            r = Swift.max(r, abs(f[i]))
        }
        return State(shift: s, x: x, m: m, field: h, f: f, residual: r)
    }

    /// The active sites at a state: slope above the floor, at most ``maxActiveSites`` of them
    /// (largest slopes first), in increasing index order.
    func activeSites(_ slopes: [Double], floor: Double) -> [Int] {
        var a = slopes.indices.filter { slopes[$0] > floor }
        if a.count > maxActiveSites {
            a.sort { slopes[$0] > slopes[$1] }
            a = Array(a.prefix(maxActiveSites)).sorted()
        }
        return a
    }

    /// K restricted to the rows and columns `a`, column-major (a.count x a.count).
    static func restrictedCouplings(_ couplings: some SymmetricCouplings, _ a: [Int]) -> ColumnMajorMatrix {
        let na = a.count, n = couplings.count
        let k = ColumnMajorMatrix(count: na)
        var column = [Double](repeating: 0, count: n)
        for (q, j) in a.enumerated() {
            for i in 0..<n { column[i] = 0 }
            column.withUnsafeMutableBufferPointer { couplings.addColumn(j, scaledBy: 1, to: $0) }
            for (p, i) in a.enumerated() { k[p, q] = column[i] }
        }
        return k
    }

    /// Solves from `d` (the stalled Gauss-Seidel state) in place; returns the report.
    package func solve(_ eq: MeanFieldEquations, couplings: some SymmetricCouplings,
                       d: inout [Double]) -> FallbackReport {
        let n = d.count
        let c = eq.prefactor
        let start = d
        let floor = activeFloor(eq, maxAbsRowSum: couplings.maxAbsRowSum)
        var st = Self.state(eq, d, couplings: couplings, previousShift: nil)
        var report = FallbackReport(steps: 0, factorizations: 0, activeSites: 0, startResidual: st.residual,
                                    residual: st.residual, converged: false, maxChange: 0,
                                    smallestStabilityEigenvalue: nil,
                                    freeEnergyBefore: Self.freeEnergy(eq, st, sites: n),
                                    freeEnergyAfter: nil)
        var lu: ColumnMajorMatrix? = nil
        var pivots = [LAPACKInt]()
        var active = [Int]()
        var slopes = [Double]()
        var weights = [Double]()   // w_j on the active sites (constraint only)
        var fresh = false
        while report.steps < maxSteps && st.residual > tolerance {
            if lu == nil {
                slopes = st.x.indices.map { Self.slope(eq, st.x[$0], $0) }
                active = activeSites(slopes, floor: floor)
                report.activeSites = Swift.max(report.activeSites, active.count)
                guard !active.isEmpty else { break }
                let na = active.count
                let k = Self.restrictedCouplings(couplings, active)
                let sa = active.map { slopes[$0] }
                // M = I - c K_AA S_A (I - 1 w^T): column q of K S is K[:, q] S_q.
                for q in 0..<na { for p in 0..<na { k[p, q] = (p == q ? 1 : 0) - c * k[p, q] * sa[q] } }
                if eq.shift != nil {
                    let total = sa.reduce(0, +)
                    weights = sa.map { $0 / Swift.max(total, 1e-300) }
                    // + c (K_AA S_A 1) w^T, with K S 1 = (I - M) 1 / c row by row.
                    var ks1 = [Double](repeating: 0, count: na)
                    for q in 0..<na { for p in 0..<na { ks1[p] += ((p == q ? 1 : 0) - k[p, q]) } }
                    for q in 0..<na { for p in 0..<na { k[p, q] += ks1[p] * weights[q] } }
                } else {
                    weights = []
                }
                pivots = [LAPACKInt](repeating: 0, count: na)
                let info = LAPACKE_dgetrf(LAPACK_COL_MAJOR, LAPACKInt(na), LAPACKInt(na), k.baseAddress,
                                          LAPACKInt(na), &pivots)
                guard info == 0 else { break }
                lu = k
                fresh = true
                report.factorizations += 1
            }
            report.steps += 1
            // v_A from M v_A = -F_A; the frozen sites follow: v = -F + c K (S P v) on the active columns.
            let na = active.count
            var va = active.map { -st.f[$0] }
            _ = LAPACKE_dgetrs(LAPACK_COL_MAJOR, LinearAlgebra.char("N"), LAPACKInt(na), 1, lu!.baseAddress, LAPACKInt(na),
                               pivots, &va, LAPACKInt(na))
            let wv = weights.isEmpty ? 0 : zip(weights, va).reduce(0) { $0 + $1.0 * $1.1 }
            var z = [Double](repeating: 0, count: n)
            for (p, j) in active.enumerated() { z[j] = slopes[j] * (va[p] - wv) }
            let kz = couplings.multiply(z)
            var v = (0..<n).map { -st.f[$0] + c * kz[$0] }
            for (p, j) in active.enumerated() { v[j] = va[p] }
            // Shorten the step until the residual decreases.
            var t = 1.0
            var accepted: State? = nil
            var trial = d
            for _ in 0..<12 {
                for i in 0..<n { trial[i] = d[i] + t * v[i] }
                let next = Self.state(eq, trial, couplings: couplings, previousShift: st.shift)
                if next.residual < st.residual { accepted = next; break }
                t *= 0.5
            }
            if let next = accepted {
                let ratio = next.residual / st.residual
                d = trial
                st = next
                // A chord step that did not halve the residual: rebuild the Jacobian.
                if ratio > 0.5 && !fresh { lu = nil }
                fresh = false
            } else if fresh {
                break  // no descent along a fresh Newton direction
            } else {
                lu = nil
            }
        }
        report.residual = eq.residual(d, shift: st.shift, couplings: couplings)
        report.maxChange = zip(d, start).reduce(0) { Swift.max($0, abs($1.0 - $1.1)) }
        report.freeEnergyAfter = Self.freeEnergy(eq, st, sites: n)
        if report.residual <= tolerance && report.residual.isFinite {
            report.smallestStabilityEigenvalue = stability(eq, st, couplings: couplings, floor: floor)
            report.converged = (report.smallestStabilityEigenvalue ?? -1) > 0
        }
        return report
    }

    /// The smallest eigenvalue of H = I - c S^1/2 K S^1/2 on the active sites (on sum m fixed
    /// when there is a constraint): negative (from LAPACK dsyevr) when the Cholesky factorisation
    /// fails, else the Rayleigh quotient after 40 steps of inverse iteration with the factor (an
    /// upper bound of the smallest eigenvalue, which is positive). 1 when no site is active.
    package func stability(_ eq: MeanFieldEquations, _ st: State, couplings: some SymmetricCouplings, floor: Double) -> Double {
        let slopes = st.x.indices.map { Self.slope(eq, st.x[$0], $0) }
        let active = activeSites(slopes, floor: floor)
        let na = active.count
        guard na > 0 else { return 1 }
        let root = active.map { slopes[$0].squareRoot() }
        func build() -> ColumnMajorMatrix {
            let h = Self.restrictedCouplings(couplings, active)
            for q in 0..<na { for p in 0..<na { h[p, q] = (p == q ? 1 : 0) - eq.prefactor * root[p] * h[p, q] * root[q] } }
            if eq.shift != nil {
                // P H P + u u^T with u = S^1/2 1 / |S^1/2 1|: the constrained directions keep
                // their eigenvalues and the excluded one gets 1.
                let norm = root.reduce(0) { $0 + $1 * $1 }.squareRoot()
                let u = root.map { $0 / norm }
                var hu = [Double](repeating: 0, count: na)
                for q in 0..<na { for p in 0..<na { hu[p] += h[p, q] * u[q] } }
                let uhu = zip(u, hu).reduce(0) { $0 + $1.0 * $1.1 }
                for q in 0..<na {
                    for p in 0..<na {
                        h[p, q] += -hu[p] * u[q] - u[p] * hu[q] + (uhu + 1) * u[p] * u[q]
                    }
                }
            }
            return h
        }
        let h = build()
        let info = LAPACKE_dpotrf(LAPACK_COL_MAJOR, LinearAlgebra.char("L"), LAPACKInt(na), h.baseAddress, LAPACKInt(na))
        if info != 0 {
            let a = build()
            var w = [Double](repeating: 0, count: na)
            var found: LAPACKInt = 0
            var isuppz = [LAPACKInt](repeating: 0, count: 2)
            var zdummy = 0.0
            _ = LAPACKE_dsyevr(LAPACK_COL_MAJOR, LinearAlgebra.char("N"), LinearAlgebra.char("I"),
                               LinearAlgebra.char("L"), LAPACKInt(na), a.baseAddress, LAPACKInt(na), 0, 0, 1, 1,
                               0, &found, &w, &zdummy, 1, &isuppz)
            return Swift.min(w[0], 0)
        }
        // Inverse iteration with the Cholesky factor.
        var y = (0..<na).map { 1 + 0.1 * Double(($0 * 7919) % 13) }
        var rayleigh = 1.0
        for _ in 0..<40 {
            let norm = y.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let unit = y.map { $0 / norm }
            y = unit
            _ = LAPACKE_dpotrs(LAPACK_COL_MAJOR, LinearAlgebra.char("L"), LAPACKInt(na), 1, h.baseAddress,
                               LAPACKInt(na), &y, LAPACKInt(na))
            // unit^T H^-1 unit estimates 1 / lambda_min from above-below; the Rayleigh
            // quotient of H at y is 1 / (y^T H^-1 y / y^T y) with y = H^-1 unit.
            let uy = zip(unit, y).reduce(0) { $0 + $1.0 * $1.1 }
            let yy = y.reduce(0) { $0 + $1 * $1 }
            rayleigh = uy / yy
        }
        return rayleigh
    }

    /// The mean-field free energy per site at a state, sum_i [m_i x_i - P(x_i) - bias_i m_i]
    /// - (c/2) sum_i m_i h_i, with P the response's potential; nil when the equations have none.
    package static func freeEnergy(_ eq: MeanFieldEquations, _ st: State, sites n: Int) -> Double? {
        guard let potential = eq.potential else { return nil }
        var f = 0.0
        for i in 0..<n {
            f += st.m[i] * st.x[i] - potential(st.x[i], i) - eq.bias[i] * st.m[i] - 0.5 * eq.prefactor * st.m[i] * st.field[i]
        }
        return f / Double(n)
    }
}

/// What the Newton fallback did for one realization whose Gauss-Seidel solve stalled.
public struct FallbackReport: Sendable, Codable, Equatable {
    /// Newton (or chord) steps taken.
    public var steps: Int
    /// Sweeps of undamped Gauss-Seidel between the two Newton stages (0 when the first
    /// Newton stage converged next to the stalled state).
    public var continuationSweeps: Int
    /// Dense factorisations of the Jacobian.
    public var factorizations: Int
    /// Sites in the dense Newton system (the largest over its factorisations).
    public var activeSites: Int
    /// Max residual of the Gauss-Seidel state it started from.
    public var startResidual: Double
    /// Final max residual, recomputed from scratch.
    public var residual: Double
    /// Residual within the tolerance and a stable fixed point.
    public var converged: Bool
    /// max_i |D_i - D_i^GS|: how far the solution lies from the stalled Gauss-Seidel state.
    public var maxChange: Double
    /// Smallest eigenvalue of the stability matrix at the solution (positive: a local
    /// minimum of the mean-field free energy); nil when the residual was not reached.
    public var smallestStabilityEigenvalue: Double?
    /// Mean-field free energy per site at the Gauss-Seidel state (nil without a potential).
    public var freeEnergyBefore: Double?
    /// The same at the fallback's solution.
    public var freeEnergyAfter: Double?

    package init(steps: Int, continuationSweeps: Int = 0, factorizations: Int, activeSites: Int, startResidual: Double, residual: Double,
                 converged: Bool, maxChange: Double, smallestStabilityEigenvalue: Double?,
                 freeEnergyBefore: Double?, freeEnergyAfter: Double?) {
        self.steps = steps
        self.continuationSweeps = continuationSweeps
        self.factorizations = factorizations
        self.activeSites = activeSites
        self.startResidual = startResidual
        self.residual = residual
        self.converged = converged
        self.maxChange = maxChange
        self.smallestStabilityEigenvalue = smallestStabilityEigenvalue
        self.freeEnergyBefore = freeEnergyBefore
        self.freeEnergyAfter = freeEnergyAfter
    }
}
