import Foundation

/// The two glasses of the paper.
public enum GlassModel: String, Sendable, Codable, CaseIterable {
    case tls, eg

    public var title: String { self == .tls ? "TLS glass" : "electron glass" }
}

/// What a finished run of either model offers to figures and sweeps: the per-realization
/// outcomes, the pooled analysis, its summary.json and the files the single command writes.
public protocol ModelRunResult: Sendable {
    var outcomes: [RealizationOutcome] { get }
    var analysis: DistributionAnalysis { get }
    var summary: JSONValue { get }
    var wallTime: Double { get }
    /// Writes exactly what the model's own command (`glassdyn tls`, `glassdyn eg`) writes.
    func write(to out: OutputDirectory) throws
    /// Metrics only this model measures (the Coulomb gap, Appendix A's NN law).
    var modelMetrics: [Metric: Measurement] { get }
}

extension TLSRunResult: ModelRunResult {
    public var modelMetrics: [Metric: Measurement] { [:] }
}

extension EGRunResult: ModelRunResult {
    public var modelMetrics: [Metric: Measurement] {
        var m = [Metric: Measurement]()
        if let g = coulombGap {
            m[.esSlope] = Measurement(g.slopePerArea, error: g.slopePerAreaError)
        }
        if let nn = nearestNeighbour {
            if nn.fast.samples > 0 { m[.nnFastKS] = Measurement(nn.fast.statistic) }
            if nn.slow.samples > 0 { m[.nnSlowKS] = Measurement(nn.slow.statistic) }
        }
        return m
    }
}

/// The parameters a scheme or a sweep varies.
public enum SweepVariable: String, Sendable, CaseIterable {
    case w, j, t, n, xi
    /// The ratio W/J (with `--fix-sum w2+j2=S` both move; otherwise J stays).
    case wOverJ = "w/j"

    /// The symbol used in labels and folder names.
    public var symbol: String {
        switch self {
        case .w: return "W"
        case .j: return "J"
        case .t: return "T"
        case .n: return "N"
        case .xi: return "xi"
        case .wOverJ: return "W/J"
        }
    }
}

/// One point of a figure or a sweep: a model with all its parameters. Running it is the same
/// work as the model's own command with these parameters.
public enum ModelPoint: Sendable, Equatable {
    case tls(TLSParameters)
    case eg(EGParameters)

    public var model: GlassModel {
        switch self {
        case .tls: return .tls
        case .eg: return .eg
        }
    }

    /// Reads one of the varied parameters.
    public func value(of v: SweepVariable) throws -> Double {
        switch self {
        case .tls(let p):
            switch v {
            case .w: return p.disorder
            case .j: return p.interaction
            case .t: return p.temperature
            case .n: return Double(p.sites)
            case .wOverJ: return p.disorder / p.interaction
            case .xi: throw GlassDynamicsError.invalidInput("xi (the localization length) belongs to the electron glass, not the TLS glass")
            }
        case .eg(let p):
            switch v {
            case .w: return p.disorder
            case .j: return p.interaction
            case .t: return p.temperature
            case .n: return Double(p.sites)
            case .wOverJ: return p.disorder / p.interaction
            case .xi: return p.localizationLength
            }
        }
    }

    /// The same point with one parameter set (W/J sets W = ratio * J).
    public func setting(_ v: SweepVariable, to x: Double) throws -> ModelPoint {
        switch self {
        case .tls(var p):
            switch v {
            case .w: p.disorder = x
            case .j: p.interaction = x
            case .t: p.temperature = x
            case .n: p.sites = try ModelPoint.siteCount(x)
            case .wOverJ: p.disorder = x * p.interaction
            case .xi: _ = try value(of: .xi)
            }
            return .tls(p)
        case .eg(var p):
            switch v {
            case .w: p.disorder = x
            case .j: p.interaction = x
            case .t: p.temperature = x
            case .n: p.sites = try ModelPoint.siteCount(x)
            case .wOverJ: p.disorder = x * p.interaction
            case .xi: p.localizationLength = x
            }
            return .eg(p)
        }
    }

    static func siteCount(_ x: Double) throws -> Int {
        guard x.isFinite, x >= 1, x == x.rounded(), x < 1e9 else {
            throw GlassDynamicsError.invalidInput("N must be a positive whole number, got \(x)")
        }
        return Int(x)
    }

    /// The alternative choices REPORT.md reruns a disputed sign with.
    public func with(convention: MeanFieldConvention) -> ModelPoint {
        switch self {
        case .tls(var p): p.convention = convention; return .tls(p)
        case .eg(var p): p.convention = convention; return .eg(p)
        }
    }

    public func with(box: BoxConvention) -> ModelPoint {
        switch self {
        case .tls(var p): p.box = box; return .tls(p)
        case .eg(var p): p.box = box; return .eg(p)
        }
    }

    public var convention: MeanFieldConvention {
        switch self {
        case .tls(let p): return p.convention
        case .eg(let p): return p.convention
        }
    }

    public var box: BoxConvention {
        switch self {
        case .tls(let p): return p.box
        case .eg(let p): return p.box
        }
    }

    public var sites: Int { Int((try? value(of: .n)) ?? 0) }
    public var temperature: Double { (try? value(of: .t)) ?? .nan }

    /// Side of the periodic box and its dimension.
    public var geometry: (side: Double, dimension: Int) {
        switch self {
        case .tls(let p): return (p.boxSide, TLSParameters.dimension)
        case .eg(let p): return (p.boxSide, EGParameters.dimension)
        }
    }

    /// Every check of the model's own command (before any work).
    public func validate(settings: RunSettings) throws {
        switch self {
        case .tls(let p): try TLSExperiment(parameters: p, settings: settings).validate()
        case .eg(let p): try EGExperiment(parameters: p, settings: settings).validate()
        }
    }

    /// Runs the point (validate first). With a `checkpoint` folder the realizations go through
    /// that folder's ledger like the model's own command (`resume` reuses an earlier ledger
    /// there); an interruption throws ``GlassDynamicsError/interrupted(_:)``.
    public func run(settings: RunSettings, checkpoint: URL? = nil, resume: Bool = false,
                    interrupt: InterruptFlag? = nil) throws -> any ModelRunResult {
        func campaign<E: RealizationExperiment>(_ e: E) throws -> (realizations: [E.Realization], wallTime: Double, progress: ProgressReporter) {
            var c = Campaign(experiment: e)
            c.folder = checkpoint
            c.resume = resume && checkpoint.map { FileManager.default.fileExists(atPath: $0.appendingPathComponent(Campaign<E>.manifestName).path) } ?? false
            c.interrupt = interrupt
            let progress = ProgressReporter(label: e.label, total: e.settings.realizations, quiet: e.settings.quiet)
            let o = try c.run(progress: progress)
            if !o.complete {
                throw GlassDynamicsError.interrupted("interrupted after \(o.realizations.count) of \(e.settings.realizations) realizations of one point; rerun the same command with --resume")
            }
            return (o.realizations, o.wallTime, progress)
        }
        switch self {
        case .tls(let p):
            let e = TLSExperiment(parameters: p, settings: settings)
            let r = try campaign(e)
            return e.finish(r.realizations, wallTime: r.wallTime, progress: r.progress)
        case .eg(let p):
            let e = EGExperiment(parameters: p, settings: settings)
            let r = try campaign(e)
            return e.finish(r.realizations, wallTime: r.wallTime, progress: r.progress)
        }
    }

    /// A text identifying the point's physics (for reusing a run across figures).
    public var key: String {
        switch self {
        case .tls(let p): return "tls \(p)"
        case .eg(let p): return "eg \(p)"
        }
    }
}
