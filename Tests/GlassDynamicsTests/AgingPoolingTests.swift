import Foundation
import GlassDynamics
import Testing

/// AgingExperiment's pooling against the known numbers of a dense 1/Gamma law: modes
/// uniform in ln Gamma on [ln 1e-6, 0] with equal weights, c' = 1. At t_w = 1e3, t = 1e2 the
/// response is c'[E1 law] = 2.396896 (AgingResponse's closed form on [1e-6, 1]), the simple
/// aging limit ln 11 = 2.397895.
@Suite
struct AgingPoolingTests {
    @Test func denseInverseGammaLawGivesTheClosedForm() throws {
        let m = 20_000
        let lo = Foundation.log(1e-6)
        var p = TLSParameters()
        p.sites = m
        var s = RunSettings()
        s.realizations = 1
        s.quiet = true
        let e = AgingExperiment<TLSExperiment>(parameters: p, waitingTimes: [1e3], strength: 1, settings: s)
        // Weights w so that sum w / N = ln(1e6): density c' = 1 per unit ln Gamma.
        let modes = (0..<m).map { k in
            RelaxationMode(rate: Foundation.exp(lo * (1 - (Double(k) + 0.5) / Double(m))),
                           participationRatio: 1, gyrationRadius: 0, weight: -lo)
        }
        let outcome = RealizationOutcome(index: 0, energies: [Double](repeating: 0.5, count: m), rates: modes.map(\.rate),
                                         solver: SolverReport(sweeps: 1, residual: 0, converged: true, columnUpdates: 0),
                                         timings: [])
        let result = e.finish([AgingRealization(outcome: outcome, linear: LinearOutcome(stability: .localMinimum, modes: modes))],
                              wallTime: 0, progress: nil)
        let exact = AgingResponse.inverseGammaLaw(gammaMin: 1e-6, gammaMax: 1, time: 1e2, waitingTime: 1e3)
        #expect(abs(exact - 2.396896) < 1e-6)
        #expect(abs(result.response(time: 1e2, waitingTime: 1e3) - exact) < 1e-3)
        // The closed form of the pooled weights (1% / 99% weighted quantiles, c' from the
        // weight between them) is the same law.
        #expect(abs(result.amplitude - 1) < 1e-3)
        let closed = AgingResponse.inverseGammaLaw(gammaMin: Foundation.exp(result.lnGammaMin), gammaMax: Foundation.exp(result.lnGammaMax),
                                                   amplitude: result.amplitude, time: 1e2, waitingTime: 1e3)
        #expect(abs(closed - exact) < 2e-3)
        #expect(abs(AgingResponse.simpleAging(amplitude: result.amplitude, time: 1e2, waitingTime: 1e3) - 2.397895) < 3e-3)
        // aging.csv's row t = 1e2 (k = 20 of the grid) carries these numbers.
        let row = result.agingTable.rows[20].map { Double($0)! }
        #expect(abs(row[0] - 1e2) < 1e-9 && row[1] == 1e3)
        #expect(abs(row[2] - exact) < 1e-3 && abs(row[3] - closed) < 1e-12)
    }
}
