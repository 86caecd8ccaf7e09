import Foundation
import Testing
import GlassDynamics

/// max_i |D_i - bias_i - c sum_j K_ij m_j(D_j - s)| summed pair by pair in a plain loop (no
/// solver machinery, another summation order than the couplings' products).
private func plainResidual(_ eq: MeanFieldEquations, _ d: [Double], shift s: Double,
                           coupling: (Int, Int) -> Double) -> Double {
    let m = d.indices.map { eq.response(d[$0] - s, $0) }
    var worst = 0.0
    for i in d.indices {
        var field = 0.0
        for j in d.indices where j != i { field += coupling(i, j) * m[j] }
        worst = max(worst, abs(d[i] - eq.bias[i] - eq.prefactor * field))
    }
    return worst
}

/// The Newton fallback of the mean-field solver (``NewtonFallback``): it rescues a realization
/// where Gauss-Seidel stalls today, its solutions satisfy the equations and are stable, it
/// returns to the solution it started next to, and it tells a saddle from a minimum.
@Suite struct SolverFallbackTests {
    /// TLS N = 2000, T = 0.1, seed 1: realizations 122 and 708 are the 2 of 1000 of
    /// `glassdyn tls --n 2000 --t 0.1 --realizations 1000` that Gauss-Seidel alone leaves
    /// unconverged after 10000 sweeps (residuals 3.3e-5 and 1.6e-8). 708 was converging slowly
    /// under damping: Newton finishes it next to where it stopped. 122 was crawling through
    /// the bottleneck of a vanished solution: Newton finds no root there, undamped sweeps cross
    /// it to another minimum, with a lower free energy. Both end converged, at a stable fixed
    /// point, and the residual holds in an independent pair-by-pair sum.
    @Test(arguments: [122, 708]) func realizationsThatStallTodayConvergeWithTheFallback(realization: Int) throws {
        var p = TLSParameters()
        p.sites = 2000
        p.temperature = 0.1
        let system = TLSSystem(parameters: p, seed: 1, realization: realization)
        let (d, report) = TLSMeanField.solve(system, couplings: system.denseCouplings(threads: 2))
        // The fallback runs only after the sweep limit: Gauss-Seidel alone did not converge.
        let f = try #require(report.fallback)
        #expect(report.sweeps >= p.maxIterations)
        #expect(f.startResidual > p.resolvedTolerance)
        #expect(report.converged && f.converged)
        #expect(report.residual <= p.resolvedTolerance)
        #expect(try #require(f.smallestStabilityEigenvalue) > 0)
        let eq = TLSMeanField.equations(for: system, temperature: p.temperature)
        #expect(plainResidual(eq, d, shift: 0, coupling: system.coupling) <= p.resolvedTolerance + 1e-9)
        if realization == 708 {
            #expect(f.continuationSweeps == 0 && f.maxChange < 1e-6)
        } else {
            #expect(f.continuationSweeps > 0 && f.maxChange > 0.01)
            #expect(try #require(f.freeEnergyAfter) < (try #require(f.freeEnergyBefore)))
        }
    }

    /// From a converged Gauss-Seidel solution displaced by 1e-3 at every site, the fallback
    /// returns to the same solution (to 1e-7) and finds it stable with a lower free energy than
    /// the displaced state; TLS (no constraint) and electron glass (mu from half filling).
    @Test(arguments: [GlassModel.tls, .eg]) func returnsToTheStableSolutionItStartsNextTo(model: GlassModel) throws {
        let eq: MeanFieldEquations
        let couplings: DenseCouplings
        var d: [Double]
        if model == .tls {
            var p = TLSParameters()
            p.sites = 300
            let system = TLSSystem(parameters: p, seed: 4, realization: 1)
            couplings = DenseCouplings(count: p.sites) { system.coupling($0, $1) }
            eq = TLSMeanField.equations(for: system, temperature: p.temperature)
            d = system.initialAsymmetry()
        } else {
            var p = EGParameters()
            p.sites = 300
            p.temperature = 0.05
            let system = EGSystem(parameters: p, seed: 4, realization: 1)
            couplings = system.denseCouplings()
            eq = EGMeanField.equations(for: system, temperature: p.temperature)
            d = system.initialEnergies()
        }
        var gs = GaussSeidelSolver(tolerance: 1e-10, maxSweeps: 10_000)
        gs.fallback = false
        #expect(gs.solve(eq, couplings: couplings, d: &d).converged)
        let streams = RealizationStreams(seed: 99, realization: 0)
        var start = d.indices.map { d[$0] + 1e-3 * (2 * streams.uniform(.initialState, index: $0) - 1) }
        let f = NewtonFallback(tolerance: 1e-10).solve(eq, couplings: couplings, d: &start)
        #expect(f.converged)
        #expect(f.residual <= 1e-10)
        #expect(zip(start, d).map { abs($0 - $1) }.max()! < 1e-7)
        #expect(try #require(f.smallestStabilityEigenvalue) > 0)
        #expect(try #require(f.freeEnergyAfter) < (try #require(f.freeEnergyBefore)))
        let s = eq.shift?(start, nil) ?? 0
        #expect(plainResidual(eq, start, shift: s, coupling: { couplings[$0, $1] }) <= 1e-10 + 1e-12)
        if model == .eg {
            let filled = start.map { 1 / (1 + exp(($0 - s) / 0.05)) }.reduce(0, +)
            #expect(abs(filled - 150) < 1e-8)
        }
    }

    /// Two spins with a ferromagnetic coupling c K m'(0) = 1/2T = 5/3 > 1: D = 0 solves the
    /// equations but is a saddle (stability eigenvalue 1 - 5/3), so the fallback does not accept it;
    /// the ordered solution D = +-D* (D* = tanh(D*/2T)) is a minimum with eigenvalue
    /// 1 - m'(D*) > 0, accepted.
    @Test func tellsASaddleFromAMinimum() throws {
        let t = 0.3
        let eq = MeanFieldEquations(bias: [0, 0], prefactor: 1) { x, _ in tanh(x / (2 * t)) }
        let k = DenseCouplings(count: 2) { _, _ in 1 }
        var zero = [0.0, 0.0]
        let saddle = NewtonFallback(tolerance: 1e-12).solve(eq, couplings: k, d: &zero)
        #expect(saddle.residual == 0)
        #expect(!saddle.converged)
        #expect(abs(try #require(saddle.smallestStabilityEigenvalue) - (1 - 1 / (2 * t))) < 1e-6)

        var ordered = [0.9, 0.9]
        let minimum = NewtonFallback(tolerance: 1e-12).solve(eq, couplings: k, d: &ordered)
        #expect(minimum.converged)
        let dStar = ordered[0]
        #expect(abs(dStar - tanh(dStar / (2 * t))) < 1e-12)
        let slope = (1 - tanh(dStar / (2 * t)) * tanh(dStar / (2 * t))) / (2 * t)
        #expect(abs(try #require(minimum.smallestStabilityEigenvalue) - (1 - slope)) < 1e-6)
    }

    /// A realization record with a fallback report survives the ledger's binary codec, and a
    /// record without one is byte for byte the format written before the fallback existed.
    @Test func fallbackReportSurvivesTheLedgerCodec() throws {
        var report = SolverReport(sweeps: 10_000, residual: 1e-9, converged: true, columnUpdates: 7, pairEvaluations: 3)
        var plain = BinaryWriter()
        report.encode(into: &plain)
        #expect(plain.bytes.count == 8 + 8 + 1 + 8 + 8)
        #expect(plain.bytes[16] == 1)
        report.fallback = FallbackReport(steps: 4, factorizations: 2, activeSites: 90, startResidual: 4e-5,
                                         residual: 1e-9, converged: true, maxChange: 0.01,
                                         smallestStabilityEigenvalue: 0.003, freeEnergyBefore: -5.1,
                                         freeEnergyAfter: nil)
        var w = BinaryWriter()
        report.encode(into: &w)
        var r = BinaryReader(w.bytes)
        #expect(try SolverReport(from: &r) == report)
        #expect(r.isAtEnd)
    }
}
