import Foundation
import GlassDynamics

/// Sizes and realization counts of `glassdyn reproduce`.
package enum ReproductionPreset: String, Sendable, Codable, CaseIterable {
    /// Smaller N and fewer realizations: all figures in minutes, each still showing its feature.
    case quick
    /// The paper's N and realization counts (where the paper gives none: enough realizations
    /// for a bootstrap error on ln Gamma_min below 0.2).
    case paper

    /// Picks the quick or the paper value.
    package func pick<T>(quick q: T, paper p: T) -> T { self == .quick ? q : p }
}

/// One curve of a figure: one run of a model.
package struct CurveDefinition: Sendable {
    /// Legend text, e.g. "W = 10".
    package var label: String
    /// Folder of the curve's files inside the figure folder, e.g. "w10".
    package var slug: String
    /// The scheme parameter of this curve (W, W/J, T or N), the x of the figure's trends.
    package var x: Double
    package var point: ModelPoint
    package var realizations: Int

    package init(label: String, slug: String, x: Double, point: ModelPoint, realizations: Int) {
        self.label = label
        self.slug = slug
        self.x = x
        self.point = point
        self.realizations = realizations
    }
}

/// The panels a figure draws.
package enum FigureLayout: Sendable, Equatable {
    /// P(E) against E; with `scaleByDisorder`, W P(E) against E / W (schemes spanning
    /// decades of W).
    case dos(scaleByDisorder: Bool)
    /// (a) P(ln Gamma) against ln Gamma with the Gamma_min markers, (b) the linear window with
    /// its A/Gamma fit (log-log when several curves share it), optionally (c) the relaxation
    /// |delta sigma|(t) beside its E1 prediction.
    case rates(relaxationPanel: Bool)
    /// Appendix A (Fig. 16): (a) P(x), x = -ln(Gamma/2), beside the NN law of Eq. A1 for each
    /// N, (b) the same scaled by Eq. A2 beside the one scaled law, (c) P(ln Gamma).
    case bareSpectrum
}

/// What a claim's number must do.
package enum ClaimTest: Sendable, Equatable {
    /// On the figure's last curve.
    case below(Double), above(Double), near(Double, tolerance: Double)
    /// Along the figure's scheme (first against last curve, see ``SchemeTrend``).
    case trend(TrendSign)
    /// The claim's metric varies less across the curves than `other` does (relative spread,
    /// (max - min) / mean): a scaling that brings curves together.
    case collapses(than: Metric)
}

/// One checkable statement of the paper about a figure.
package struct Claim: Sendable {
    package var text: String
    package var metric: Metric
    package var test: ClaimTest

    package init(_ text: String, _ metric: Metric, _ test: ClaimTest) {
        self.text = text
        self.metric = metric
        self.test = test
    }

    /// Judges the claim on the measured curves (in scheme order).
    package func judge(curves: [CurveMetrics], x: [Double], scheme: SweepVariable?) -> Judgement {
        if let i = curves.firstIndex(where: { $0.converged == 0 }) {
            return Judgement(.inconclusive, "no realization converged on curve \(i + 1)")
        }
        guard let last = curves.last else { return Judgement(.inconclusive, "no curve was run") }
        switch test {
        case .below(let b): return .below(last[metric], b, what: metric.title)
        case .above(let b): return .above(last[metric], b, what: metric.title)
        case .near(let t, let tol): return .near(last[metric], t, tolerance: tol, what: metric.title)
        case .trend(let s):
            let trend = SchemeTrend(parameter: scheme?.symbol ?? "x", x: x, y: curves.map { $0[metric] })
            return trend.judge(expected: s, what: metric.title)
        case .collapses(let other):
            return Claim.collapse(curves.map { $0[metric] }, than: curves.map { $0[other] },
                                  what: metric.title, otherWhat: other.title)
        }
    }

    /// Relative spread (max - min) / |mean| of a set of measurements, with the error of the
    /// spread taken as the two largest-error end points' errors added, over |mean|.
    static func spread(_ ms: [Measurement]) -> Measurement {
        let vs = ms.map(\.value)
        guard vs.count > 1, vs.allSatisfy(\.isFinite), let lo = vs.min(), let hi = vs.max() else { return Measurement(.nan) }
        let mean = abs(vs.reduce(0, +) / Double(vs.count))
        guard mean > 0 else { return Measurement(.nan) }
        let errs = ms.map(\.halfWidth).sorted(by: >)
        return Measurement((hi - lo) / mean, error: (errs[0] + errs[1]) / mean)
    }

    /// Judges "`scaled` varies less than `unscaled`": agree when the spreads' error bars are
    /// apart with the scaled one smaller, disagree when apart the other way.
    package static func collapse(_ scaled: [Measurement], than unscaled: [Measurement], what: String, otherWhat: String) -> Judgement {
        let a = spread(scaled), b = spread(unscaled)
        guard a.value.isFinite, b.value.isFinite else { return Judgement(.inconclusive, "\(what) could not be measured on every curve") }
        let text = "relative spread of \(what) \(a.formatted(3)) against \(b.formatted(3)) for \(otherWhat)"
        if a.high < b.low { return Judgement(.agree, text) }
        if a.low > b.high { return Judgement(.disagree, text + ": the scaling spreads the curves") }
        return Judgement(.inconclusive, text + ": the error bars overlap")
    }
}

/// One figure of the paper: its runs, its claims and how it is drawn. Adding a figure is
/// adding one of these (see ``TLSFigures``).
package struct FigureDefinition: Sendable {
    /// "01" ... "16", or "S1" for a scheme the paper describes but does not show.
    package var id: String
    package var title: String
    package var model: GlassModel
    /// The paper's claim in one line.
    package var paperClaim: String
    /// The paper's parameters and realization count, as in MODEL.md's figure table.
    package var paperSetting: String
    /// The parameter that changes from curve to curve (nil for a single curve).
    package var scheme: SweepVariable?
    package var layout: FigureLayout
    package var curves: [CurveDefinition]
    package var claims: [Claim]
    /// Metrics shown in the report beside the claims, without a verdict.
    package var alsoReport: [Metric]

    package init(id: String, title: String, model: GlassModel, paperClaim: String, paperSetting: String,
                scheme: SweepVariable?, layout: FigureLayout, curves: [CurveDefinition],
                claims: [Claim], alsoReport: [Metric] = []) {
        self.id = id
        self.title = title
        self.model = model
        self.paperClaim = paperClaim
        self.paperSetting = paperSetting
        self.scheme = scheme
        self.layout = layout
        self.curves = curves
        self.claims = claims
        self.alsoReport = alsoReport
    }

    /// The same figure at other sizes: each curve's N mapped by `sites` (made even for the
    /// electron glass) and `realizations` each. For smoke tests and previews.
    package func scaled(sites: (Int) -> Int, realizations: Int) throws -> FigureDefinition {
        var f = self
        f.curves = try curves.map { c in
            var c = c
            var n = Swift.max(2, sites(c.point.sites))
            if c.point.model == .eg { n += n % 2 }
            c.point = try c.point.setting(.n, to: Double(n))
            c.realizations = realizations
            return c
        }
        return f
    }

    /// Folder and file stem: fig01 ... fig16, figS1.
    package var name: String { "fig" + id }

    /// "Fig. 3" or "Fig. S1".
    package var displayName: String { "Fig. " + (id.hasPrefix("0") ? String(id.dropFirst()) : id) }

    /// Every figure of a preset, in order. EG figures join when their engine exists.
    package static func all(_ preset: ReproductionPreset) throws -> [FigureDefinition] {
        // The paper's order, the scheme it does not show (S1) last.
        try (TLSFigures.all(preset) + EGFigures.all(preset)).sorted { (Int($0.id) ?? 100) < (Int($1.id) ?? 100) }
    }

    /// Normalizes a user's figure name: "3" -> "03", "s1" -> "S1".
    package static func normalizedID(_ text: String) -> String {
        let t = text.trimmingCharacters(in: .whitespaces).uppercased()
        if let n = Int(t) { return String(format: "%02d", n) }
        return t
    }

    /// The figures named in a list such as `1,3,9` (all when nil), in the paper's order.
    package static func select(_ list: String?, preset: ReproductionPreset) throws -> [FigureDefinition] {
        let all = try all(preset)
        guard let list, list.lowercased() != "all" else { return all }
        // Only the section beyond the paper (``Reproduction/beyond``), no figure.
        if list.trimmingCharacters(in: .whitespaces).lowercased() == "none" { return [] }
        let wanted = list.split(separator: ",", omittingEmptySubsequences: false).map { normalizedID(String($0)) }
        if wanted.contains("") {
            throw ParameterError(.figures, "\(Parameter.figures) takes comma-separated figure names such as 1,3,9 or S1, got '\(list)'")
        }
        for w in wanted where !all.contains(where: { $0.id == w }) {
            let known = all.map { $0.displayName.replacingOccurrences(of: "Fig. ", with: "") }.joined(separator: ",")
            throw ParameterError(.figures, "\(Parameter.figures): no figure \(w) (known: \(known))")
        }
        return all.filter { wanted.contains($0.id) }
    }
}
