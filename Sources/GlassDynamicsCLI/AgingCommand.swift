import ArgumentParser
import Foundation
import GlassDynamics
import GlassReproduction

/// `glassdyn aging`: the response after a perturbation held for t_w, from the modes of the
/// full linear dynamics (docs/linear-dynamics.md, section 4).
struct AgingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aging",
        abstract: "Aging: response O(t; t_w) after a perturbation held for t_w, from the modes of the full rate matrix.")

    @Option(help: "Model: tls or eg.") var model: GlassModel
    @Option(help: "Waiting times t_w, comma-separated (each > 0), e.g. 1e2,1e3,1e4.") var tw: String
    @Option(help: "Perturbation strength h (TLS: uniform shift of every Delta_i; eg: site potential h sin(2 pi x / L)).") var strength = 1.0
    @Option(help: "Number of sites N (default 1000).") var n: Int?
    @Option(help: "Disorder W (default 1).") var w: Double?
    @Option(help: "Interaction J (default 1).") var j: Double?
    @Option(help: "Temperature T (default 0.05 TLS, 0.1 eg).") var t: Double?
    @Option(help: "eg: localization length xi (default 0.1).") var xi: Double?
    @Option(help: "TLS: lower end of the log-uniform Delta0 range.") var delta0Min: Double?
    @Option(help: "TLS: upper end of the log-uniform Delta0 range.") var delta0Max: Double?
    @Option(help: "TLS: rate prefactor a.") var ratePrefactor: Double?
    @Option(help: "TLS: thermal average meanfield or exact (tap is refused: aging needs the linearised rate matrix).") var sz: SzRule?
    @OptionGroup var solver: SolverOptions
    @OptionGroup var runOptions: RunOptions
    @OptionGroup var checkpoint: CheckpointOptions

    /// The --tw list; empty or malformed lists are refused naming --tw (values are checked
    /// by the library).
    func waitingTimes() throws -> [Double] {
        let parts = tw.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !tw.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ParameterError(.waitingTimes, "\(Parameter.waitingTimes) needs at least one waiting time")
        }
        return try parts.map { s in
            guard let x = Double(s) else {
                throw ParameterError(.waitingTimes, "\(Parameter.waitingTimes) must be a comma-separated list of numbers, got \"\(tw)\"")
            }
            return x
        }
    }

    func common<P: MeanFieldParameters>(_ p: inout P) {
        if let n { p.sites = n }
        if let w { p.disorder = w }
        if let j { p.interaction = j }
        if let t { p.temperature = t }
        solver.apply(to: &p)
    }

    func refuseOther(_ flags: [(String, Bool)]) throws {
        for (flag, set) in flags where set {
            throw ParameterError(.model, "\(flag) does not apply to \(Parameter.model) \(model.rawValue)")
        }
    }

    func run() throws {
        try runReportingErrors {
            let times = try waitingTimes()
            switch model {
            case .tls:
                try refuseOther([("--xi", xi != nil)])
                var p = TLSParameters()
                common(&p)
                if let delta0Min { p.delta0Min = delta0Min }
                if let delta0Max { p.delta0Max = delta0Max }
                if let ratePrefactor { p.ratePrefactor = ratePrefactor }
                if let sz { p.sz = sz }
                try runAging(AgingExperiment<TLSExperiment>(parameters: p, waitingTimes: times, strength: strength,
                                                            settings: runOptions.settings))
            case .eg:
                try refuseOther([("--delta0-min", delta0Min != nil), ("--delta0-max", delta0Max != nil),
                                 ("--rate-prefactor", ratePrefactor != nil), ("--sz", sz != nil)])
                var p = EGParameters()
                common(&p)
                if let xi { p.localizationLength = xi }
                try runAging(AgingExperiment<EGExperiment>(parameters: p, waitingTimes: times, strength: strength,
                                                           settings: runOptions.settings))
            }
        }
    }

    func runAging<M: AgingModel>(_ experiment: AgingExperiment<M>) throws {
        // The gnuplot script beside the data (written with the finished run; a shard has none).
        try executeCheckpointed(experiment, run: runOptions, checkpoint: checkpoint, label: "aging") { out in
            try AgingPlot.script(waitingTimes: experiment.waitingTimes, model: M.model).write(to: out.url)
        }
    }
}

