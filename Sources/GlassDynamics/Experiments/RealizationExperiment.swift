/// A run made of independent realizations, as ``Campaign`` executes it. The TLS glass and the
/// electron glass both conform, so checkpointing, resuming, sharding, merging and finishing are
/// written once for every model.
public protocol RealizationExperiment: Sendable {
    /// What one realization produces; stored in the checkpoint ledger.
    associatedtype Realization: BinaryRecord
    /// Everything beyond ``RunSettings`` that determines a realization's result; stored in
    /// run.json, compared on resume and merge, and enough to rebuild the experiment.
    associatedtype Configuration: Codable & Equatable & Sendable
    /// What pooling the realizations gives.
    associatedtype Result: RunResult

    /// The model this experiment simulates.
    static var model: GlassModel { get }
    /// What kind of run of that model: nil for the model's own run (`tls`, `eg`), a name for
    /// the others (`aging`). run.json records it, and merge rebuilds the run from it.
    static var kind: String? { get }

    /// How the run is executed: seed, realizations, threads.
    var settings: RunSettings { get }
    /// The configuration written to run.json.
    var configuration: Configuration { get }
    /// Rebuilds an experiment from its run.json (`glassdyn merge` and resume).
    init(configuration: Configuration, settings: RunSettings)

    /// Checks that must pass before any work.
    func validate() throws
    /// Computes realization `r`, using up to `innerThreads` threads inside it.
    func realization(_ r: Int, innerThreads: Int) throws -> Realization
    /// The realization index a record belongs to.
    static func index(of realization: Realization) -> Int
    /// Why a decoded ledger record cannot belong to this run (wrong sizes, impossible values),
    /// or nil. Records come from an untrusted file; see CheckpointValidation.swift.
    func recordProblem(_ record: Realization) -> String?
    /// Pools the realizations (all of the run, sorted by index) into the run's result.
    func finish(_ realizations: [Realization], wallTime: Double, progress: ProgressReporter?) -> Result
}

extension RealizationExperiment {
    /// The model's own run.
    public static var kind: String? { nil }

    /// Short model name ("tls", "eg") for progress lines and manifests.
    public var label: String { Self.model.rawValue }

    /// Runs every realization in memory (no checkpoint) and pools them; validates first.
    public func run() throws -> Result {
        try validate()
        switch try Campaign(experiment: self).execute() {
        case .finished(let result): return result
        case .shardFinished, .interrupted(_, _):
            throw GlassDynamicsError.interrupted("\(label): interrupted before every realization was done")
        }
    }
}

/// An experiment of a mean-field glass: built from the model's parameters.
public protocol MeanFieldExperiment: RealizationExperiment {
    /// The model's parameters.
    associatedtype Parameters: MeanFieldParameters
    /// The parameters of every realization.
    var parameters: Parameters { get }
    /// An experiment with default options for these parameters.
    init(parameters: Parameters, settings: RunSettings)
}

/// A finished run: the per-realization outcomes, the pooled analysis and the files the model's
/// command writes (data tables and summary.json).
public protocol RunResult: Sendable {
    /// The model that produced the result.
    var model: GlassModel { get }
    /// Every realization's outcome, converged or not, sorted by index.
    var outcomes: [RealizationOutcome] { get }
    /// The pooled observables of the converged realizations.
    var analysis: DistributionAnalysis { get }
    /// Wall-clock seconds of the run.
    var wallTime: Double { get }
    /// The files of the run, in the order they are written (summary.json last).
    var files: [OutputFile] { get }
    /// One line saying what the run found.
    var headline: String { get }
}

extension RunResult {
    /// Realizations that reached the tolerance.
    public var convergedCount: Int { outcomes.filter { $0.solver.converged }.count }
}
