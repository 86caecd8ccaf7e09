import Foundation
import GlassDynamics

/// A curve after its run: what was measured and what it cost.
package struct CurveOutcome: Sendable {
    package var definition: CurveDefinition
    package var metrics: CurveMetrics
    /// The parameters of the curve's run.
    package var parameters: AnyEncodable?
    /// Seconds this curve's run took (the original run's time when reused).
    package var wallTime: Double
    /// The figure whose run this curve reuses (same parameters and realizations), if any.
    package var reusedFrom: String?

    package init(definition: CurveDefinition, metrics: CurveMetrics, parameters: AnyEncodable? = nil,
                wallTime: Double = 0, reusedFrom: String? = nil) {
        self.definition = definition
        self.metrics = metrics
        self.parameters = parameters
        self.wallTime = wallTime
        self.reusedFrom = reusedFrom
    }
}

/// A claim with its verdict.
package struct ClaimResult: Sendable {
    package var claim: Claim
    package var judgement: Judgement
}

/// A figure after its runs: curves, verdicts, files, cost.
package struct FigureOutcome: Sendable {
    package var definition: FigureDefinition
    package var curves: [CurveOutcome]
    package var claims: [ClaimResult]
    /// All claims combined (``Judgement/combine(_:)``).
    package var verdict: Judgement
    /// Seconds spent on this figure (runs, analysis, writing, rendering; reused runs cost 0).
    package var wallTime: Double
    /// Processor seconds (all threads) spent on this figure.
    package var processorTime: Double = 0
    /// File names of the rendered images (empty when gnuplot was absent or failed).
    package var images: [String]
    /// Why there are no images, if there are none.
    package var renderNote: String?

    /// Judges every claim of `definition` on the measured curves.
    package init(definition: FigureDefinition, curves: [CurveOutcome], wallTime: Double = 0,
                images: [String] = [], renderNote: String? = nil) {
        self.definition = definition
        self.curves = curves
        let metrics = curves.map(\.metrics), xs = curves.map(\.definition.x)
        claims = definition.claims.map {
            ClaimResult(claim: $0, judgement: $0.judge(curves: metrics, x: xs, scheme: definition.scheme))
        }
        verdict = Judgement.combine(claims.map(\.judgement))
        self.wallTime = wallTime
        self.images = images
        self.renderNote = renderNote
    }

    /// The metrics a report shows for this figure: those of the claims, then the extras.
    package var reportedMetrics: [Metric] {
        var out = [Metric]()
        for m in definition.claims.map(\.metric) + definition.alsoReport where !out.contains(m) { out.append(m) }
        return out
    }

    /// meta.json: parameters, realizations, convergence, metrics, verdicts, files, wall time.
    package func meta(preset: ReproductionPreset, settings: RunSettings) -> FigureMeta {
        let d = definition
        return FigureMeta(
            figure: d.id, title: d.title, model: d.model, preset: preset, paperClaim: d.paperClaim,
            paperSetting: d.paperSetting, scheme: d.scheme?.symbol, seed: settings.seed, threads: settings.threads,
            curves: curves.map { c in
                FigureMeta.Curve(label: c.definition.label, folder: c.definition.slug, schemeValue: c.definition.x,
                                 realizationsRequested: c.metrics.requested, realizationsConverged: c.metrics.converged,
                                 parameters: c.parameters, wallTimeSeconds: c.wallTime, reusedFrom: c.reusedFrom,
                                 metrics: Dictionary(uniqueKeysWithValues: c.metrics.values.map { ($0.key.rawValue, $0.value) }))
            },
            claims: claims.map { FigureMeta.Claim(claim: $0.claim.text, metric: $0.claim.metric, verdict: $0.judgement.verdict,
                                                  reason: $0.judgement.reason) },
            verdict: verdict.verdict, script: d.name + ".gp", images: images, renderNote: renderNote,
            wallTimeSeconds: wallTime)
    }
}

/// meta.json of a figure folder.
package struct FigureMeta: Encodable, Sendable {
    /// One curve of the figure.
    package struct Curve: Encodable, Sendable {
        var label: String
        var folder: String
        var schemeValue: Double
        var realizationsRequested: Int
        var realizationsConverged: Int
        var parameters: AnyEncodable?
        var wallTimeSeconds: Double
        var reusedFrom: String?
        var metrics: [String: Measurement]
    }

    /// One claim with its verdict.
    package struct Claim: Encodable, Sendable {
        var claim: String
        var metric: Metric
        var verdict: Verdict
        var reason: String
    }

    var figure: String
    var title: String
    var model: GlassModel
    var preset: ReproductionPreset
    var paperClaim: String
    var paperSetting: String
    var scheme: String?
    var seed: UInt64
    var threads: Int
    var curves: [Curve]
    var claims: [Claim]
    var verdict: Verdict
    var errorBars = "one standard error, bootstrap over realizations (200 resamples)"
    var script: String
    var images: [String]
    var renderNote: String?
    var wallTimeSeconds: Double
}
