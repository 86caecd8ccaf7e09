import ArgumentParser
import Foundation
import GlassDynamics

extension TLSRateMatrix: ExpressibleByArgument {}

struct TLSCommand: ParsableCommand {
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
    @Option(help: "Thermal average: meanfield (Eq. 4), exact ((D/E) tanh(E/2T)) or tap (Eq. 4 with the Onsager reaction term; paper convention, diagonal rates; a few times the solve cost).") var sz = SzRule.meanfield
    @Option(help: "Coupling storage: automatic, dense or matrix-free.") var couplings = CouplingStorage.automatic
    @Option(help: "Drop couplings beyond this distance (cell lists, for large N; an approximation, see docs/performance.md).") var cutoff: Double?
    @Option(help: "Rates: diagonal (the paper's Gamma_i) or full (eigenvalues of the full linearised rate matrix, graded method; dense N x N).") var rateMatrix = TLSRateMatrix.diagonal
    @Flag(help: "With --rate-matrix full: also write modes.csv (participation ratio and gyration radius of every mode; costs the eigenvectors).") var modes = false
    @OptionGroup var solver: SolverOptions
    @OptionGroup var runOptions: RunOptions
    @OptionGroup var checkpoint: CheckpointOptions

    var parameters: TLSParameters {
        var p = TLSParameters()
        setCommon(&p, n: n, w: w, j: j, t: t)
        p.delta0Min = delta0Min
        p.delta0Max = delta0Max
        p.ratePrefactor = ratePrefactor
        p.sz = sz
        p.cutoff = cutoff
        p.rateMatrix = rateMatrix
        p.computeModes = modes
        solver.apply(to: &p)
        return p
    }

    func run() throws {
        try runReportingErrors {
            let experiment = TLSExperiment(parameters: parameters, settings: runOptions.settings, storage: couplings)
            try executeCheckpointed(experiment, run: runOptions, checkpoint: checkpoint)
        }
    }
}
