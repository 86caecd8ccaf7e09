import Foundation

/// {min, median, max} of a list of numbers, as summaries report them.
public struct Statistics: Codable, Sendable, Equatable {
    /// The smallest value.
    public var min: Double
    /// The median (the mean of the two middle values for an even count).
    public var median: Double
    /// The largest value.
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
    /// Threads of the run (``RunSettings/threads``).
    public var threads: Int
    /// Seconds per realization of each phase (build, solve, rates...).
    public var secondsPerRealization: [String: Statistics]
    /// Wall-clock seconds of the work this process did (a resumed run counts only what it
    /// computed; a merge counts the merge).
    public var wallTimeSeconds: Double
    /// Peak resident memory of the process (VmHWM), in bytes.
    public var peakMemoryBytes: Int
    /// The instruction-set path of the kernels (``SIMDPath``; absent in older summaries).
    public var simd: String? = SIMDPath.current.rawValue
}

/// summary.json: the parameters, convergence counts and statistics, the pooled observables,
/// the model's own blocks (`Extra`, flattened into the same object) and the cost.
public struct RunSummary<Configuration: Codable & Sendable, Extra: Codable & Sendable>: Codable, Sendable {
    /// The GlassDynamics version that wrote the summary (`GlassDynamicsVersion.string`).
    public var version: String
    /// The model: "tls" or "eg".
    public var model: GlassModel
    /// The run's configuration, as in run.json: the model's parameters keyed by the symbols of
    /// MODEL.md (the electron glass adds `blasThreads`).
    public var parameters: Configuration
    /// Values derived from the parameters: box side, density, initial half-width, tolerance,
    /// field prefactor.
    public var resolved: ResolvedParameters
    /// The seed of the run; realization r draws from the stream (seed, r).
    public var seed: UInt64
    /// True when sites.csv was written.
    public var saveSites: Bool
    /// Realizations the run was asked for.
    public var realizationsRequested: Int
    /// Realizations whose solve reached the tolerance: the ones pooled into `observables`.
    public var realizationsConverged: Int
    /// Realizations that did not converge: left out of `observables`, counted here.
    public var realizationsNotConverged: Int
    /// The indices of the realizations that did not converge.
    public var notConvergedIndices: [Int]
    /// The realizations whose Gauss-Seidel solve stalled and went to the Newton fallback:
    /// how many, how many it brought to a stable solution, how many still fail.
    public var fallback: FallbackSummary
    /// Gauss-Seidel sweeps per realization.
    public var iterations: Statistics?
    /// {min, median, max} over realizations of the final max residual of the mean-field
    /// equations (nil when there are no realizations).
    public var finalMaxResidual: Statistics?
    /// {min, median, max} over realizations of the solver's incremental column updates (nil
    /// when there are no realizations).
    public var columnUpdates: Statistics?
    /// {min, median, max} over realizations of the couplings generated, 0 when not counted
    /// (nil when there are no realizations).
    public var pairEvaluations: Statistics?
    /// {min, median, max} over realizations of the steps of the TAP continuation
    /// (``SolverReport/onsagerSteps``); nil (absent) unless the run solved the TAP equations.
    public var onsagerSteps: Statistics?
    /// The pooled observables of the converged realizations: cutoffs, plateau, DOS.
    public var observables: DistributionAnalysis.Summary
    /// The model's own blocks, written beside the common ones.
    public var extra: Extra
    /// What the run cost: threads, seconds per phase, wall time, peak memory.
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
        fallback = FallbackSummary(outcomes)
        iterations = Statistics(outcomes.map { Double($0.solver.sweeps) })
        finalMaxResidual = Statistics(outcomes.map { $0.solver.residual })
        columnUpdates = Statistics(outcomes.map { Double($0.solver.columnUpdates) })
        pairEvaluations = Statistics(outcomes.map { Double($0.solver.pairEvaluations) })
        onsagerSteps = Statistics(outcomes.compactMap { $0.solver.onsagerSteps.map(Double.init) })
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
        case realizationsNotConverged, notConvergedIndices, fallback, iterations, finalMaxResidual, columnUpdates
        case pairEvaluations, onsagerSteps, observables, cost
    }

    /// Reads a summary.json: the common keys, and the model's own keys from the same object.
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
        fallback = try c.decodeIfPresent(FallbackSummary.self, forKey: .fallback) ?? FallbackSummary([])
        iterations = try c.decodeIfPresent(Statistics.self, forKey: .iterations)
        finalMaxResidual = try c.decodeIfPresent(Statistics.self, forKey: .finalMaxResidual)
        columnUpdates = try c.decodeIfPresent(Statistics.self, forKey: .columnUpdates)
        pairEvaluations = try c.decodeIfPresent(Statistics.self, forKey: .pairEvaluations)
        onsagerSteps = try c.decodeIfPresent(Statistics.self, forKey: .onsagerSteps)
        observables = try c.decode(DistributionAnalysis.Summary.self, forKey: .observables)
        cost = try c.decode(RunCost.self, forKey: .cost)
        extra = try Extra(from: decoder)
    }

    /// Writes the common keys and the model's own keys into one object.
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
        try c.encode(fallback, forKey: .fallback)
        try c.encodeIfPresent(iterations, forKey: .iterations)
        try c.encodeIfPresent(finalMaxResidual, forKey: .finalMaxResidual)
        try c.encodeIfPresent(columnUpdates, forKey: .columnUpdates)
        try c.encodeIfPresent(pairEvaluations, forKey: .pairEvaluations)
        try c.encodeIfPresent(onsagerSteps, forKey: .onsagerSteps)
        try c.encode(observables, forKey: .observables)
        try c.encode(cost, forKey: .cost)
        try extra.encode(to: encoder)
    }
}

/// summary.json's account of the Newton fallback (`NewtonFallback`) over a run.
public struct FallbackSummary: Codable, Sendable, Equatable {
    /// Realizations whose Gauss-Seidel solve reached its sweep limit and went to the fallback.
    public var needed: Int
    /// Of those, the ones the fallback brought to the tolerance at a stable fixed point.
    public var converged: Int
    /// Of those, the ones that still fail (counted among the non-converged).
    public var stillFailing: Int
    /// The indices of the realizations that needed the fallback.
    public var indices: [Int]
    /// {min, median, max} of the smallest stability eigenvalue at the fallback's solutions
    /// (positive: local minima of the mean-field free energy).
    public var smallestStabilityEigenvalue: Statistics?
    /// {min, median, max} of max_i |D_i - D_i^GS|, how far the solutions lie from the states
    /// where Gauss-Seidel stalled.
    public var maxChange: Statistics?
    /// {min, median, max} of the free energy per site at the solution minus the one at the
    /// stalled state.
    public var freeEnergyChange: Statistics?

    /// The account of `outcomes`.
    public init(_ outcomes: [RealizationOutcome]) {
        let reports = outcomes.compactMap { o in o.solver.fallback.map { (o.index, $0) } }
        needed = reports.count
        converged = reports.filter { $0.1.converged }.count
        stillFailing = needed - converged
        indices = reports.map(\.0)
        smallestStabilityEigenvalue = Statistics(reports.compactMap { $0.1.smallestStabilityEigenvalue })
        maxChange = Statistics(reports.map { $0.1.maxChange })
        freeEnergyChange = Statistics(reports.compactMap { r in
            r.1.freeEnergyAfter.flatMap { a in r.1.freeEnergyBefore.map { a - $0 } } })
    }
}
