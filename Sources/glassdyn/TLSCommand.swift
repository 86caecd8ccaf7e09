import ArgumentParser
import Foundation
import GlassDynamics

struct TLSCommand: ParsableCommand, MergeableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tls",
        abstract: "TLS glass: DOS (dipole gap), relaxation-rate distribution, logarithmic relaxation.")

    @Option(help: "Number of TLS sites N.") var n = 1000
    @Option(help: "Disorder W (standard deviation of Delta).") var w = 1.0
    @Option(help: "Interaction J (standard deviation of u_ij).") var j = 1.0
    @Option(help: "Temperature T.") var t = 0.05
    @Option(help: "Lower end of the log-uniform Delta0 range.") var delta0Min = 1e-7
    @Option(help: "Upper end of the log-uniform Delta0 range.") var delta0Max = 1e-1
    @Option(help: "Rate prefactor a.") var ratePrefactor = 1.0
    @Option(help: "Thermal average: meanfield (Eq. 4) or exact ((D/E) tanh(E/2T)).") var sz = SzRule.meanfield
    @Option(help: "Coupling storage: automatic, dense or matrix-free.") var couplings = CouplingStorage.automatic
    @Option(help: "Drop couplings beyond this distance (cell lists, for large N; an approximation, see docs/performance.md).") var cutoff: Double?
    @OptionGroup var solver: SolverOptions
    @OptionGroup var runOptions: RunOptions
    @OptionGroup var checkpoint: CheckpointOptions

    var parameters: TLSParameters {
        var p = TLSParameters()
        p.sites = n
        p.disorder = w
        p.interaction = j
        p.temperature = t
        p.delta0Min = delta0Min
        p.delta0Max = delta0Max
        p.ratePrefactor = ratePrefactor
        p.sz = sz
        p.box = .from(name: solver.box, density: solver.density)
        p.convention = solver.convention
        p.anneal = solver.anneal ? AnnealProtocol() : nil
        p.initialHalfWidth = solver.initialSpread
        if let tol = solver.tol { p.tolerance = tol }
        p.maxIterations = solver.maxIterations
        p.cutoff = cutoff
        return p
    }

    func run() throws {
        try runReportingErrors {
            let experiment = TLSExperiment(parameters: parameters, settings: runOptions.settings, storage: couplings)
            try executeCheckpointed(experiment, run: runOptions, checkpoint: checkpoint, subcommand: "tls",
                                    finish: { experiment.finish($0, wallTime: $1, progress: $2) },
                                    describe: Self.describe)
        }
    }

    func merge(folders: [URL], manifest: JSONValue) throws {
        let experiment = TLSExperiment(parameters: parameters, settings: runOptions.settings, storage: couplings)
        try mergeShards(experiment, folders: folders, manifest: manifest, run: runOptions,
                        finish: { experiment.finish($0, wallTime: $1, progress: $2) }, describe: Self.describe)
    }

    /// The line printed at the end of a run.
    static func describe(_ result: TLSRunResult) -> [String] {
        let a = result.analysis
        let conv = result.outcomes.filter { $0.solver.converged }.count
        return [
            String(format: "tls: %d/%d realizations converged, ln Gamma_min = %.3f +- %.3f, ln Gamma_max = %.3f, DOS(0)/DOS(max) = %.3f, %.1f s",
                   conv, result.outcomes.count, a.cutoffs?.lnGammaMin ?? .nan, a.lnGammaMinError,
                   a.cutoffs?.lnGammaMax ?? .nan, a.gapDepth, result.wallTime),
        ]
    }
}
