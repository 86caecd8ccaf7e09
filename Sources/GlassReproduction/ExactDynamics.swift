import Foundation
import GlassDynamics

/// REPORT.md's section "Mean field against exact dynamics" (issue #12, section 6): kinetic
/// Monte Carlo (`glassdyn kmc`) of the plan's small glasses, each run on the same realizations
/// as its mean-field solution, into DIR/exact-dynamics/<run>/ (the files `glassdyn kmc` writes),
/// then the comparisons (``GapComparison``, ``LogLawWindow``, ``ResponseParting``,
/// ``AgingScaling``), their figures (DIR/exact-dynamics/exactX.gp, .png, .svg) and the exact
/// small-system comparison (``SmallSystemsSection``).
package struct ExactDynamics: Sendable {
    package var plan: ExactDynamicsPlan
    package var settings: RunSettings
    package var render = true
    package var resume = false
    package var interrupt: InterruptFlag? = nil

    package init(plan: ExactDynamicsPlan, settings: RunSettings) {
        self.plan = plan
        self.settings = settings
    }

    /// The folder of the section inside DIR.
    package static let folderName = "exact-dynamics"

    func settings(_ realizations: Int) -> RunSettings {
        var s = settings
        s.realizations = realizations
        return s
    }

    var egDOS: KMCExperiment<EGExperiment> {
        var p = plan.egParameters
        p.computeSpectrum = false
        return KMCExperiment(parameters: p, options: plan.options(.equilibrium, model: .eg), settings: settings(plan.egRealizations))
    }

    var tlsDOS: KMCExperiment<TLSExperiment> {
        KMCExperiment(parameters: plan.tlsParameters, options: plan.options(.equilibrium, model: .tls),
                      settings: settings(plan.tlsRealizations))
    }

    var egQuench: KMCExperiment<EGExperiment> {
        KMCExperiment(parameters: plan.egParameters, options: plan.options(.quench, model: .eg), settings: settings(plan.quenchRealizations))
    }

    var tlsResponse: KMCExperiment<TLSExperiment> {
        var o = plan.options(.response, model: .tls)
        o.trajectories = plan.responseTrajectories
        return KMCExperiment(parameters: plan.tlsParameters, options: o, settings: settings(plan.tlsRealizations))
    }

    var egResponse: KMCExperiment<EGExperiment> {
        var p = plan.egParameters
        p.computeSpectrum = false
        var o = plan.options(.response, model: .eg)
        o.equilibrationTime = plan.egResponseEquilibration
        o.waitingTimes = plan.egResponseWaitingTimes
        o.time = plan.egResponseTime
        o.trajectories = plan.egResponseTrajectories
        return KMCExperiment(parameters: p, options: o, settings: settings(plan.egRealizations))
    }

    var egAging: KMCExperiment<EGExperiment> {
        var p = plan.egParameters
        p.computeSpectrum = false
        return KMCExperiment(parameters: p, options: plan.options(.aging, model: .eg), settings: settings(plan.egRealizations))
    }

    /// Checks every run before any work.
    package func validate() throws {
        try egDOS.validate()
        try tlsDOS.validate()
        try egQuench.validate()
        try tlsResponse.validate()
        try egAging.validate()
        try egResponse.validate()
    }

    /// One KMC run through its campaign (checkpointed in its folder), its files written there.
    func execute<G: KMCGlass>(_ e: KMCExperiment<G>, slug: String, in folder: OutputDirectory, log: ProgressReporter,
                              step: Int) throws -> KMCResult {
        log.note("reproduce: mean field against exact dynamics (\(step)/6): \(slug), N = \(e.parameters.sites), "
                 + "\(e.settings.realizations) realizations")
        var campaign = Campaign(experiment: e)
        let url = folder.file(slug)
        campaign.folder = url
        campaign.resume = resume && FileManager.default.fileExists(atPath: url.appendingPathComponent(RunManifestHeader.fileName).path)
        campaign.interrupt = interrupt
        guard case .finished(let result) = try campaign.execute() else {
            throw GlassDynamicsError.interrupted("interrupted during the run \(slug); its folder is resumable")
        }
        try OutputDirectory(path: url.path, force: true).write(result.files)
        return result
    }

    /// Runs everything into `out`/exact-dynamics.
    package func run(in out: OutputDirectory, log: ProgressReporter) throws -> ExactDynamicsOutcome {
        var clock = Stopwatch()
        let folder = try OutputDirectory(path: out.file(Self.folderName).path, force: true)
        let seed = settings.seed
        let egEq = try execute(egDOS, slug: "eg-equilibrium", in: folder, log: log, step: 1)
        let tlsEq = try execute(tlsDOS, slug: "tls-equilibrium", in: folder, log: log, step: 2)
        let gaps = [Self.gap(egEq, range: egDOS.inner.dosRange, seed: seed), Self.gap(tlsEq, range: tlsDOS.inner.dosRange, seed: seed)]
        let quench = try execute(egQuench, slug: "eg-quench", in: folder, log: log, step: 3)
        let logLaw = quench.logLaw.map {
            LogLawWindow(times: quench.times, energies: quench.observations.map(\.energy), gammaMin: $0.gammaMin,
                         gammaMax: $0.gammaMax, seed: seed)
        }
        let response = try execute(tlsResponse, slug: "tls-response", in: folder, log: log, step: 4)
        let (responseTable, partings, kept) = try Self.compare(response, experiment: tlsResponse, seed: seed)
        try folder.write(responseTable, as: "response-prediction.csv")
        let aging = try execute(egAging, slug: "eg-aging", in: folder, log: log, step: 5)
        let scaling = aging.correlation.map { AgingScaling(waitingTimes: $0.waitingTimes, t: $0.t, mean: $0.mean, error: $0.error) }
        let egResponseRun = try execute(egResponse, slug: "eg-response", in: folder, log: log, step: 6)
        let egCompared = try Self.compare(egResponseRun, experiment: egResponse, seed: seed, threads: settings.threads)
        try folder.write(egCompared.table, as: "eg-response-prediction.csv")
        var outcome = ExactDynamicsOutcome(plan: plan, gaps: gaps, logLaw: logLaw,
                                           partings: partings, responseKept: kept, aging: scaling)
        outcome.egResponse = egCompared.outcome
        outcome.runTimes = [("eg-equilibrium", egEq.wallTime), ("tls-equilibrium", tlsEq.wallTime), ("eg-quench", quench.wallTime),
                            ("tls-response", response.wallTime), ("eg-aging", aging.wallTime), ("eg-response", egResponseRun.wallTime)]
        outcome.truncated = [egEq, tlsEq, quench, response, aging, egResponseRun].reduce(0) {
            $0 + $1.observations.reduce(0) { $0 + $1.truncated }
        }
        for script in ExactDynamicsFigures.scripts(outcome) {
            try script.write(to: folder.url)
            let (images, note) = Reproduction.renderImages(script, in: folder.url, render: render)
            outcome.figures[script.name] = BeyondPaperOutcome.Figure(folder: Self.folderName, name: script.name, images: images,
                                                                     renderNote: note)
        }
        if plan.smallSystems {
            log.note("reproduce: mean field against exact dynamics: small systems, exact against mean field")
            outcome.smallSystems = try SmallSystemsSection.run(preset: plan.preset, seed: seed, threads: settings.threads)
        }
        outcome.wallTime = clock.lap()
        return outcome
    }

    /// Item 1 for one run: per-realization normalised densities on the run's bins, both sides,
    /// over the realizations whose mean field converged.
    static func gap(_ r: KMCResult, range: (lower: Double, upper: Double, bins: Int), seed: UInt64) -> GapComparison {
        let width = (range.upper - range.lower) / Double(range.bins)
        var kmc = [[Double]](), mf = [[Double]]()
        for (k, o) in r.outcomes.enumerated() where o.solver.converged {
            let counts = r.observations[k].dos
            let total = counts.reduce(0, +)
            kmc.append(counts.map { total > 0 ? $0 / (total * width) : 0 })
            var h = Histogram(lower: range.lower, upper: range.upper, bins: range.bins)
            h.add(contentsOf: o.energies)
            mf.append(h.density)
        }
        let centers = (0..<range.bins).map { range.lower + (Double($0) + 0.5) * width }
        return GapComparison(model: r.model, centers: centers, kmc: kmc, meanField: mf, core: 1.6 * width, seed: seed)
    }

    /// Item 3: the KMC response of the realizations whose mean field converged to a stable
    /// minimum, against the paper's and the full matrix's prediction on the same realizations;
    /// response-prediction.csv holds all three.
    static func compare(_ r: KMCResult, experiment e: KMCExperiment<TLSExperiment>, seed: UInt64) throws
        -> (CSVTable, [ResponseParting], Int) {
        let h = e.options.strength
        let c = try compare(r, seed: seed, sites: e.parameters.sites, strength: h, trajectories: e.options.trajectories) { o in
            try LinearResponsePrediction(experiment: e.inner, realization: o.index, strength: h)
                .flatMap { p in p.full.map { (paper: p.diagonal, full: $0, sites: p.sites) } }
        }
        return (c.table, c.partings, c.kept)
    }

    /// Item 3b: the same for the electron glass (``EGResponsePrediction``); also counts the
    /// realizations left out (mean field not converged, or the full matrix's fixed point not a
    /// local minimum) and the unresolved modes of those kept.
    static func compare(_ r: KMCResult, experiment e: KMCExperiment<EGExperiment>, seed: UInt64, threads: Int) throws
        -> (table: CSVTable, outcome: EGResponseComparison) {
        let h = e.options.strength
        var unresolved = (paper: 0, full: 0)
        let c = try compare(r, seed: seed, sites: e.parameters.sites, strength: h, trajectories: e.options.trajectories) { o in
            guard let p = try EGResponsePrediction(experiment: e.inner, outcome: o, strength: h, threads: threads),
                  let full = p.full else { return nil }
            unresolved.paper += p.unresolved.paper
            unresolved.full += p.unresolved.full
            return (paper: p.paper, full: full, sites: p.sites)
        }
        return (c.table, EGResponseComparison(partings: c.partings, kept: c.kept, realizations: r.outcomes.count,
                                              unresolvedPaper: unresolved.paper, unresolvedFull: unresolved.full))
    }

    typealias Modes = (rates: [Double], weights: [Double])

    /// The KMC response of `r` beside the mode sums of `predict` (nil: realization left out),
    /// per waiting time, with the partings of both predictions. `resolution`: one flipped spin
    /// (TLS) or one hop across the whole potential (EG) of one trajectory, 2h / (N trajectories R).
    static func compare(_ r: KMCResult, seed: UInt64, sites: Int, strength h: Double, trajectories: Int,
                        predict: (RealizationOutcome) throws -> (paper: Modes, full: Modes, sites: Int)?) throws
        -> (table: CSVTable, partings: [ResponseParting], kept: Int) {
        let columns = ["tw", "t", "tOverTw", "kmc", "kmcError", "paperMatrix", "fullMatrix"]
        guard let curves = r.response else { return (CSVTable(columns: []), [], 0) }
        var predictions = [Int: (paper: Modes, full: Modes, sites: Int)]()
        for (k, o) in r.outcomes.enumerated() {
            if let p = try predict(o) { predictions[k] = p }
        }
        let kept = predictions.keys.sorted()
        guard !kept.isEmpty else { return (CSVTable(columns: columns), [], 0) }
        var table = CSVTable(columns: columns)
        var partings = [ResponseParting]()
        for (w, tw) in curves.waitingTimes.enumerated() {
            let k = Bootstrap.columnMeans(kept.map { r.observations[$0].response[w] }, seed: seed)
            let mean = RowBootstrap.means
            let diagonal = mean(kept.map { predictions[$0]! }.map {
                LinearResponsePrediction.curve($0.paper, sites: $0.sites, waitingTime: tw, times: curves.t)
            })
            let full = mean(kept.map { predictions[$0]! }.map {
                LinearResponsePrediction.curve($0.full, sites: $0.sites, waitingTime: tw, times: curves.t)
            })
            for c in curves.t.indices {
                table.append([tw, curves.t[c], curves.t[c] / tw, k.mean.isEmpty ? .nan : k.mean[c], k.error.isEmpty ? .nan : k.error[c],
                              diagonal[c], full[c]])
            }
            guard !k.mean.isEmpty else { continue }
            let resolution = 2 * abs(h) / Double(sites * trajectories * kept.count)
            for (label, prediction) in [("paper's matrix", diagonal), ("full matrix", full)] {
                partings.append(ResponseParting(label: label, waitingTime: tw, times: curves.t, kmc: k.mean, error: k.error,
                                                prediction: prediction, resolution: resolution))
            }
        }
        return (table, partings, kept.count)
    }
}

/// Item 3b: the electron glass's KMC response against its exp(A t).
package struct EGResponseComparison: Sendable {
    /// Per waiting time, the paper's matrix then the full one.
    package var partings: [ResponseParting]
    /// Realizations kept (converged, full matrix at a local minimum) of `realizations`.
    package var kept: Int
    package var realizations: Int
    /// Non-zero modes below the rate floor, summed over the kept realizations (left out of
    /// the prediction; they contribute nothing at finite t_w).
    package var unresolvedPaper: Int
    package var unresolvedFull: Int

    package init(partings: [ResponseParting], kept: Int, realizations: Int, unresolvedPaper: Int, unresolvedFull: Int) {
        self.partings = partings
        self.kept = kept
        self.realizations = realizations
        self.unresolvedPaper = unresolvedPaper
        self.unresolvedFull = unresolvedFull
    }

    /// ``ResponseParting/judgement``, except that curves which never part while the
    /// prediction stays within ``ResponseParting/sigmas`` error bars of zero everywhere are
    /// inconclusive: the KMC could not have told that prediction from none.
    package var judgements: [Judgement] {
        partings.map { r in
            guard r.partingTime == nil, r.predictionPull < ResponseParting.sigmas else { return r.judgement }
            return Judgement(.inconclusive, String(format: "%@, t_w = %g: the prediction stays within %.0fσ of zero (at most %.2gσ), "
                                                   + "so the KMC cannot test it (largest pull %.2gσ)",
                                                   r.label, r.waitingTime, ResponseParting.sigmas, r.predictionPull, r.largestPull))
        }
    }
}

/// Everything the section measured.
package struct ExactDynamicsOutcome: Sendable {
    package var plan: ExactDynamicsPlan
    /// Item 1: electron glass, TLS glass.
    package var gaps: [GapComparison]
    /// Item 2 (nil when the mean field gave no cutoffs).
    package var logLaw: LogLawWindow?
    /// Item 3: per waiting time, the paper's matrix then the full one.
    package var partings: [ResponseParting]
    /// Realizations of item 3 with a converged, stable mean field.
    package var responseKept: Int
    /// Item 4.
    package var aging: AgingScaling?
    /// Item 3b (nil when not run).
    package var egResponse: EGResponseComparison? = nil
    /// Item 5 (nil when not run).
    package var smallSystems: SmallSystemsSection? = nil
    /// Trajectories stopped by the event limit, over all runs.
    package var truncated = 0
    package var runTimes = [(String, Double)]()
    package var figures = [String: BeyondPaperOutcome.Figure]()
    package var wallTime = 0.0

    package init(plan: ExactDynamicsPlan, gaps: [GapComparison], logLaw: LogLawWindow?,
                 partings: [ResponseParting], responseKept: Int, aging: AgingScaling?) {
        self.plan = plan
        self.gaps = gaps
        self.logLaw = logLaw
        self.partings = partings
        self.responseKept = responseKept
        self.aging = aging
    }
}
