import ArgumentParser
import Foundation
import GlassDynamics
import GlassReproduction

extension GlassModel: ExpressibleByArgument {}
extension SweepVariable: ExpressibleByArgument {}

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Scan one parameter: each point written as the model's command writes it, plus sweep.csv.",
        discussion: """
        Example, the paper's W^2 + J^2 = 2 scheme: glassdyn sweep --model tls --vary w/j \
        --values 1,3.1,9.8 --fix-sum w2+j2=2 --n 1000 --t 0.05 --out runs/wj.
        Model parameters not given take the model's defaults (those of `glassdyn tls` / `glassdyn eg`).
        """)

    @Option(help: "tls or eg.") var model: GlassModel
    @Option(help: "The scanned parameter: w, j, t, n, xi, or w/j (the ratio W/J).") var vary: SweepVariable
    @Option(help: "Comma-separated values, e.g. 1,10,100.") var values: String
    @Option(help: "Keep a ratio fixed, e.g. w/t=10 (sets T = W/10 at each point).") var fixRatio: String?
    @Option(help: "Keep a sum of squares fixed, e.g. w2+j2=2.") var fixSum: String?

    @Option(help: "Number of sites N.") var n: Int?
    @Option(help: "Disorder W.") var w: Double?
    @Option(help: "Interaction J.") var j: Double?
    @Option(help: "Temperature T.") var t: Double?
    @Option(help: "TLS: lower end of the log-uniform Delta0 range.") var delta0Min: Double?
    @Option(help: "TLS: upper end of the log-uniform Delta0 range.") var delta0Max: Double?
    @Option(help: "TLS: rate prefactor a.") var ratePrefactor: Double?
    @Option(help: "EG: localization length xi.") var xi: Double?
    @Flag(help: "EG: energies and DOS only (no rate matrix).") var noSpectrum = false
    @Flag(help: "EG: Appendix A's bare rate matrix exp(-r_ij/xi); also writes nn.csv.") var bare = false
    @Option(help: "EG: symmetric, general or accurate eigensolver.") var eigensolver = EGEigensolver.symmetric
    @Option(help: "EG: OpenBLAS threads inside one realization, as for `glassdyn eg` (capped at --threads / running realizations).") var blasThreads = 1
    @Option(help: "EG: Coulomb couplings during the solve, double (default), single or single-blocked, as for `glassdyn eg`.") var coulombPrecision = CouplingPrecision.double
    @OptionGroup var solver: SolverOptions
    @OptionGroup var runOptions: RunOptions

    func base() throws -> ModelPoint {
        let tlsOnly: [(String, Bool)] = [("--delta0-min", delta0Min != nil), ("--delta0-max", delta0Max != nil),
                                         ("--rate-prefactor", ratePrefactor != nil)]
        let egOnly: [(String, Bool)] = [("--xi", xi != nil), ("--no-spectrum", noSpectrum), ("--bare", bare),
                                        ("--eigensolver", eigensolver != .symmetric), ("--blas-threads", blasThreads != 1),
                                        ("--coulomb-precision", coulombPrecision != .double)]
        for (name, given) in model == .tls ? egOnly : tlsOnly where given {
            throw ParameterError(.model, "\(name) does not apply to \(Parameter.model) \(model.rawValue)")
        }
        func common<P: MeanFieldParameters>(_ p: inout P) {
            setCommon(&p, n: n, w: w, j: j, t: t)
            solver.apply(to: &p)
        }
        switch model {
        case .tls:
            var p = TLSParameters()
            common(&p)
            if let delta0Min { p.delta0Min = delta0Min }
            if let delta0Max { p.delta0Max = delta0Max }
            if let ratePrefactor { p.ratePrefactor = ratePrefactor }
            return ModelPoint(p)
        case .eg:
            var p = EGParameters()
            common(&p)
            if let xi { p.localizationLength = xi }
            p.computeSpectrum = !noSpectrum
            p.rateModel = bare ? .bare : .millerAbrahams
            p.eigensolver = eigensolver
            p.coulombPrecision = coulombPrecision
            return ModelPoint(p)
        }
    }

    @Flag(help: "Continue an interrupted sweep in --out from its checkpoints.") var resume = false

    func run() throws {
        try runReportingErrors {
            if fixRatio != nil && fixSum != nil {
                throw ParameterError(.fixRatio, "give \(Parameter.fixRatio) or \(Parameter.fixSum), not both")
            }
            let constraint = try fixRatio.map(SweepConstraint.parse(ratio:)) ?? fixSum.map(SweepConstraint.parse(sum:))
            let plan = SweepPlan(base: try base(), variable: vary, values: try SweepPlan.parseValues(values), constraint: constraint)
            var sweep = Sweep(plan: plan, settings: runOptions.settings)
            sweep.resume = resume
            sweep.blasThreads = blasThreads
            sweep.interrupt = InterruptFlag.shared
            try sweep.validate()
            let out = try lockedOutput(path: runOptions.out, force: runOptions.force, resume: resume, clearsRunFiles: false)
            InterruptFlag.shared.install()
            let table = try sweep.run(in: out)
            Console.out(table.text, terminator: "")
            Console.out("sweep: \(plan.values.count) points in \(out.url.path) (sweep.csv, sweep.gp, one folder per point)")
        }
    }
}
