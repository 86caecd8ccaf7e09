import ArgumentParser
import Foundation
import GlassDynamics

extension EGEigensolver: ExpressibleByArgument {}
extension EGRateMatrix: ExpressibleByArgument {}
extension CouplingPrecision: ExpressibleByArgument {}

struct EGCommand: ParsableCommand {
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
    @Option(help: "Eigensolver: symmetric (dsyevd on D^-1/2 G D^-1/2), general (dgeev on A) or accurate (every rate, the slowest included, to a stated relative error: subtraction-free factor + dgejsv; several times slower).") var eigensolver = EGEigensolver.symmetric
    @Option(help: "OpenBLAS threads inside one realization (capped at --threads / running realizations); above 1 speeds up a single large N but changes the last bits of the eigenvalues between thread counts.") var blasThreads = 1
    @Option(help: "Rate matrix: paper (Eq. 23, direct term neglected) or full (with the direct Coulomb term, dsygvd; saddles counted and excluded).") var rateMatrix = EGRateMatrix.paper
    @Flag(help: "Also write modes.csv (participation ratio and gyration radius of every mode, eigenvectors in the symmetric representation: of D^-1/2 L D^-1/2 with the paper's matrix, of B^1/2 G B^1/2 with --rate-matrix full; costs the eigenvectors).") var modes = false
    @Option(help: "Coulomb couplings during the solve: double (default), single (floats, the same iteration: half the memory, energies move by the rounding only) or single-blocked (floats, blocked Gauss-Seidel with held-back changes: about 3x faster at N = 1e4, settles in other nearby minima; DOS difference measured in docs/performance.md).") var coulombPrecision = CouplingPrecision.double
    @OptionGroup var solver: SolverOptions
    @OptionGroup var runOptions: RunOptions
    @OptionGroup var checkpoint: CheckpointOptions

    var parameters: EGParameters {
        var p = EGParameters()
        setCommon(&p, n: n, w: w, j: j, t: t)
        p.localizationLength = xi
        p.computeSpectrum = !noSpectrum
        p.rateModel = bare ? .bare : .millerAbrahams
        p.eigensolver = eigensolver
        p.rateMatrix = rateMatrix
        p.computeModes = modes
        p.coulombPrecision = coulombPrecision
        solver.apply(to: &p)
        return p
    }

    func run() throws {
        try runReportingErrors {
            var experiment = EGExperiment(parameters: parameters, settings: runOptions.settings)
            experiment.blasThreads = blasThreads
            try executeCheckpointed(experiment, run: runOptions, checkpoint: checkpoint)
        }
    }
}
