/// Gauss-Seidel iteration of ``MeanFieldEquations`` with incremental local fields.
///
/// The local field h = K m is kept up to date: when site j is updated its response changes by
/// dm_j, and h += K[:, j] dm_j is propagated only if |prefactor dm_j| maxAbsRowSum exceeds a
/// small fraction of the tolerance; smaller changes are held back, never lost. When a sweep
/// moves no D by more than `tolerance / 10`, every held-back change is propagated, h is
/// recomputed from scratch, and the residual max_i |D_i - bias_i - prefactor h_i| decides
/// convergence. Frozen sites (saturated tanh) cost nothing after the first sweeps, so a sweep
/// costs N * (number of moving sites) instead of N^2.
///
/// Plain Gauss-Seidel can cycle at low T. After `dampingAfter` sweeps without convergence the
/// update is mixed, D <- D + alpha (D_GS - D), with alpha halved each time the largest change
/// fails to shrink over a window of sweeps (down to `minimumDamping`).
///
/// Equations with a global constraint (``MeanFieldEquations/shift``) get it re-imposed after
/// every sweep: s is recomputed from the current D, every response is re-evaluated at D - s,
/// and the changes this causes propagate like any other (on the next visit of each site, or
/// at the flush). Without a constraint s is 0 and nothing extra happens.
package struct GaussSeidelSolver: Sendable {
    package var tolerance: Double
    package var maxSweeps: Int
    package var dampingAfter = 200
    package var minimumDamping = 1.0 / 64
    /// Blocked iteration only (``BatchedCouplings``): a change dm_i is held back while
    /// |prefactor| sum_j |K_ij| |dm_i| is below this fraction of the previous sweep's largest
    /// change of D; 0 keeps the fixed rigorous threshold throughout. 0.3 minimised the column
    /// updates at N = 4000, T = 0.05 and 0.1 (docs/performance.md).
    package var adaptiveThreshold = 0.3
    /// When the sweep limit runs out without convergence, ``NewtonFallback`` takes over from
    /// the state reached (a solve that converges never meets it); false: report the failure.
    package var fallback = true
    /// Sweeps of the undamped continuation of the fallback (its second stage).
    package var continuationSweeps = 2000

    package init(tolerance: Double, maxSweeps: Int) {
        self.tolerance = tolerance
        self.maxSweeps = maxSweeps
    }

    /// Solves at each temperature in turn, each solve starting from the previous solution (the
    /// heat-and-cool protocol of ``AnnealProtocol``; a single temperature is a plain solve).
    /// Sweeps and column updates add up over the solves; residual and convergence are those of
    /// the last one.
    package func solve(through temperatures: [Double], equations: (Double) -> MeanFieldEquations,
                      couplings: some SymmetricCouplings, d: inout [Double]) -> SolverReport {
        var total = SolverReport(sweeps: 0, residual: .infinity, converged: false, columnUpdates: 0)
        for t in temperatures {
            let r = solve(equations(t), couplings: couplings, d: &d)
            total.sweeps += r.sweeps
            total.columnUpdates += r.columnUpdates
            total.residual = r.residual
            total.converged = r.converged
            if let f = r.fallback { total.fallback = f }
        }
        return total
    }

    /// Solves in place from the initial `d`; returns the report. Gauss-Seidel first; if it
    /// ends without convergence, the Newton fallback from where it stopped (when enabled).
    package func solve(_ eq: MeanFieldEquations, couplings: some SymmetricCouplings,
                      d: inout [Double]) -> SolverReport {
        var report = gaussSeidel(eq, couplings: couplings, d: &d)
        guard fallback && !report.converged else { return report }
        let stalled = d
        let newton = NewtonFallback(tolerance: tolerance)
        var f = newton.solve(eq, couplings: couplings, d: &d)
        if !f.converged {
            // No solution next to the stalled state: Gauss-Seidel was crawling (damped) through
            // the bottleneck a vanished solution leaves behind. Undamped sweeps cross it; Newton
            // then polishes and checks the stability of what they reach.
            d = stalled
            var continuation = self
            continuation.fallback = false
            continuation.dampingAfter = Int.max
            continuation.maxSweeps = continuationSweeps
            let c = continuation.gaussSeidel(eq, couplings: couplings, d: &d)
            report.sweeps += c.sweeps
            report.columnUpdates += c.columnUpdates
            var g = newton.solve(eq, couplings: couplings, d: &d)
            g.continuationSweeps = c.sweeps
            g.steps += f.steps
            g.factorizations += f.factorizations
            g.activeSites = Swift.max(g.activeSites, f.activeSites)
            g.startResidual = f.startResidual
            g.freeEnergyBefore = f.freeEnergyBefore
            g.maxChange = zip(d, stalled).reduce(0) { Swift.max($0, abs($1.0 - $1.1)) }
            f = g
        }
        report.fallback = f
        if f.converged {
            report.residual = f.residual
            report.converged = true
        } else {
            d = stalled  // a failure is reported with the Gauss-Seidel state, as before
        }
        return report
    }

    /// Gauss-Seidel alone (blocked when the couplings allow it).
    func gaussSeidel(_ eq: MeanFieldEquations, couplings: some SymmetricCouplings,
                     d: inout [Double]) -> SolverReport {
        if let batched = couplings as? any BatchedCouplings {
            return solveBlocked(eq, couplings: batched, d: &d)
        }
        let n = d.count
        precondition(couplings.count == n && eq.bias.count == n)
        var s = eq.shift?(d, nil) ?? 0
        var m = (0..<n).map { eq.response(d[$0] - s, $0) }
        var propagated = m
        var h = couplings.multiply(m)
        let c = eq.prefactor
        let threshold = 0.05 * tolerance / Swift.max(abs(c) * couplings.maxAbsRowSum, 1e-300)
        var damping = DampingSchedule(after: dampingAfter, minimum: minimumDamping)
        var sweeps = 0
        var columnUpdates = 0
        var residual = Double.infinity

        while sweeps < maxSweeps {
            sweeps += 1
            var maxChange = 0.0
            h.withUnsafeMutableBufferPointer { hp in
                for i in 0..<n {
                    let (mi, dm) = Self.visit(i, eq, field: hp[i], alpha: damping.alpha, shift: s,
                                              d: &d, m: &m, propagated: propagated, maxChange: &maxChange)
                    if abs(dm) > threshold {
                        couplings.addColumn(i, scaledBy: dm, to: hp)
                        propagated[i] = mi
                        columnUpdates += 1
                    }
                }
            }
            if let shift = eq.shift {
                // Re-impose the constraint; the responses follow the new s.
                s = shift(d, s)
                for i in 0..<n { m[i] = eq.response(d[i] - s, i) }
            }
            if maxChange < 0.1 * tolerance || sweeps == maxSweeps {
                // Flush: exact fields from scratch, then the true residual.
                propagated = m
                h = couplings.multiply(m)
                residual = Self.maxResidual(d, eq, field: h)
                if residual <= tolerance { break }
            }
            damping.record(maxChange: maxChange, sweep: sweeps)
        }
        return finish(eq, d: d, shift: s, couplings: couplings, residual: residual,
                      sweeps: sweeps, columnUpdates: columnUpdates)
    }

    /// One visit of site i, shared by the plain and the blocked iteration: D_i moves (damped by
    /// `alpha`) toward bias_i + prefactor h_i, its response m_i is re-evaluated at D_i - s, and
    /// the change not yet propagated, dm_i = m_i - m_i^prop, is returned with m_i. `maxChange`
    /// keeps the largest undamped step of the sweep.
    @inline(__always)
    static func visit(_ i: Int, _ eq: MeanFieldEquations, field h: Double, alpha: Double, shift s: Double,
                      d: inout [Double], m: inout [Double], propagated: [Double],
                      maxChange: inout Double) -> (mi: Double, dm: Double) {
        let target = eq.bias[i] + eq.prefactor * h
        let step = target - d[i]
        maxChange = Swift.max(maxChange, abs(step))
        d[i] += alpha * step
        let mi = eq.response(d[i] - s, i)
        m[i] = mi
        return (mi, mi - propagated[i])
    }

    /// Solves with the parameters' tolerance, sweep limit and annealing protocol: the one
    /// entry point of both models' mean-field solves.
    package static func solve<P: MeanFieldParameters>(_ p: P, equations: (Double) -> MeanFieldEquations,
                                                      couplings: some SymmetricCouplings, state: inout [Double]) -> SolverReport {
        let solver = GaussSeidelSolver(tolerance: p.resolvedTolerance, maxSweeps: p.maxIterations)
        let temperatures = p.anneal?.temperatures(endingAt: p.temperature) ?? [p.temperature]
        return solver.solve(through: temperatures, equations: equations, couplings: couplings, d: &state)
    }

    /// max_i |D_i - bias_i - prefactor h_i| for exact local fields h.
    static func maxResidual(_ d: [Double], _ eq: MeanFieldEquations, field h: [Double]) -> Double {
        var r = 0.0
        for i in d.indices { r = Swift.max(r, abs(d[i] - eq.bias[i] - eq.prefactor * h[i])) }
        return r
    }

    /// The report of a finished solve; when the loop stopped without a flush (sweep limit),
    /// the residual is recomputed from scratch first.
    func finish(_ eq: MeanFieldEquations, d: [Double], shift s: Double, couplings: some SymmetricCouplings,
                residual: Double, sweeps: Int, columnUpdates: Int) -> SolverReport {
        let r = residual.isInfinite || sweeps == maxSweeps ? eq.residual(d, shift: s, couplings: couplings) : residual
        return SolverReport(sweeps: sweeps, residual: r, converged: r <= tolerance && r.isFinite,
                            columnUpdates: columnUpdates)
    }
}
