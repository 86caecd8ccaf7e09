import ArgumentParser
import Foundation
import GlassDynamics

/// `glassdyn exact`: mean field against exact thermal averages of small systems of the same
/// realizations (docs/exact.md).
struct ExactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exact",
        abstract: "Exact references for small systems: diagonalization (TLS) and enumeration (TLS Ising limit, electron glass) against mean field.",
        subcommands: [ExactTLSCommand.self, ExactEGCommand.self])
}

extension ThermalDiagonalization.Driver: ExpressibleByArgument {}

/// The grid and run options both exact commands share.
struct ExactGridOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Disorders W, comma-separated (default 1).") var w = "1"
    @Option(help: "Interaction J (default 1).") var j: Double?
    @Option(parsing: .unconditional, help: "Temperatures T, comma-separated, each > 0 (the order in J/T is fitted over the 3 highest).")
    var t = "0.25,0.5,1,2,4,8,16,32,64"
    @Option(help: "Number of realizations per W.") var realizations = 20
    @Option(help: "Seed; realization r is the realization r of the mean-field run with this seed.") var seed: UInt64 = 1
    @Option(help: "Worker threads (realizations in parallel; default: all cores).") var threads = ParallelRunner.availableCores
    @Option(help: "Output folder (created if missing).") var out: String
    @Flag(help: "Reuse a non-empty output folder.") var force = false
    @Flag(help: "No progress on stderr.") var quiet = false

    static func list(_ text: String, _ parameter: Parameter) throws -> [Double] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        return try parts.map { s in
            guard let x = Double(s) else {
                throw ParameterError(parameter, "\(parameter) must be a comma-separated list of numbers, got \"\(text)\"")
            }
            return x
        }
    }

    /// The study plan of a model with N = `sites`, J from --j and the solver options.
    func plan<P: MeanFieldParameters>(_ model: P, sites: Int, solver: SolverOptions) throws -> ExactStudyPlan<P> {
        var model = model
        model.sites = sites
        if let j { model.interaction = j }
        solver.apply(to: &model)
        return ExactStudyPlan(model: model, disorders: try Self.list(w, .disorder), temperatures: try Self.list(t, .temperature),
                       realizations: realizations, seed: seed, threads: threads)
    }
}

func writeExact(_ files: () throws -> [OutputFile], validate: () throws -> Void, grid: ExactGridOptions) throws {
    try validate()
    let out = try OutputDirectory(path: grid.out, force: grid.force)
    let written = try files()
    try out.write(written)
    Console.out("exact: wrote \(written.map(\.name).joined(separator: ", ")) in \(out.url.path)")
}

/// `glassdyn exact tls`.
struct ExactTLSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tls",
        abstract: "TLS cluster: exact diagonalization (or, with --classical, the Ising limit enumerated) against Eq. 4, its Weiss form and TAP.")

    @Option(help: "Number of TLSs N (quantum: at most 14 and what memory allows; 2^N states).") var n = 8
    @Option(help: "Lower end of the log-uniform Delta0 range.") var delta0Min: Double?
    @Option(help: "Upper end of the log-uniform Delta0 range.") var delta0Max: Double?
    @Option(help: "Closure of the production Eq. 4 (eq4 column): meanfield or exact (the tap column is always there).") var sz: SzRule?
    @Option(help: "LAPACK driver: dsyevd (default) or dsyev.") var driver = ThermalDiagonalization.Driver.dsyevd
    @Flag(help: "Exact reference: the classical Ising limit (Delta0 -> 0), enumerated, instead of the quantum cluster.") var classical = false
    @OptionGroup var grid: ExactGridOptions
    @OptionGroup var solver: SolverOptions

    func run() throws {
        try runReportingErrors {
            var p = TLSParameters()
            if let delta0Min { p.delta0Min = delta0Min }
            if let delta0Max { p.delta0Max = delta0Max }
            if let sz { p.sz = sz }
            var study = ExactTLSComparison(plan: try grid.plan(p, sites: n, solver: solver), reference: classical ? .classical : .quantum)
            study.driver = driver
            let progress = ProgressReporter(label: "exact tls", total: study.plan.realizations * study.plan.disorders.count, quiet: grid.quiet)
            try writeExact({ try study.run(progress: progress).files(of: study) }, validate: study.validate, grid: grid)
        }
    }
}

/// `glassdyn exact eg`.
struct ExactEGCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eg",
        abstract: "Electron glass: exact canonical enumeration (N sites, N/2 electrons) against Eq. 20.")

    @Option(help: "Number of sites N (even, at most 24; C(N, N/2) configurations).") var n = 10
    @OptionGroup var grid: ExactGridOptions
    @OptionGroup var solver: SolverOptions

    func run() throws {
        try runReportingErrors {
            let study = ExactLatticeGasComparison(plan: try grid.plan(EGParameters(), sites: n, solver: solver))
            let progress = ProgressReporter(label: "exact eg", total: study.plan.realizations * study.plan.disorders.count, quiet: grid.quiet)
            try writeExact({
                let r = try study.run(progress: progress)
                return study.files(rows: r.rows, table: r.table)
            }, validate: study.validate, grid: grid)
        }
    }
}
