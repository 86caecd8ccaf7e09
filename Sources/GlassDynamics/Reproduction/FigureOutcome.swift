import Foundation

/// A curve after its run: what was measured and what it cost.
public struct CurveOutcome: Sendable {
    public var definition: CurveDefinition
    public var metrics: CurveMetrics
    /// The `parameters` block of the run's summary.json.
    public var parameters: JSONValue
    /// Seconds this curve's run took (the original run's time when reused).
    public var wallTime: Double
    /// The figure whose run this curve reuses (same parameters and realizations), if any.
    public var reusedFrom: String?

    public init(definition: CurveDefinition, metrics: CurveMetrics, parameters: JSONValue = .null,
                wallTime: Double = 0, reusedFrom: String? = nil) {
        self.definition = definition
        self.metrics = metrics
        self.parameters = parameters
        self.wallTime = wallTime
        self.reusedFrom = reusedFrom
    }
}

/// A claim with its verdict.
public struct ClaimResult: Sendable {
    public var claim: Claim
    public var judgement: Judgement
}

/// A figure after its runs: curves, verdicts, files, cost.
public struct FigureOutcome: Sendable {
    public var definition: FigureDefinition
    public var curves: [CurveOutcome]
    public var claims: [ClaimResult]
    /// All claims combined (``Judgement/combine(_:)``).
    public var verdict: Judgement
    /// Seconds spent on this figure (runs, analysis, writing, rendering; reused runs cost 0).
    public var wallTime: Double
    /// File names of the rendered images (empty when gnuplot was absent or failed).
    public var images: [String]
    /// Why there are no images, if there are none.
    public var renderNote: String?

    /// Judges every claim of `definition` on the measured curves.
    public init(definition: FigureDefinition, curves: [CurveOutcome], wallTime: Double = 0,
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
    public var reportedMetrics: [Metric] {
        var out = [Metric]()
        for m in definition.claims.map(\.metric) + definition.alsoReport where !out.contains(m) { out.append(m) }
        return out
    }

    /// meta.json: parameters, realizations, convergence, metrics, verdicts, files, wall time.
    public func meta(preset: ReproductionPreset, settings: RunSettings) -> JSONValue {
        let d = definition
        let curveList: [JSONValue] = curves.map { c in
            var fields: [(String, JSONValue)] = [
                ("label", .string(c.definition.label)),
                ("folder", .string(c.definition.slug)),
                ("schemeValue", .number(c.definition.x)),
                ("realizationsRequested", .integer(c.metrics.requested)),
                ("realizationsConverged", .integer(c.metrics.converged)),
                ("parameters", c.parameters),
                ("wallTimeSeconds", .number(c.wallTime)),
                ("reusedFrom", c.reusedFrom.map { .string($0) } ?? .null),
            ]
            fields.append(("metrics", .object(Metric.allCases.compactMap { m in
                c.metrics.values[m].map { (m.rawValue, $0.json) }
            })))
            return .object(fields)
        }
        return .object([
            ("figure", .string(d.id)),
            ("title", .string(d.title)),
            ("model", .string(d.model.rawValue)),
            ("preset", .string(preset.rawValue)),
            ("paperClaim", .string(d.paperClaim)),
            ("paperSetting", .string(d.paperSetting)),
            ("scheme", d.scheme.map { .string($0.symbol) } ?? .null),
            ("seed", .integer(Int(truncatingIfNeeded: settings.seed))),
            ("threads", .integer(settings.threads)),
            ("curves", .array(curveList)),
            ("claims", .array(claims.map { c in
                .object([("claim", .string(c.claim.text)), ("metric", .string(c.claim.metric.rawValue)),
                         ("verdict", .string(c.judgement.verdict.rawValue)), ("reason", .string(c.judgement.reason))])
            })),
            ("verdict", .string(verdict.verdict.rawValue)),
            ("errorBars", .string("one standard error, bootstrap over realizations (200 resamples)")),
            ("script", .string(d.name + ".gp")),
            ("images", .array(images.map { .string($0) })),
            ("renderNote", renderNote.map { .string($0) } ?? .null),
            ("wallTimeSeconds", .number(wallTime)),
        ])
    }
}
