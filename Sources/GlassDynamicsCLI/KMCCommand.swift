import ArgumentParser
import Foundation
import GlassDynamics
import GlassReproduction

extension KMCProtocol: ExpressibleByArgument {}
extension KMCStart: ExpressibleByArgument {}

/// `glassdyn kmc`: kinetic Monte Carlo of either glass on the realizations of the mean-field run.
struct KMCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kmc",
        abstract: "Kinetic Monte Carlo (exact continuous-time dynamics) of the same realizations as mean field.",
        subcommands: [KMCEGCommand.self, KMCTLSCommand.self])
}

/// The options of the kinetic Monte Carlo, shared by both models.
struct KMCFlags: ParsableArguments {
    @Option(name: .customLong("protocol"), help: "equilibrium, quench (from T = infinity), aging (C(t_w + t, t_w) after the quench) or response (perturbation held for t_w after equilibration).")
    var protocolKind = KMCProtocol.quench
    @Option(help: "Equilibrium start: meanfield (rounded solution) or random.") var start = KMCStart.meanfield
    @Option(help: "Simulated time: quench end, equilibrium sampling window, longest t of aging.") var time = 1e4
    @Option(name: .customLong("t-eq"), help: "Equilibration time before the DOS is sampled.") var tEq = 1e4
    @Option(name: .customLong("t-min"), help: "First time of the logarithmic grid.") var tMin = 1e-2
    @Option(help: "Points per decade of the logarithmic grid.") var pointsPerDecade = 5
    @Option(help: "DOS snapshots over --time (equilibrium).") var samples = 20
    @Option(help: "Independent trajectories per realization.") var trajectories = 1
    @Option(help: "Event limit per trajectory (truncated trajectories are counted).") var maxEvents = 100_000_000
    @Option(help: "Waiting times t_w of the aging and response protocols, comma-separated.") var tw = "1e2,1e3"
    @Option(help: "Response protocol: perturbation strength h (TLS: Delta_i += h; eg: eps_i += h sin(2 pi x / L)).") var strength = 0.05
    @Flag(help: "The reference algorithm: rejection-free with every rate rewritten after each event (O(M) per event) instead of drift-bounded thinning (both exact; different trajectories).") var fullRefresh = false
    @Option(help: "Events between canonical points of a trajectory (energies and rates recomputed from scratch, O(N^2); checkpoints are written there). Default 100 N.") var canonicalEvents: Int?
    @Option(help: "Wall-clock seconds between in-trajectory checkpoints of a realization (written at the next canonical point; 0: every one).") var checkpointSeconds = 60.0

    func options() throws -> KMCOptions {
        var o = KMCOptions()
        o.protocolKind = protocolKind
        o.start = start
        o.time = time
        o.equilibrationTime = tEq
        o.minimumTime = tMin
        o.pointsPerDecade = pointsPerDecade
        o.samples = samples
        o.trajectories = trajectories
        o.maxEvents = maxEvents
        o.strength = strength
        o.fullRefresh = fullRefresh
        o.canonicalEvents = canonicalEvents
        o.waitingTimes = try tw.split(separator: ",").map { s in
            guard let x = Double(s.trimmingCharacters(in: .whitespaces)) else {
                throw ParameterError(.waitingTimes, "\(Parameter.waitingTimes) must be a comma-separated list of numbers, got \"\(tw)\"")
            }
            return x
        }
        return o
    }
}

/// `glassdyn kmc eg`.
struct KMCEGCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eg", abstract: "Electron glass: N/2 electrons hopping at Miller-Abrahams rates with the full Coulomb interaction.")
    @Option(help: "Number of sites N (even; default 1000).") var n: Int?
    @Option(help: "Disorder W (default 1).") var w: Double?
    @Option(help: "Interaction J (default 1).") var j: Double?
    @Option(help: "Temperature T (default 0.1).") var t: Double?
    @Option(help: "Localization length xi (default 0.1).") var xi: Double?
    @Option(help: "Drop pairs with r > (this) xi: their static factor is below exp(-this).") var pairCutoff = 30.0
    @Flag(help: "Skip the mean-field rate spectrum (no log-law comparison).") var noSpectrum = false
    @OptionGroup var kmc: KMCFlags
    @OptionGroup var solver: SolverOptions
    @OptionGroup var runOptions: RunOptions
    @OptionGroup var checkpoint: CheckpointOptions

    func run() throws {
        try runReportingErrors {
            var p = EGParameters()
            setCommon(&p, n: n, w: w, j: j, t: t)
            solver.apply(to: &p)
            if let xi { p.localizationLength = xi }
            p.computeSpectrum = !noSpectrum
            var o = try kmc.options()
            o.pairCutoff = pairCutoff
            try runKMC(KMCExperiment<EGExperiment>(parameters: p, options: o, settings: runOptions.settings),
                       run: runOptions, checkpoint: checkpoint, seconds: kmc.checkpointSeconds)
        }
    }
}

/// `glassdyn kmc tls`.
struct KMCTLSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tls", abstract: "TLS glass: pseudo-spins flipping at the phonon rates of Eq. 10 in their local fields.")
    @Option(help: "Number of sites N (default 1000).") var n: Int?
    @Option(help: "Disorder W (default 1).") var w: Double?
    @Option(help: "Interaction J (default 1).") var j: Double?
    @Option(help: "Temperature T (default 0.05).") var t: Double?
    @Option(help: "Lower end of the log-uniform Delta0 range.") var delta0Min: Double?
    @Option(help: "Upper end of the log-uniform Delta0 range.") var delta0Max: Double?
    @Option(help: "Rate prefactor a.") var ratePrefactor: Double?
    @Flag(help: "Thinning against static rate bounds instead of rejection-free (both exact; thinning is cheaper per accepted flip but rejects most draws at low T).") var thinning = false
    @OptionGroup var kmc: KMCFlags
    @OptionGroup var solver: SolverOptions
    @OptionGroup var runOptions: RunOptions
    @OptionGroup var checkpoint: CheckpointOptions

    func run() throws {
        try runReportingErrors {
            var p = TLSParameters()
            setCommon(&p, n: n, w: w, j: j, t: t)
            solver.apply(to: &p)
            if let delta0Min { p.delta0Min = delta0Min }
            if let delta0Max { p.delta0Max = delta0Max }
            if let ratePrefactor { p.ratePrefactor = ratePrefactor }
            var o = try kmc.options()
            o.thinning = thinning
            try runKMC(KMCExperiment<TLSExperiment>(parameters: p, options: o, settings: runOptions.settings),
                       run: runOptions, checkpoint: checkpoint, seconds: kmc.checkpointSeconds)
        }
    }
}

/// Runs a KMC experiment through the campaign with in-trajectory checkpoints in the run
/// folder (checked before any work on `--resume`, cleared on a fresh run, removed when the
/// run or shard is done) and writes its gnuplot scripts beside the data.
func runKMC<G: KMCGlass>(_ e: KMCExperiment<G>, run: RunOptions, checkpoint: CheckpointOptions, seconds: Double) throws {
    guard seconds.isFinite && seconds >= 0 else {
        throw ParameterError(.checkpointSeconds, "\(Parameter.checkpointSeconds) must be a finite number of seconds >= 0, got \(seconds)")
    }
    var store: KMCCheckpoints? = nil
    try executeCheckpointed(e, run: run, checkpoint: checkpoint, label: "kmc \(G.model.rawValue)", extraFiles: { out in
        for s in KMCPlot.scripts(protocol: e.options.protocolKind, model: G.model) { try s.write(to: out.url) }
        try store?.removeAll()
    }, configure: { e, folder, shard in
        var e = e
        var s = try KMCCheckpoints(runFolder: folder, experiment: e, interval: seconds)
        s.interrupt = InterruptFlag.shared
        // A folder of other parameters is refused by the campaign, naming them; the files are
        // checked only against the run they belong to.
        let manifest = try? JSONFormat.read(RunManifest<KMCConfiguration<G.Parameters>>.self,
                                            from: folder.appendingPathComponent(RunManifestHeader.fileName))
        if checkpoint.resume, let manifest, manifest.differences(from: RunManifest(e, shard: shard)).isEmpty {
            try s.validateAll(wanted: Set(shard.realizations(of: e.settings.realizations)))
        } else {
            try s.removeAll()
        }
        e.checkpoints = s
        store = s
        return e
    })
    try store?.removeAll()
}
