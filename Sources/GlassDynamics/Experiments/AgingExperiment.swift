import Foundation

/// A model experiment that can linearise its realizations with the full rate matrix and
/// weigh the modes by a perturbation of given strength (``AgingExperiment``).
public protocol AgingModel: MeanFieldExperiment {
    /// The strength of the aging perturbation (nil: no weights). TLS: a uniform shift h of
    /// every asymmetry Delta_i; electron glass: the site potential
    /// delta phi_i = h sin(2 pi x_i / L), the longest-wavelength field of the torus.
    var perturbationStrength: Double? { get set }
    /// Realization `r` with the full rate matrix, its modes and their weights.
    func linearRealization(_ r: Int, innerThreads: Int) throws -> (outcome: RealizationOutcome, linear: LinearOutcome?)
    /// The model's parameters with the full rate matrix and the modes switched on.
    static func withModes(_ p: Parameters) -> Parameters
}

extension TLSExperiment: AgingModel {
    /// Realization `r` computed as the model's own command computes it, with its linear outcome.
    public func linearRealization(_ r: Int, innerThreads: Int) throws -> (outcome: RealizationOutcome, linear: LinearOutcome?) {
        let x = try realization(r, innerThreads: innerThreads)
        return (x.outcome, x.linear)
    }
    /// The parameters with the full rate matrix and the modes switched on.
    public static func withModes(_ p: TLSParameters) -> TLSParameters {
        var q = p
        q.rateMatrix = .full
        q.computeModes = true
        return q
    }
}

extension EGExperiment: AgingModel {
    /// Realization `r` computed as the model's own command computes it, with its linear outcome.
    public func linearRealization(_ r: Int, innerThreads: Int) throws -> (outcome: RealizationOutcome, linear: LinearOutcome?) {
        let x = try realization(r, innerThreads: innerThreads)
        return (x.outcome, x.linear)
    }
    /// The parameters with the full rate matrix and the modes switched on.
    public static func withModes(_ p: EGParameters) -> EGParameters {
        var q = p
        q.rateMatrix = .full
        q.computeModes = true
        return q
    }
}

/// What determines an aging run: the model's parameters (the full rate matrix and modes are
/// implied), the waiting times and the perturbation strength. Written as one object: the
/// model's keys, `tw` and `h`.
public struct AgingConfiguration<Parameters: MeanFieldParameters>: Codable, Sendable, Equatable {
    /// The model's parameters (the full rate matrix and the modes are switched on by the experiment).
    public var parameters: Parameters
    /// Waiting times t_w (each > 0).
    public var waitingTimes: [Double]
    /// Perturbation strength h.
    public var strength: Double

    /// A configuration of these values.
    public init(parameters: Parameters, waitingTimes: [Double], strength: Double) {
        self.parameters = parameters
        self.waitingTimes = waitingTimes
        self.strength = strength
    }

    enum CodingKeys: String, CodingKey { case waitingTimes = "tw", strength = "h" }

    /// Reads the model's keys, `tw` and `h` from one object.
    public init(from decoder: any Decoder) throws {
        parameters = try Parameters(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        waitingTimes = try c.decode([Double].self, forKey: .waitingTimes)
        strength = try c.decode(Double.self, forKey: .strength)
    }

    /// Writes the model's keys, `tw` and `h` into one object.
    public func encode(to encoder: any Encoder) throws {
        try parameters.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(waitingTimes, forKey: .waitingTimes)
        try c.encode(strength, forKey: .strength)
    }
}

/// Aging after a perturbation held for t_w (`glassdyn aging`, issue #11): each realization
/// is linearised with the full rate matrix; its modes carry the weights w_k of
/// ``AgingResponse``; `finish` pools rates and weights into
/// O(t; t_w) = (1 / N R) sum_k w_k (1 - e^{-Gamma_k t_w}) e^{-Gamma_k t} (R the realizations
/// kept), beside the closed form of a 1/Gamma law with the same total weight.
public struct AgingExperiment<Model: AgingModel>: RealizationExperiment {
    /// One realization's rates and weighted modes.
    public typealias Realization = AgingRealization
    /// The parameters, waiting times and strength.
    public typealias Configuration = AgingConfiguration<Model.Parameters>

    /// The model's parameters.
    public var parameters: Model.Parameters
    /// Waiting times t_w for which the response is written.
    public var waitingTimes: [Double]
    /// Perturbation strength h (see ``AgingModel/perturbationStrength``).
    public var strength: Double
    /// Seed, realizations and threads.
    public var settings: RunSettings

    /// The model of the underlying experiment.
    public static var model: GlassModel { Model.model }
    /// run.json says "aging", so merge rebuilds an aging run.
    public static var kind: String? { "aging" }

    /// An aging run of these parameters, waiting times and strength.
    public init(parameters: Model.Parameters, waitingTimes: [Double], strength: Double, settings: RunSettings) {
        self.parameters = parameters
        self.waitingTimes = waitingTimes
        self.strength = strength
        self.settings = settings
    }

    /// Rebuilds the run from its run.json.
    public init(configuration: Configuration, settings: RunSettings) {
        self.init(parameters: configuration.parameters, waitingTimes: configuration.waitingTimes,
                  strength: configuration.strength, settings: settings)
    }

    /// What run.json stores.
    public var configuration: Configuration {
        AgingConfiguration(parameters: parameters, waitingTimes: waitingTimes, strength: strength)
    }

    /// The model experiment that computes each realization.
    public var inner: Model {
        var e = Model(parameters: Model.withModes(parameters), settings: settings)
        e.perturbationStrength = strength
        return e
    }

    /// The waiting times and the strength, then the model's own checks (memory of the dense
    /// eigenproblem included).
    public func validate() throws {
        if waitingTimes.isEmpty {
            throw ParameterError(.waitingTimes, "\(Parameter.waitingTimes) needs at least one waiting time")
        }
        for tw in waitingTimes where !(tw.isFinite && tw > 0) {
            throw ParameterError(.waitingTimes, "\(Parameter.waitingTimes) values must be positive and finite, got \(tw)")
        }
        if !(strength.isFinite && strength != 0) {
            throw ParameterError(.perturbationStrength, "\(Parameter.perturbationStrength) must be a non-zero finite number, got \(strength)")
        }
        try inner.validate()
    }

    /// Realization `r`: the full rate matrix, its modes and their weights.
    public func realization(_ r: Int, innerThreads: Int) throws -> AgingRealization {
        let x = try inner.linearRealization(r, innerThreads: innerThreads)
        return AgingRealization(outcome: x.outcome, linear: x.linear)
    }

    /// The realization index of a record.
    public static func index(of realization: AgingRealization) -> Int { realization.outcome.index }

    /// Pools the weighted modes of the stable realizations into the response.
    public func finish(_ realizations: [AgingRealization], wallTime: Double, progress: ProgressReporter?) -> AgingResult {
        AgingResult(model: Model.model, configuration: configuration, settings: settings, realizations: realizations,
                    sites: parameters.sites, wallTime: wallTime)
    }
}

/// One realization of an aging run: its outcome (energies, pooled rates, solver) and the
/// linear outcome (stability, modes with weights).
public struct AgingRealization: Sendable, BinaryRecord {
    /// Energies, rates, solver report and timings.
    public var outcome: RealizationOutcome
    /// The stability and the weighted modes (nil when the solve did not converge).
    public var linear: LinearOutcome?

    /// Converged and a stable fixed point.
    public var isPooled: Bool { outcome.solver.converged && (linear?.isStable ?? false) }

    /// A record of these parts.
    public init(outcome: RealizationOutcome, linear: LinearOutcome?) {
        self.outcome = outcome
        self.linear = linear
    }

    /// Writes the outcome, then the linear outcome if any.
    public func encode(into w: inout BinaryWriter) {
        outcome.encode(into: &w)
        w.writeOptional(linear) { w, l in l.encode(into: &w) }
    }

    /// Reads what ``encode(into:)`` wrote.
    public init(from r: inout BinaryReader) throws {
        outcome = try RealizationOutcome(from: &r)
        linear = try r.readOptional { try LinearOutcome(from: &$0) }
    }
}

/// The pooled aging response.
public struct AgingResult: RunResult {
    /// The model aged.
    public let model: GlassModel
    /// Every realization's outcome.
    public let outcomes: [RealizationOutcome]
    /// The pooled DOS and rate distribution of the kept realizations.
    public let analysis: DistributionAnalysis
    /// Wall-clock seconds of the run.
    public let wallTime: Double
    /// Every pooled mode: ln Gamma and weight / (N R).
    public let lnRates: [Double]
    /// The weight of each pooled mode (same order as ``lnRates``).
    public let weights: [Double]
    /// The waiting times t_w of aging.csv.
    public let waitingTimes: [Double]
    /// The 1/Gamma law of the closed form: weighted 1% and 99% quantiles of ln Gamma, and
    /// c' = 0.98 (total weight) / (ln Gamma_max - ln Gamma_min).
    public let lnGammaMin: Double
    /// Upper cutoff ln Gamma_max of the closed form.
    public let lnGammaMax: Double
    /// The amplitude c' of the closed form.
    public let amplitude: Double
    let summary: any Encodable & Sendable
    /// Realizations converged and stable.
    public let keptCount: Int

    /// The times of aging.csv for one t_w: 61 log-spaced t from 1e-3 t_w to 1e3 t_w.
    public static func times(waitingTime tw: Double) -> [Double] {
        (0...60).map { tw * Foundation.pow(10, -3 + Double($0) / 10) }
    }

    init<P: MeanFieldParameters>(model: GlassModel, configuration: AgingConfiguration<P>, settings: RunSettings,
                                 realizations: [AgingRealization], sites: Int, wallTime: Double) {
        self.model = model
        self.wallTime = wallTime
        outcomes = realizations.map(\.outcome)
        waitingTimes = configuration.waitingTimes
        let kept = realizations.filter(\.isPooled)
        analysis = DistributionAnalysis(outcomes: kept.map(\.outcome), seed: settings.seed, options: DistributionAnalysis.Options())
        let norm = 1 / Double(Swift.max(1, kept.count) * sites)
        var ln = [Double](), w = [Double]()
        for r in kept {
            for m in r.linear?.modes ?? [] {
                ln.append(m.lnRate)
                w.append((m.weight ?? 0) * norm)
            }
        }
        lnRates = ln
        weights = w
        let (lo, hi) = Self.weightedQuantiles(ln, w, [0.01, 0.99])
        lnGammaMin = lo
        lnGammaMax = hi
        let total = w.reduce(0, +)
        amplitude = hi > lo ? 0.98 * total / (hi - lo) : .nan
        keptCount = kept.count
        let summary = AgingSummary(
            model: model, parameters: configuration, seed: settings.seed,
            realizationsRequested: settings.realizations,
            realizationsConverged: realizations.filter { $0.outcome.solver.converged }.count,
            saddleRealizations: realizations.filter { $0.linear?.stability == .notPositiveDefinite }.map { $0.outcome.index },
            positiveEigenvalueRealizations: realizations.filter { $0.linear?.stability == .positiveEigenvalue }.map { $0.outcome.index },
            realizationsKept: kept.count, modes: ln.count, totalWeight: total,
            closedForm: .init(lnGammaMin: lo, lnGammaMax: hi, amplitude: amplitude),
            wallTimeSeconds: wallTime)
        self.summary = summary
    }

    /// Quantiles of `x` weighted by `w` (the first x whose cumulative weight reaches q).
    static func weightedQuantiles(_ x: [Double], _ w: [Double], _ qs: [Double]) -> (Double, Double) {
        let order = x.indices.sorted { x[$0] < x[$1] }
        let total = w.reduce(0, +)
        guard total > 0 else { return (.nan, .nan) }
        func q(_ level: Double) -> Double {
            var acc = 0.0
            for i in order {
                acc += w[i]
                if acc >= level * total { return x[i] }
            }
            return x[order.last!]
        }
        return (q(qs[0]), q(qs[1]))
    }

    /// The response O(t; t_w) of the pooled modes.
    public func response(time t: Double, waitingTime tw: Double) -> Double {
        AgingResponse.response(rates: lnRates.map { Foundation.exp($0) }, weights: weights, time: t, waitingTime: tw)
    }

    /// aging.csv: t, tw, response, closedForm, simpleAging.
    public var agingTable: CSVTable {
        var t = CSVTable(columns: ["t", "tw", "response", "closedForm", "simpleAging"])
        let rates = lnRates.map { Foundation.exp($0) }
        for tw in waitingTimes {
            for time in Self.times(waitingTime: tw) {
                t.append([time, tw, AgingResponse.response(rates: rates, weights: weights, time: time, waitingTime: tw),
                          AgingResponse.inverseGammaLaw(gammaMin: Foundation.exp(lnGammaMin), gammaMax: Foundation.exp(lnGammaMax),
                                                        amplitude: amplitude, time: time, waitingTime: tw),
                          AgingResponse.simpleAging(amplitude: amplitude, time: time, waitingTime: tw)])
            }
        }
        return t
    }

    /// weights.csv: lnGamma, weight of every pooled mode (weights / (N R)).
    public var weightsTable: CSVTable {
        var t = CSVTable(columns: ["lnGamma", "weight"])
        for k in lnRates.indices { t.append([lnRates[k], weights[k]]) }
        return t
    }

    /// aging.csv, weights.csv and summary.json.
    public var files: [OutputFile] {
        [.csv("aging.csv", agingTable), .csv("weights.csv", weightsTable), .json("summary.json", summary)]
    }

    /// One line: realizations kept and the closed form's cutoffs.
    public var headline: String {
        String(format: "aging (%@): %d/%d realizations kept, %d modes, total weight %.4g, closed form: ln Gamma in [%.2f, %.2f], c' = %.4g, %.1f s",
               model.rawValue, keptCount, outcomes.count, lnRates.count,
               weights.reduce(0, +), lnGammaMin, lnGammaMax, amplitude, wallTime)
    }
}

/// summary.json of an aging run.
struct AgingSummary<P: MeanFieldParameters>: Encodable, Sendable {
    var version = GlassDynamicsVersion.string
    var model: GlassModel
    var parameters: AgingConfiguration<P>
    var perturbation: String {
        model == .tls ? "uniform asymmetry shift delta Delta_i = h; observable O = sum_i h delta m_i"
            : "site potential delta phi_i = h sin(2 pi x_i / L); observable O = -sum_i delta phi_i delta n_i"
    }
    var seed: UInt64
    var realizationsRequested: Int
    var realizationsConverged: Int
    var saddleRealizations: [Int]
    var positiveEigenvalueRealizations: [Int]
    var realizationsKept: Int
    var modes: Int
    /// sum_k w_k / (N R): the static response per site.
    var totalWeight: Double
    var closedForm: ClosedForm
    var closedFormRule = "1/Gamma law between the weighted 1% and 99% quantiles of ln Gamma, c' = 0.98 total weight / (ln Gamma_max - ln Gamma_min); response c'[E1(Gmin t) - E1(Gmin(t+tw)) - E1(Gmax t) + E1(Gmax(t+tw))], simple aging c' ln(1 + tw/t)"
    var wallTimeSeconds: Double

    struct ClosedForm: Encodable, Sendable {
        var lnGammaMin: Double
        var lnGammaMax: Double
        var amplitude: Double
    }

    enum CodingKeys: String, CodingKey {
        case version, model, parameters, perturbation, seed, realizationsRequested, realizationsConverged
        case saddleRealizations, positiveEigenvalueRealizations, realizationsKept, modes, totalWeight, closedForm
        case closedFormRule, wallTimeSeconds
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(version, forKey: .version); try c.encode(model, forKey: .model)
        try c.encode(parameters, forKey: .parameters); try c.encode(perturbation, forKey: .perturbation)
        try c.encode(seed, forKey: .seed); try c.encode(realizationsRequested, forKey: .realizationsRequested)
        try c.encode(realizationsConverged, forKey: .realizationsConverged)
        try c.encode(saddleRealizations, forKey: .saddleRealizations)
        try c.encode(positiveEigenvalueRealizations, forKey: .positiveEigenvalueRealizations)
        try c.encode(realizationsKept, forKey: .realizationsKept); try c.encode(modes, forKey: .modes)
        try c.encode(totalWeight, forKey: .totalWeight); try c.encode(closedForm, forKey: .closedForm)
        try c.encode(closedFormRule, forKey: .closedFormRule); try c.encode(wallTimeSeconds, forKey: .wallTimeSeconds)
    }
}
