import Foundation

/// {min, median, max} of a list of numbers, as summaries report them.
public struct Statistics: Codable, Sendable, Equatable {
    public var min: Double
    public var median: Double
    public var max: Double

    /// nil for an empty list.
    public init?(_ xs: [Double]) {
        let s = xs.sorted()
        guard let first = s.first, let last = s.last else { return nil }
        min = first
        median = s.count % 2 == 1 ? s[s.count / 2] : 0.5 * (s[s.count / 2 - 1] + s[s.count / 2])
        max = last
    }
}

/// Values derived from the parameters (for a reader of summary.json; not compared).
public struct ResolvedParameters: Codable, Sendable, Equatable {
    /// Side L of the periodic box.
    public var boxSide: Double
    /// Site density N / L^d.
    public var density: Double
    /// Half-width of the uniform initial state.
    public var initialHalfWidth: Double
    /// Largest accepted max residual.
    public var tol: Double
    /// The prefactor of the interaction sum in the mean-field equation.
    public var fieldPrefactor: Double

    /// The resolved values of `p`, with the model's field prefactor.
    public init<P: MeanFieldParameters>(_ p: P, fieldPrefactor: Double) {
        boxSide = p.boxSide
        density = p.density
        initialHalfWidth = p.resolvedInitialHalfWidth
        tol = p.resolvedTolerance
        self.fieldPrefactor = fieldPrefactor
    }
}

/// What a run cost: everything that varies between identical runs sits here, so the rest of
/// summary.json is reproducible bit for bit (resume, shards, thread counts).
public struct RunCost: Codable, Sendable {
    public var threads: Int
    /// Seconds per realization of each phase (build, solve, rates...).
    public var secondsPerRealization: [String: Statistics]
    public var wallTimeSeconds: Double
    public var peakMemoryBytes: Int
}

/// summary.json: the parameters, convergence counts and statistics, the pooled observables,
/// the model's own blocks (`Extra`, flattened into the same object) and the cost.
public struct RunSummary<Configuration: Codable & Sendable, Extra: Codable & Sendable>: Codable, Sendable {
    public var version: String
    public var model: GlassModel
    public var parameters: Configuration
    public var resolved: ResolvedParameters
    public var seed: UInt64
    public var saveSites: Bool
    public var realizationsRequested: Int
    public var realizationsConverged: Int
    public var realizationsNotConverged: Int
    public var notConvergedIndices: [Int]
    /// Gauss-Seidel sweeps per realization.
    public var iterations: Statistics?
    public var finalMaxResidual: Statistics?
    public var columnUpdates: Statistics?
    public var pairEvaluations: Statistics?
    public var observables: DistributionAnalysis.Summary
    /// The model's own blocks, written beside the common ones.
    public var extra: Extra
    public var cost: RunCost

    /// The summary of a finished run.
    public init(model: GlassModel, parameters: Configuration, resolved: ResolvedParameters, settings: RunSettings,
                outcomes: [RealizationOutcome], analysis: DistributionAnalysis, extra: Extra, wallTime: Double) {
        version = GlassDynamicsVersion.string
        self.model = model
        self.parameters = parameters
        self.resolved = resolved
        seed = settings.seed
        saveSites = settings.saveSites
        realizationsRequested = settings.realizations
        let failed = outcomes.filter { !$0.solver.converged }
        realizationsConverged = outcomes.count - failed.count
        realizationsNotConverged = failed.count
        notConvergedIndices = failed.map(\.index)
        iterations = Statistics(outcomes.map { Double($0.solver.sweeps) })
        finalMaxResidual = Statistics(outcomes.map { $0.solver.residual })
        columnUpdates = Statistics(outcomes.map { Double($0.solver.columnUpdates) })
        pairEvaluations = Statistics(outcomes.map { Double($0.solver.pairEvaluations) })
        observables = analysis.summary
        self.extra = extra
        var phases = [String: Statistics]()
        for name in Set(outcomes.flatMap { $0.timings.map(\.0) }) {
            phases[name] = Statistics(outcomes.compactMap { o in o.timings.first { $0.0 == name }?.1 })
        }
        cost = RunCost(threads: settings.threads, secondsPerRealization: phases, wallTimeSeconds: wallTime,
                       peakMemoryBytes: ResourceUsage.peakResidentBytes)
    }

    enum CodingKeys: String, CodingKey {
        case version, model, parameters, resolved, seed, saveSites, realizationsRequested, realizationsConverged
        case realizationsNotConverged, notConvergedIndices, iterations, finalMaxResidual, columnUpdates
        case pairEvaluations, observables, cost
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decode(String.self, forKey: .version)
        model = try c.decode(GlassModel.self, forKey: .model)
        parameters = try c.decode(Configuration.self, forKey: .parameters)
        resolved = try c.decode(ResolvedParameters.self, forKey: .resolved)
        seed = try c.decode(UInt64.self, forKey: .seed)
        saveSites = try c.decode(Bool.self, forKey: .saveSites)
        realizationsRequested = try c.decode(Int.self, forKey: .realizationsRequested)
        realizationsConverged = try c.decode(Int.self, forKey: .realizationsConverged)
        realizationsNotConverged = try c.decode(Int.self, forKey: .realizationsNotConverged)
        notConvergedIndices = try c.decode([Int].self, forKey: .notConvergedIndices)
        iterations = try c.decodeIfPresent(Statistics.self, forKey: .iterations)
        finalMaxResidual = try c.decodeIfPresent(Statistics.self, forKey: .finalMaxResidual)
        columnUpdates = try c.decodeIfPresent(Statistics.self, forKey: .columnUpdates)
        pairEvaluations = try c.decodeIfPresent(Statistics.self, forKey: .pairEvaluations)
        observables = try c.decode(DistributionAnalysis.Summary.self, forKey: .observables)
        cost = try c.decode(RunCost.self, forKey: .cost)
        extra = try Extra(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(version, forKey: .version)
        try c.encode(model, forKey: .model)
        try c.encode(parameters, forKey: .parameters)
        try c.encode(resolved, forKey: .resolved)
        try c.encode(seed, forKey: .seed)
        try c.encode(saveSites, forKey: .saveSites)
        try c.encode(realizationsRequested, forKey: .realizationsRequested)
        try c.encode(realizationsConverged, forKey: .realizationsConverged)
        try c.encode(realizationsNotConverged, forKey: .realizationsNotConverged)
        try c.encode(notConvergedIndices, forKey: .notConvergedIndices)
        try c.encodeIfPresent(iterations, forKey: .iterations)
        try c.encodeIfPresent(finalMaxResidual, forKey: .finalMaxResidual)
        try c.encodeIfPresent(columnUpdates, forKey: .columnUpdates)
        try c.encodeIfPresent(pairEvaluations, forKey: .pairEvaluations)
        try c.encode(observables, forKey: .observables)
        try c.encode(cost, forKey: .cost)
        try extra.encode(to: encoder)
    }
}
