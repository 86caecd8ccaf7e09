import ArgumentParser
import Foundation
import GlassDynamics

extension EGEigensolver: ExpressibleByArgument {}

struct EGCommand: ParsableCommand, MergeableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eg",
        abstract: "Electron glass: DOS (Coulomb gap), rate-matrix spectrum, logarithmic relaxation.")

    @Option(help: "Number of sites N (even: N/2 electrons, half filling).") var n = 1000
    @Option(help: "Disorder W (bare energies uniform on [-W/2, W/2]).") var w = 1.0
    @Option(help: "Interaction J = e^2/r_nn.") var j = 1.0
    @Option(help: "Temperature T.") var t = 0.1
    @Option(help: "Localization length xi (hopping factor exp(-r/xi)).") var xi = 0.1
    @Flag(help: "Energies and DOS only: skip the rate matrix and its spectrum.") var noSpectrum = false
    @Flag(help: "Appendix A: rate matrix A_ij = exp(-r_ij/xi) without energy factors; also writes nn.csv.") var bare = false
    @Option(help: "Eigensolver: symmetric (dsyevd on D^-1/2 G D^-1/2) or general (dgeev on A).") var eigensolver = EGEigensolver.symmetric
    @Option(help: "OpenBLAS threads inside one realization (capped at --threads / running realizations); above 1 speeds up a single large N but changes the last bits of the eigenvalues between thread counts.") var blasThreads = 1
    @OptionGroup var solver: SolverOptions
    @OptionGroup var runOptions: RunOptions
    @OptionGroup var checkpoint: CheckpointOptions

    var parameters: EGParameters {
        var p = EGParameters()
        p.sites = n
        p.disorder = w
        p.interaction = j
        p.temperature = t
        p.localizationLength = xi
        p.computeSpectrum = !noSpectrum
        p.rateModel = bare ? .bare : .millerAbrahams
        p.eigensolver = eigensolver
        p.box = .from(name: solver.box, density: solver.density)
        p.convention = solver.convention
        p.anneal = solver.anneal ? AnnealProtocol() : nil
        p.initialHalfWidth = solver.initialSpread
        p.tolerance = solver.tol
        p.maxIterations = solver.maxIterations
        return p
    }

    var experiment: EGExperiment {
        var e = EGExperiment(parameters: parameters, settings: runOptions.settings)
        e.blasThreads = blasThreads
        return e
    }

    func run() throws {
        try runReportingErrors {
            let experiment = self.experiment
            try executeCheckpointed(experiment, run: runOptions, checkpoint: checkpoint, subcommand: "eg",
                                    finish: { experiment.finish($0, wallTime: $1, progress: $2) },
                                    describe: describe)
        }
    }

    func merge(folders: [URL], manifest: JSONValue) throws {
        let experiment = self.experiment
        try mergeShards(experiment, folders: folders, manifest: manifest, run: runOptions,
                        finish: { experiment.finish($0, wallTime: $1, progress: $2) }, describe: describe)
    }

    /// The line printed at the end of a run.
    func describe(_ result: EGRunResult) -> [String] {
        let a = result.analysis
        let conv = result.outcomes.filter { $0.solver.converged }.count
        var line = String(format: "eg: %d/%d realizations converged, DOS(0)/DOS(max) = %.3f", conv, result.outcomes.count, a.gapDepth)
        if let g = result.coulombGap {
            line += String(format: ", g(E) slope per area %.3f +- %.3f (ES 2/(pi e^4) = %.3f)",
                           g.slopePerArea, g.slopePerAreaError, g.efrosShklovskii)
        }
        if parameters.computeSpectrum {
            line += String(format: ", ln Gamma_min = %.3f +- %.3f, ln Gamma_max = %.3f",
                           a.cutoffs?.lnGammaMin ?? .nan, a.lnGammaMinError, a.cutoffs?.lnGammaMax ?? .nan)
            let below = result.realizations.compactMap { $0.spectrum?.belowFloor }.reduce(0, +)
            line += ", \(below) eigenvalues below the floor"
        }
        line += String(format: ", %.1f s", result.wallTime)
        return [line]
    }
}
