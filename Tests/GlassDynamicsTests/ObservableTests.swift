import Foundation
import Testing
import GlassDynamics

@Suite struct ObservableTests {
    /// E1 against tabulated values (Abramowitz & Stegun 5.1) on both sides of the branch at x = 1.
    @Test func exponentialIntegralMatchesTables() throws {
        let table: [(Double, Double)] = [(0.01, 4.037_929_576_538), (0.5, 0.559_773_594_776),
                                         (1.0, 0.219_383_934_395), (2.0, 0.048_900_510_708),
                                         (10.0, 4.156_968_929_685e-6)]
        for (x, e1) in table { #expect(abs(exponentialIntegralE1(x) / e1 - 1) < 1e-11) }
    }

    /// An exact 1/Gamma sample between Gmin and Gmax relaxes as c'[E1(Gmin t) - E1(Gmax t)]
    /// with c' = 1/ln(Gmax/Gmin), to 1% over the whole time window.
    @Test func exactInverseGammaSampleRelaxesAsE1Difference() throws {
        let gMin = 1e-6, gMax = 1e-1
        let count = 200_000
        // Stratified 1/Gamma sample: ln Gamma evenly spaced (exact law, no sampling noise).
        let rates = (0..<count).map { gMin * pow(gMax / gMin, (Double($0) + 0.5) / Double(count)) }
        let cutoffs = PlateauCutoffs(lnGammaMin: log(gMin), lnGammaMax: log(gMax), level: 1 / log(gMax / gMin))
        let curve = RelaxationCurve(rates: rates, cutoffs: cutoffs)
        for k in curve.times.indices where curve.e1Prediction[k] > 1e-3 {
            #expect(abs(curve.deltaSigma[k] / curve.e1Prediction[k] - 1) < 0.01)
        }
        // And the logarithmic regime: -c'(gamma_E + ln(Gmin t)) for 1/Gmax << t << 1/Gmin.
        let t = 1 / (gMin * gMax).squareRoot()
        let logLaw = -cutoffs.level * (eulerGamma + log(gMin * t))
        let mid = curve.times.indices.min { abs(log(curve.times[$0] / t)) < abs(log(curve.times[$1] / t)) }!
        let logLawAtMid = -cutoffs.level * (eulerGamma + log(gMin * curve.times[mid]))
        #expect(abs(curve.deltaSigma[mid] / logLawAtMid - 1) < 0.01)
        #expect(logLaw > 0)
    }

    /// The plateau rule recovers the cutoffs of a 1/Gamma law (within a bin) and its level.
    @Test func plateauRuleRecoversCutoffsOfInverseGammaLaw() throws {
        let lo = -20.0, hi = -5.0
        var h = Histogram(lower: -30, upper: 0, bins: 150)
        let count = 300_000
        for k in 0..<count { h.add(lo + (hi - lo) * (Double(k) + 0.5) / Double(count)) }
        let c = PlateauCutoffs(histogram: h)!
        #expect(abs(c.lnGammaMin - lo) < h.binWidth)
        #expect(abs(c.lnGammaMax - hi) < h.binWidth)
        #expect(abs(c.level * (hi - lo) - 1) < 0.01)
    }

    @Test func histogramDensityHasUnitAreaAndCountsOutliers() throws {
        var h = Histogram(lower: -1, upper: 1, bins: 10)
        h.add(contentsOf: [-0.95, -0.5, 0, 0.5, 0.99, 3, -7])
        #expect(h.inRange == 5 && h.above == 1 && h.below == 1)
        #expect(abs(h.density.reduce(0, +) * h.binWidth - 1) < 1e-12)
        var g = h
        g.merge(h)
        #expect(g.counts == h.counts.map { 2 * $0 })
    }

    /// The A/Gamma fit of an exact 1/Gamma sample returns A = c' and a small reduced chi-square.
    @Test func linearWindowFitsAmplitudeOfInverseGammaLaw() throws {
        let gMin = 1e-4, gMax = 1.0, count = 400_000
        let rates = (0..<count).map { gMin * pow(gMax / gMin, (Double($0) + 0.5) / Double(count)) }
        let w = LinearWindow(rates: rates, gammaMin: 2 * gMin)
        // Bin-averaged 1/Gamma differs from 1/centre by O((width/Gamma)^2): 1% is generous.
        #expect(abs(w.amplitude * log(gMax / gMin) - 1) < 0.01)
    }
}
