import Foundation
import GlassDynamics

/// The numbers a figure's claims are tested with, each measured on one curve (one run).
package enum Metric: String, Sendable, CaseIterable, Codable {
    /// DOS(0) / DOS(max): 1 without a gap, 0 for a hard gap.
    case gapDepth
    /// Half the interquartile range of E: the width of the DOS.
    case dosWidth
    /// Low edge of the ln Gamma plateau (``PlateauCutoffs``).
    case lnGammaMin
    case medianLnGamma
    /// ln(Gamma_max / Gamma_min): the span of the 1/Gamma law in e-folds.
    case plateauWidth
    /// Reduced chi-square of the A/Gamma fit in the linear window (Poisson errors).
    case fitReducedChiSquare
    /// Relative slope of P(ln Gamma) per e-fold over the interquartile range of ln Gamma:
    /// 0 for an exact 1/Gamma law.
    case plateauTilt
    /// Exponent p of DOS ~ |E|^p between 2T and 0.3 (1 for the 2D Efros-Shklovskii gap).
    case dosExponent
    /// Electron glass: slope of g(E) = s|E| per unit area on 2T..0.3 (``CoulombGap``), beside
    /// the Efros-Shklovskii 2/(pi e^4).
    case esSlope
    /// Appendix A: Kolmogorov-Smirnov distance D of the fast modes' x = -ln(Gamma/2) from
    /// the NN law (Eq. A1) on the same window (``NearestNeighbourComparison``).
    case nnFastKS
    /// The same for the slow modes (beyond the law's mode).
    case nnSlowKS
    /// Appendix A: median of x = -ln(Gamma/2) (= ln 2 - median ln Gamma).
    case medianX
    /// The same median scaled by Eq. A2, x ((N - 1) / L^d)^(1/d) (for the paper's box
    /// x ((sqrt N + 1)/(sqrt N - 1))^(1/2) in 2D): equal for every N if A2 holds.
    case scaledMedianX

    package var title: String {
        switch self {
        case .gapDepth: return "DOS(0)/DOS(max)"
        case .dosWidth: return "DOS half-IQR"
        case .lnGammaMin: return "ln Γ_min"
        case .medianLnGamma: return "median ln Γ"
        case .plateauWidth: return "plateau width ln(Γ_max/Γ_min)"
        case .fitReducedChiSquare: return "reduced χ² of the A/Γ fit"
        case .plateauTilt: return "plateau tilt (relative slope of P(ln Γ) per e-fold)"
        case .dosExponent: return "DOS exponent p (DOS ∝ |E|^p, 2T < |E| < 0.3)"
        case .esSlope: return "g(E) slope per unit area (ES: 2/π)"
        case .nnFastKS: return "KS distance, fast modes against Eq. A1"
        case .nnSlowKS: return "KS distance, slow modes against Eq. A1"
        case .medianX: return "median x = -ln(Γ/2)"
        case .scaledMedianX: return "median x scaled by Eq. A2"
        }
    }
}

/// The metrics of one curve with their bootstrap error bars (resampling whole realizations),
/// and its convergence counts.
package struct CurveMetrics: Sendable, Equatable {
    package var values: [Metric: Measurement]
    package var converged: Int
    package var requested: Int

    package init(values: [Metric: Measurement], converged: Int, requested: Int) {
        self.values = values
        self.converged = converged
        self.requested = requested
    }

    package subscript(_ m: Metric) -> Measurement { values[m] ?? Measurement(.nan) }

    /// Measures every metric on a finished run. Only converged realizations enter (as in the
    /// run's own analysis); histograms use the run's own bin edges.
    package static func measure(_ result: any ModelRunResult, point: ModelPoint, seed: UInt64,
                               replicates: Int = 200) -> CurveMetrics {
        let temperature = point.temperature
        let a = result.analysis
        let used = result.outcomes.filter { $0.solver.converged }
        let dosEdges = a.dos, rateEdges = a.lnRates
        let dosHists = used.map { o -> Histogram in
            var h = Histogram(lower: dosEdges.lower, upper: dosEdges.upper, bins: dosEdges.binCount)
            h.add(contentsOf: o.energies)
            return h
        }
        let rateHists = used.map { o -> Histogram in
            var h = Histogram(lower: rateEdges.lower, upper: rateEdges.upper, bins: rateEdges.binCount)
            for g in o.rates { h.add(log(g)) }
            return h
        }
        func boot(_ hs: [Histogram], _ pooled: Histogram, _ f: @escaping (Histogram) -> Double?) -> Measurement {
            let v = f(pooled) ?? .nan
            let e = Bootstrap.standardError(of: hs, replicates: replicates, seed: seed, statistic: f).standardError
            return Measurement(v, error: e)
        }
        var v = [Metric: Measurement]()
        v[.gapDepth] = boot(dosHists, a.dos, gapDepth)
        v[.dosWidth] = boot(dosHists, a.dos, halfInterquartile)
        v[.dosExponent] = boot(dosHists, a.dos) { dosExponent($0, from: 2 * temperature, to: 0.3) }
        v[.medianLnGamma] = boot(rateHists, a.lnRates) { $0.inRange > 0 ? $0.quantile(0.5) : nil }
        v[.plateauTilt] = boot(rateHists, a.lnRates, plateauTilt)
        if let c = a.cutoffs {
            v[.lnGammaMin] = Measurement(c.lnGammaMin, error: a.lnGammaMinError)
            let e = (a.lnGammaMinError * a.lnGammaMinError + a.lnGammaMaxError * a.lnGammaMaxError).squareRoot()
            v[.plateauWidth] = Measurement(c.width, error: e)
        }
        if let w = a.linearWindow { v[.fitReducedChiSquare] = Measurement(w.reducedChiSquare) }
        v.merge(result.modelMetrics(given: v)) { _, new in new }
        return CurveMetrics(values: v, converged: used.count, requested: result.outcomes.count)
    }

    /// DOS at the bin centred on E = 0 over the DOS maximum (bins odd and symmetric).
    package static func gapDepth(_ h: Histogram) -> Double? {
        let d = h.density
        guard let peak = d.max(), peak > 0 else { return nil }
        return d[h.binCount / 2] / peak
    }

    package static func halfInterquartile(_ h: Histogram) -> Double? {
        h.inRange > 0 ? 0.5 * (h.quantile(0.75) - h.quantile(0.25)) : nil
    }

    /// Least-squares slope of the density of ln Gamma against ln Gamma over the bins inside
    /// the interquartile range, divided by the mean density there (per e-fold). Nil with fewer
    /// than 3 bins in that range.
    package static func plateauTilt(_ h: Histogram) -> Double? {
        guard h.inRange > 0 else { return nil }
        let lo = h.quantile(0.25), hi = h.quantile(0.75)
        let d = h.density
        let ks = (0..<h.binCount).filter { h.center($0) >= lo && h.center($0) <= hi }
        guard ks.count >= 3 else { return nil }
        let xs = ks.map { h.center($0) }, ys = ks.map { d[$0] }
        guard let b = slope(xs, ys) else { return nil }
        let mean = ys.reduce(0, +) / Double(ys.count)
        return mean > 0 ? b / mean : nil
    }

    /// Ordinary least-squares slope of y against x.
    static func slope(_ xs: [Double], _ ys: [Double]) -> Double? {
        let n = Double(xs.count)
        guard n >= 2 else { return nil }
        let mx = xs.reduce(0, +) / n, my = ys.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0
        for (x, y) in zip(xs, ys) { sxy += (x - mx) * (y - my); sxx += (x - mx) * (x - mx) }
        return sxx > 0 ? sxy / sxx : nil
    }

    /// Least-squares slope of ln DOS against ln |E| over the bins with `from <= |E| <= to`,
    /// the two sides of a symmetric histogram averaged. Nil with fewer than 3 usable bins.
    package static func dosExponent(_ h: Histogram, from: Double, to: Double) -> Double? {
        let d = h.density
        var xs = [Double](), ys = [Double]()
        for k in 0..<h.binCount {
            let e = h.center(k)
            guard e > 0, e >= from, e <= to else { continue }
            let mirror = h.binCount - 1 - k
            let g = abs(h.center(mirror) + e) < 1e-9 * h.binWidth + 1e-12 ? 0.5 * (d[k] + d[mirror]) : d[k]
            if g > 0 { xs.append(log(e)); ys.append(log(g)) }
        }
        guard xs.count >= 3 else { return nil }
        return slope(xs, ys)
    }
}
