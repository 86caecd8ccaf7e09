import Foundation
import Testing
import GlassDynamics

/// `--sz tap`: the TAP equations D_i = Delta_i + c sum_j J_ij m_j - m_i (c^2/2T) sum_j J_ij^2 (1 - m_j^2)
/// solved by the production solver (``TLSOnsagerSolver``).
@Suite struct TLSOnsagerTests {
    static func parameters(n: Int, t: Double, j: Double = 1, box: BoxConvention = .paper, tolerance: Double? = nil) -> TLSParameters {
        var p = TLSParameters()
        p.sites = n
        p.temperature = t
        p.interaction = j
        p.box = box
        p.sz = .tap
        p.tolerance = tolerance
        return p
    }

    /// max_i of the TAP residual with J_ij recomputed pair by pair from positions (rounded to
    /// single precision as every storage defines them), couplings beyond `cutoff` dropped.
    static func referenceResidual(_ system: TLSSystem, _ d: [Double], cutoff: Double = .infinity) -> Double {
        let p = system.parameters, n = d.count, t = p.temperature
        let c = 0.25
        let m = d.map { tanh($0 / (2 * t)) }
        var worst = 0.0
        for i in 0..<n {
            var field = 0.0, reaction = 0.0
            for j in 0..<n where j != i {
                let r = system.box.distance(i, j)
                if r >= cutoff { continue }
                let k = Double(Float(p.interaction * system.streams.pairNormal(i, j) / (r * r * r)))
                field += k * m[j]
                reaction += k * k * (1 - m[j] * m[j])
            }
            worst = max(worst, abs(d[i] - system.asymmetry[i] - c * field + m[i] * c * c / (2 * t) * reaction))
        }
        return worst
    }

    /// Independent route: on clusters of 12 TLSs the production TAP solution is the one the
    /// small-cluster damped iteration (``SmallClusterMeanField`` with the Onsager term) finds
    /// from the Eq. 4 solution, to 1e-10.
    @Test(arguments: [0, 1, 2])
    func tapMatchesTheSmallClusterIteration(realization: Int) throws {
        let p = Self.parameters(n: 12, t: 2, box: .poisson, tolerance: 1e-13)
        let system = TLSSystem(parameters: p, seed: 5, realization: realization)
        let (d, report) = TLSMeanField.solve(system, couplings: system.denseCouplings())
        #expect(report.converged && report.onsagerSteps != nil)
        var q = p
        q.sz = .meanfield
        let eq4 = TLSMeanField.solve(TLSSystem(parameters: q, seed: 5, realization: realization),
                                     couplings: system.denseCouplings()).d
        let cluster = TLSClusterHamiltonian(system: system)
        var small = SmallClusterMeanField(response: .classical, onsager: true)
        small.tolerance = 1e-13
        let reference = small.solve(start: eq4, asymmetry: cluster.asymmetry, tunneling: cluster.tunneling,
                                    couplings: cluster.couplings, prefactor: cluster.prefactor, temperature: p.temperature)
        #expect(reference.converged)
        let gap = zip(d, reference.d).map { abs($0 - $1) }.max()!
        #expect(gap < 1e-10, "max |D_production - D_cluster| = \(gap)")
        // And the reaction term is not negligible here: TAP moved D away from Eq. 4.
        #expect(zip(d, eq4).map { abs($0 - $1) }.max()! > 1e-4)
    }

    /// Limit J -> 0: TAP - Eq. 4 is the reaction term, of order J^2 / T: halving J divides
    /// max_i |D_tap - D_eq4| (and its sum over sites) by 4.
    @Test func tapDepartsFromEquation4AsJSquared() throws {
        func departure(_ j: Double) -> (max: Double, sum: Double) {
            let p = Self.parameters(n: 100, t: 1, j: j, tolerance: 1e-14)
            let system = TLSSystem(parameters: p, seed: 3, realization: 0)
            let tap = TLSMeanField.solve(system, couplings: system.denseCouplings())
            var q = p
            q.sz = .meanfield
            let plain = TLSMeanField.solve(TLSSystem(parameters: q, seed: 3, realization: 0), couplings: system.denseCouplings())
            #expect(tap.report.converged && plain.report.converged)
            let diff = zip(tap.d, plain.d).map { abs($0 - $1) }
            return (diff.max()!, diff.reduce(0, +))
        }
        let a = departure(2e-4), b = departure(1e-4)
        #expect(a.max > 1e-9)
        #expect(abs(a.max / b.max - 4) < 0.1, "ratio of max \(a.max / b.max)")
        #expect(abs(a.sum / b.sum - 4) < 0.1, "ratio of sums \(a.sum / b.sum)")
    }

    /// The returned solution satisfies the TAP equations to the tolerance, checked with
    /// couplings recomputed from positions, for every coupling storage of `glassdyn tls`; the
    /// stored and the matrix-free couplings give the same bits (with BLAS on one thread, as
    /// every run sets it: a threaded LU need not be reproducible).
    @Test func tapResidualIsWithinTheToleranceForEveryStorage() throws {
        BLASThreads.set(1)
        let p = Self.parameters(n: 150, t: 4)
        let system = TLSSystem(parameters: p, seed: 7, realization: 1)
        let tol = p.resolvedTolerance
        let dense = TLSMeanField.solve(system, couplings: system.denseCouplings())
        let free = TLSMeanField.solve(system, couplings: MatrixFreeTLSCouplings(system: system))
        let rc = 0.45 * system.box.side
        let cut = TLSMeanField.solve(system, couplings: CutoffTLSCouplings(system: system, cutoff: rc))
        for s in [dense, free, cut] {
            #expect(s.report.converged && s.report.residual <= tol, "\(s.report)")
        }
        #expect(dense.d == free.d)
        #expect(Self.referenceResidual(system, dense.d) <= tol + 1e-9)
        #expect(Self.referenceResidual(system, cut.d, cutoff: rc) <= tol + 1e-9)
    }

    /// The continuation's Jacobian dF_i/dD_k (with the reaction term's derivatives) is the
    /// central finite difference of the TAP residuals F, entry by entry, at a D where every
    /// spin responds (T = 1, a strongly coupled 12-TLS cluster).
    @Test func jacobianIsTheFiniteDifferenceOfTheResiduals() throws {
        let p = Self.parameters(n: 12, t: 1, box: .poisson)
        let system = TLSSystem(parameters: p, seed: 11, realization: 0)
        let couplings = system.denseCouplings()
        let eq = TLSMeanField.equations(for: system, temperature: p.temperature)
        let d = (0..<12).map { 0.3 * sin(Double($0) + 0.5) }
        let st = TLSOnsagerSolver.state(d, eq, temperature: p.temperature, couplings: couplings)
        #expect(st.m.allSatisfy { abs($0) < 0.99 })
        let h = 1e-5
        var worst = 0.0, largest = 0.0
        for k in 0..<12 {
            var up = d, down = d
            up[k] += h
            down[k] -= h
            let fu = TLSOnsagerSolver.state(up, eq, temperature: p.temperature, couplings: couplings).f
            let fd = TLSOnsagerSolver.state(down, eq, temperature: p.temperature, couplings: couplings).f
            for i in 0..<12 {
                let numeric = (fu[i] - fd[i]) / (2 * h)
                let analytic = st.jacobian(i, k, coupling: couplings[i, k])
                worst = max(worst, abs(numeric - analytic))
                largest = max(largest, abs(analytic))
            }
        }
        #expect(largest > 0.1, "a Jacobian with off-diagonal weight: \(largest)")
        #expect(worst < 1e-7 * max(1, largest), "max |finite difference - analytic| = \(worst)")
    }

    /// The cutoff storage's sparse K^2 v is the default column-by-column product.
    @Test func sparseSquaredProductMatchesTheColumnRoute() throws {
        let p = Self.parameters(n: 300, t: 1)
        let system = TLSSystem(parameters: p, seed: 2, realization: 0)
        let cut = CutoffTLSCouplings(system: system, cutoff: 2)
        let v = (0..<300).map { Double(($0 * 37) % 11) / 11 - 0.3 }
        let sparse = cut.multiplySquared(v), columns = UnbatchedCouplings(cut).multiplySquared(v)
        for i in 0..<300 { #expect(abs(sparse[i] - columns[i]) <= 1e-12 * max(1, abs(columns[i]))) }
    }

    /// The steps on the TAP equations survive the ledger encoding, and a report without them
    /// writes the bytes it always wrote.
    @Test func onsagerStepsRoundTrip() throws {
        var report = SolverReport(sweeps: 3, residual: 1e-9, converged: true, columnUpdates: 5, pairEvaluations: 6)
        var plain = BinaryWriter()
        report.encode(into: &plain)
        report.onsagerSteps = 17
        var w = BinaryWriter()
        report.encode(into: &w)
        #expect(w.bytes.count == plain.bytes.count + 8)
        var r = BinaryReader(w.bytes)
        #expect(try SolverReport(from: &r) == report && r.isAtEnd)
    }
}
