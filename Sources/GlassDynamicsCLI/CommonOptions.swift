import ArgumentParser
import GlassDynamics

extension BoxConvention {
    /// The box from `--box` and `--density` (a density overrides the box name).
    static func from(name: BoxName, density: Double?) -> BoxConvention {
        if let density { return .density(density) }
        return name == .paper ? .paper : .poisson
    }
}

enum BoxName: String, ExpressibleByArgument, CaseIterable { case paper, poisson }
extension MeanFieldConvention: ExpressibleByArgument {}
extension SzRule: ExpressibleByArgument {}
extension CouplingStorage: ExpressibleByArgument {}

/// Options shared by every command that runs realizations.
struct RunOptions: ParsableArguments {
    @Option(help: "Number of disorder realizations.") var realizations = 10
    @Option(help: "Seed of the whole run; realization r uses the stream (seed, r).") var seed: UInt64 = 1
    @Option(help: "Worker threads (default: all cores).") var threads = ParallelRunner.availableCores
    @Option(help: "Output folder (created if missing).") var out: String
    @Flag(help: "Reuse a non-empty output folder.") var force = false
    @Flag(help: "Also write sites.csv with every site of every realization.") var saveSites = false
    @Flag(help: "No progress on stderr.") var quiet = false

    var settings: RunSettings {
        RunSettings(seed: seed, realizations: realizations, threads: threads, quiet: quiet, saveSites: saveSites)
    }
}

/// Mean-field options shared by both models.
struct SolverOptions: ParsableArguments {
    @Option(help: "Box convention: paper (L = N^(1/d) - 1) or poisson (mean NN distance 1).") var box = BoxName.paper
    @Option(help: "Site density (overrides --box).") var density: Double?
    @Option(help: "Equation convention: paper (as printed) or scripts (the authors' MATLAB).") var convention = MeanFieldConvention.paper
    @Flag(help: "Heat-and-cool protocol: re-solve while stepping T up to 10 and back in 10 steps.") var anneal = false
    @Option(help: "Largest accepted max residual of the mean-field equations.") var tol: Double?
    @Option(help: "Maximum Gauss-Seidel sweeps per solve.") var maxIterations = 10_000
    @Option(help: "Half-width of the uniform initial state (default: W, or 10 with --convention scripts).") var initialSpread: Double?

    /// Sets the options every model shares.
    func apply<P: MeanFieldParameters>(to p: inout P) {
        p.box = .from(name: box, density: density)
        p.convention = convention
        p.anneal = anneal ? AnnealProtocol() : nil
        p.initialHalfWidth = initialSpread
        p.tolerance = tol
        p.maxIterations = maxIterations
    }
}

/// N, W, J and T from their flags (nil keeps the model's default): the options every model's
/// command and `sweep` share.
func setCommon<P: MeanFieldParameters>(_ p: inout P, n: Int?, w: Double?, j: Double?, t: Double?) {
    if let n { p.sites = n }
    if let w { p.disorder = w }
    if let j { p.interaction = j }
    if let t { p.temperature = t }
}
