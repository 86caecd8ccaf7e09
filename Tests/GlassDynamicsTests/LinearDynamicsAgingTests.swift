import Foundation
import Testing
import GlassDynamics

/// Aging and memory O(t; t_w) = sum_k w_k (1 - e^{-Gamma_k t_w}) e^{-Gamma_k t} (issue #11).
@Suite struct LinearDynamicsAgingTests {
    /// Gamma_min = 1e-6, Gamma_max = 1, c' = 1, t_w = 1e3, t = 1e2: the closed form is
    /// 2.396896 (scipy: 2.3968955727), 1e-3 below the simple-aging ln(1 + t_w/t) = 2.397895.
    @Test func closedFormAgainstSimpleAging() {
        let c = AgingResponse.inverseGammaLaw(gammaMin: 1e-6, gammaMax: 1, time: 1e2, waitingTime: 1e3)
        let s = AgingResponse.simpleAging(time: 1e2, waitingTime: 1e3)
        #expect(abs(c - 2.396_895_572_724_496) < 1e-12)
        #expect(abs(s - 2.397_895_272_798_371) < 1e-14)
        #expect((c * 1e4).rounded() / 1e4 == 2.3969)
    }

    /// Uniform weights on a fine log-uniform grid of rates (midpoints, 2e5 per 13.8 e-folds,
    /// weight = the grid step in ln Gamma) reproduce the closed form to 1e-9 relative, for
    /// t/t_w from 1e-3 to 1e3, and lie within 1% of ln(1 + t_w/t) where 1/Gmax << t, t_w << 1/Gmin.
    @Test func discreteSumMatchesClosedForm() {
        let gMin = 1e-6, gMax = 1.0, count = 200_000
        let step = log(gMax / gMin) / Double(count)
        let rates = (0..<count).map { gMin * exp((Double($0) + 0.5) * step) }
        let weights = [Double](repeating: step, count: count)
        for (t, tw) in [(1e2, 1e3), (1.0, 1e3), (1e3, 1.0), (10.0, 10.0), (1e4, 1e2)] {
            let sum = AgingResponse.response(rates: rates, weights: weights, time: t, waitingTime: tw)
            let closed = AgingResponse.inverseGammaLaw(gammaMin: gMin, gammaMax: gMax, time: t, waitingTime: tw)
            #expect(abs(sum / closed - 1) < 1e-9)
            if t >= 10 && tw >= 10 && t + tw <= 1e4 {
                #expect(abs(closed / AgingResponse.simpleAging(time: t, waitingTime: tw) - 1) < 0.01)
            }
        }
    }

    /// t_w -> infinity: O(t; t_w) -> sum_k w_k e^{-Gamma_k t}, and with a 1/Gamma law it
    /// becomes c'[E1(Gmin t) - E1(Gmax t)].
    @Test func longWaitingTimeGivesPlainRelaxation() {
        let rates = [1e-5, 3e-4, 2e-2, 0.7], weights = [0.3, 1.2, 0.5, 2.0]
        let t = 50.0
        let plain = AgingResponse.relaxation(rates: rates, weights: weights, time: t)
        let expected = zip(rates, weights).reduce(0) { $0 + $1.1 * exp(-$1.0 * t) }
        #expect(abs(plain - expected) < 1e-15)
        #expect(abs(AgingResponse.response(rates: rates, weights: weights, time: t, waitingTime: 1e9) - plain) < 1e-12)
        #expect(abs(AgingResponse.response(rates: rates, weights: weights, time: t, waitingTime: 1e3) - plain) > 1e-2)
        let law = AgingResponse.inverseGammaLaw(gammaMin: 1e-6, gammaMax: 1, time: t, waitingTime: 1e12)
        #expect(abs(law - (exponentialIntegralE1(1e-6 * t) - exponentialIntegralE1(t))) < 1e-12)
    }

    /// One mode: O = w (1 - e^{-G t_w}) e^{-G t}; e.g. G = 0.5, t_w = 2, t = 3, w = 4: 4 (1 - e^-1) e^-1.5 = 0.5641806461.
    @Test func singleModeIsAnalytic() {
        let o = AgingResponse.response(rates: [0.5], weights: [4], time: 3, waitingTime: 2)
        #expect(abs(o - 4 * (1 - exp(-1.0)) * exp(-1.5)) < 1e-15)
        #expect(abs(o - 0.564_180_646_098_124) < 1e-12)
        // Tiny G t_w: 1 - e^{-x} kept without cancellation.
        let small = AgingResponse.response(rates: [1e-20], weights: [1], time: 0, waitingTime: 1)
        #expect(abs(small / 1e-20 - 1) < 1e-15)
    }
}
