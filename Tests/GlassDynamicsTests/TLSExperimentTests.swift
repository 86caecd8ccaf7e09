import Foundation
import Testing
import GlassDynamics

@Suite struct TLSExperimentTests {
    static func experiment(n: Int, t: Double = 0.05, j: Double = 1, realizations: Int, threads: Int = 2) -> TLSExperiment {
        var p = TLSParameters()
        p.sites = n
        p.temperature = t
        p.interaction = j
        var s = RunSettings()
        s.realizations = realizations
        s.threads = threads
        s.quiet = true
        return TLSExperiment(parameters: p, settings: s)
    }

    /// Exact CDF of E = sign(Delta) sqrt(Delta^2 + Delta0^2), Delta ~ N(0, W^2), Delta0
    /// log-uniform on [a, b]: P(E <= e) averaged over ln Delta0 by a 400-point midpoint rule.
    static func energyCDF(_ e: Double, w: Double, a: Double, b: Double) -> Double {
        let phi = { (x: Double) in 0.5 * erfc(-x / (w * 2.0.squareRoot())) }
        let k = 400
        var s = 0.0
        for q in 0..<k {
            let d0 = exp(log(a) + (log(b) - log(a)) * (Double(q) + 0.5) / Double(k))
            if e >= 0 {
                s += e > d0 ? phi((e * e - d0 * d0).squareRoot()) : 0.5
            } else {
                s += -e > d0 ? phi(-(e * e - d0 * d0).squareRoot()) : 0.5
            }
        }
        return s / Double(k)
    }

    /// J = 0: the pooled E_i follow the law of sign(Delta) sqrt(Delta^2 + Delta0^2)
    /// (Kolmogorov-Smirnov at the 1% level), and every rate is Eq. 12 of its own E and Delta0.
    @Test func withoutInteractionsEnergiesFollowTheBareLaw() throws {
        let e = Self.experiment(n: 1000, j: 0, realizations: 4)
        var energies = [Double]()
        for r in 0..<4 {
            let o = try e.realization(r).outcome
            #expect(o.solver.converged)
            let system = TLSSystem(parameters: e.parameters, seed: e.settings.seed, realization: r)
            for i in 0..<e.parameters.sites {
                let d0 = system.tunneling[i]
                let en = o.energies[i]
                let expected = d0 * d0 * abs(en) / tanh(abs(en) / (2 * e.parameters.temperature))
                #expect(abs(o.rates[i] / expected - 1) < 1e-12)
            }
            energies += o.energies
        }
        energies.sort()
        let n = Double(energies.count)
        var d = 0.0
        for (k, x) in energies.enumerated() {
            let f = Self.energyCDF(x, w: 1, a: 1e-7, b: 1e-1)
            d = max(d, abs(f - Double(k) / n), abs(f - Double(k + 1) / n))
        }
        #expect(d < 1.628 / n.squareRoot())
    }

    /// The dipole gap (Fig. 1-2): at T = 0.05 the DOS at E = 0 is below half its maximum;
    /// at T = 2 the gap is gone (DOS at 0 within 10% of the maximum).
    @Test func dipoleGapOpensAtLowTemperatureAndClosesAtHigh() throws {
        let cold = try Self.experiment(n: 1000, t: 0.05, realizations: 12).run()
        #expect(cold.outcomes.allSatisfy { $0.solver.converged })
        #expect(cold.analysis.gapDepth < 0.5)
        var hotExperiment = Self.experiment(n: 1000, t: 2, realizations: 12)
        hotExperiment.analysisOptions.dosBins = 41
        let hot = try hotExperiment.run()
        #expect(hot.analysis.gapDepth > 0.9)
    }

    /// The rates of an interacting run have a 1/Gamma plateau: a flat ln Gamma density over
    /// more than 15 e-folds, and the relaxation curve agrees with the E1 form on the plateau.
    @Test func ratesShowAnInverseGammaPlateau() throws {
        let result = try Self.experiment(n: 1000, realizations: 8).run()
        let a = result.analysis
        let c = try #require(a.cutoffs)
        #expect(c.width > 15)
        #expect(a.lnGammaMinError < 1)
        let r = try #require(a.relaxation)
        // In the logarithmic window the measured decay follows c'[E1 - E1] within 10%.
        for k in r.times.indices {
            let t = r.times[k]
            if t > 10 / c.gammaMax && t < 0.1 / c.gammaMin {
                #expect(abs(r.deltaSigma[k] - r.e1Prediction[k]) < 0.1 * r.deltaSigma[k] + 0.02)
            }
        }
    }

    /// Realization r is the same whatever the thread count: outcomes compared bit for bit.
    @Test func outcomesDoNotDependOnThreadCount() throws {
        let one = try Self.experiment(n: 300, realizations: 3, threads: 1).run()
        let two = try Self.experiment(n: 300, realizations: 3, threads: 2).run()
        try #require(one.outcomes.count == two.outcomes.count)
        for (a, b) in zip(one.outcomes, two.outcomes) {
            #expect(a.energies == b.energies)
            #expect(a.rates == b.rates)
            #expect(a.solver == b.solver)
        }
        #expect(one.analysis.dos == two.analysis.dos)
        #expect(one.analysis.lnRates == two.analysis.lnRates)
    }
}
