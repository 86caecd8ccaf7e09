import Foundation

/// What determines a kinetic Monte Carlo run: the model's parameters (the same realizations
/// as the mean-field run of those parameters) and the KMC options.
public struct KMCConfiguration<Parameters: MeanFieldParameters>: Codable, Sendable, Equatable {
    /// The model's parameters.
    public var parameters: Parameters
    /// Protocol, times and costs.
    public var kmc: KMCOptions

    /// A configuration of these values.
    public init(parameters: Parameters, kmc: KMCOptions) {
        self.parameters = parameters
        self.kmc = kmc
    }
}

/// Kinetic Monte Carlo of a glass (`glassdyn kmc eg|tls`, issue #12): each realization is
/// solved in mean field as the model's own command solves it, then simulated by exact
/// continuous-time dynamics (`KMCTrajectory`) under the protocol of ``KMCOptions``; `finish`
/// pools both sides with bootstrap errors over realizations.
public struct KMCExperiment<Glass: KMCGlass>: RealizationExperiment {
    /// One realization: its mean-field outcome and KMC observation.
    public typealias Realization = KMCRealization
    /// The parameters and the KMC options.
    public typealias Configuration = KMCConfiguration<Glass.Parameters>

    /// The model's parameters.
    public var parameters: Glass.Parameters
    /// Protocol, times and costs.
    public var options: KMCOptions
    /// Seed, realizations and threads.
    public var settings: RunSettings
    /// In-trajectory checkpoints in the run folder (nil: none; resume is then at realization
    /// granularity). Not part of the configuration: they never change a result.
    public var checkpoints: KMCCheckpoints? = nil

    /// The simulated model.
    public static var model: GlassModel { Glass.model }
    /// run.json says "kmc".
    public static var kind: String? { "kmc" }

    /// A run of these parameters and options.
    public init(parameters: Glass.Parameters, options: KMCOptions, settings: RunSettings) {
        self.parameters = parameters
        self.options = options
        self.settings = settings
    }

    /// Rebuilds the run from its run.json.
    public init(configuration: Configuration, settings: RunSettings) {
        self.init(parameters: configuration.parameters, options: configuration.kmc, settings: settings)
    }

    /// What run.json stores.
    public var configuration: Configuration { KMCConfiguration(parameters: parameters, kmc: options) }

    /// The mean-field experiment of the same realizations.
    public var inner: Glass { Glass(parameters: parameters, settings: settings) }

    /// The options, then the model's own checks (N even for the electron glass, T > 0, memory).
    public func validate() throws {
        try options.validate()
        if Glass.model == .eg && parameters.sites % 2 != 0 {
            throw ParameterError(.sites, "\(Parameter.sites) must be even for kmc eg (N/2 electrons at half filling), got \(parameters.sites)")
        }
        try inner.validate()
        let need = inner.kineticBytes(options: options) * Double(settings.concurrentRealizations)
        if need > 0.8 * MemoryLimit.effective.bytes {
            throw ParameterError(.sites, "kmc with \(Parameter.sites) \(parameters.sites) needs about \(Int(need / 1e6)) MB beyond the mean-field run, more than the memory limit \(MemoryLimit.effective)")
        }
    }

    /// Realization `r`: mean field, then the trajectories.
    public func realization(_ r: Int, innerThreads: Int) throws -> KMCRealization {
        try inner.kineticRealization(r, options: options, innerThreads: innerThreads, checkpoints: checkpoints)
    }

    /// The realization index of a record.
    public static func index(of realization: KMCRealization) -> Int { realization.outcome.index }

    /// Records whose grids do not match the options cannot belong to this run.
    public func recordProblem(_ record: KMCRealization) -> String? {
        let (_, energyGrid, tGrid) = KMCProtocolRunner.checkpoints(options)
        let k = record.kinetic
        if k.energy.count != energyGrid.count || k.moved.count != energyGrid.count { return "holds a time grid of another run" }
        if k.correlation.count != (options.protocolKind == .aging ? options.waitingTimes.count : 0)
            || k.correlation.contains(where: { $0.count != tGrid.count }) { return "holds correlations of another run" }
        if k.response.count != (options.protocolKind == .response ? options.waitingTimes.count : 0)
            || k.response.contains(where: { $0.count != tGrid.count }) { return "holds responses of another run" }
        if k.dos.count != inner.dosRange.bins { return "holds a DOS histogram of another run" }
        if record.outcome.energies.count != parameters.sites { return "holds \(record.outcome.energies.count) energies, the run has \(parameters.sites) sites" }
        return nil
    }

    /// Pools the realizations.
    public func finish(_ realizations: [KMCRealization], wallTime: Double, progress: ProgressReporter?) -> KMCResult {
        let truncated = realizations.reduce(0) { $0 + $1.kinetic.truncated }
        if truncated > 0 {
            progress?.note("kmc: \(truncated) trajectories reached the event limit before the end time; their later points are NaN and counted in summary.json")
        }
        return KMCResult(experiment: self, realizations: realizations, wallTime: wallTime)
    }
}
