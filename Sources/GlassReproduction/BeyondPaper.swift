import Foundation
import GlassDynamics

/// REPORT.md's section "Beyond the paper's approximations" (issue #11, section 6): runs
/// ``BeyondPaperPlan``'s points into DIR/beyond/<slug>/ (each the model's own files), the
/// electron-glass aging run into DIR/beyond/aging/, measures the items (a)-(e) and draws their
/// figures (DIR/beyond/beyondX.gp, .png, .svg and the CSV files they plot).
package struct BeyondPaper: Sendable {
    package var plan: BeyondPaperPlan
    package var settings: RunSettings
    package var render = true
    package var resume = false
    package var interrupt: InterruptFlag? = nil

    package init(plan: BeyondPaperPlan, settings: RunSettings) {
        self.plan = plan
        self.settings = settings
    }

    /// The folder of the section inside DIR.
    package static let folderName = "beyond"

    /// Checks every run before any work.
    package func validate() throws {
        for r in plan.runs { try r.point.validate(settings: settings(r.realizations)) }
        try agingExperiment.validate()
    }

    func settings(_ realizations: Int) -> RunSettings {
        var s = settings
        s.realizations = realizations
        return s
    }

    var agingExperiment: AgingExperiment<TLSExperiment> {
        AgingExperiment<TLSExperiment>(parameters: plan.agingParameters, waitingTimes: plan.waitingTimes,
                                      strength: plan.agingStrength, settings: settings(plan.agingRealizations))
    }

    /// Runs everything into `out`/beyond.
    package func run(in out: OutputDirectory, log: ProgressReporter) throws -> BeyondPaperOutcome {
        var clock = Stopwatch()
        let folder = try OutputDirectory(path: out.file(Self.folderName).path, force: true)
        var digests = [String: BeyondRunDigest]()
        let runs = plan.runs
        for (k, r) in runs.enumerated() {
            log.note("reproduce: beyond the paper (\(k + 1)/\(runs.count + 1)): \(r.slug), N = \(r.point.sites), \(r.realizations) realizations")
            let result = try r.point.run(settings: settings(r.realizations), checkpoint: folder.file(r.slug), resume: resume,
                                         interrupt: interrupt)
            try OutputDirectory(path: folder.file(r.slug).path, force: true).write(result.files)
            digests[r.slug] = BeyondRunDigest(slug: r.slug, label: r.label, point: r.point, result: result, seed: settings.seed)
        }
        log.note("reproduce: beyond the paper (\(runs.count + 1)/\(runs.count + 1)): aging, N = \(plan.agingSites), \(plan.agingRealizations) realizations")
        var campaign = Campaign(experiment: agingExperiment)
        let agingFolder = folder.file("aging")
        campaign.folder = agingFolder
        campaign.resume = resume && FileManager.default.fileExists(
            atPath: agingFolder.appendingPathComponent(RunManifestHeader.fileName).path)
        campaign.interrupt = interrupt
        guard case .finished(let aging) = try campaign.execute() else {
            throw GlassDynamicsError.interrupted("interrupted during the aging run; its folder is resumable")
        }
        let agingOut = try OutputDirectory(path: agingFolder.path, force: true)
        try agingOut.write(aging.files)

        // A run shared by two items keeps one digest; each item labels it its own way.
        func d(_ r: BeyondPaperPlan.Run) -> BeyondRunDigest {
            var x = digests[r.slug]!
            x.label = r.label
            return x
        }
        var outcome = BeyondPaperOutcome(
            rateMatrix: plan.rateMatrixRuns.map {
                PairedRuns(model: $0.model, before: d($0.paper), after: d($0.full),
                           what: "\($0.model.title): Δ ln Γ_min (full − paper)", seed: settings.seed)
            },
            slowModes: plan.slowModeRuns.map {
                PairedRuns(model: .eg, temperature: $0.t, before: d($0.symmetric), after: d($0.accurate),
                           what: "T = \(BeyondPaperPlan.tag($0.t)): Δ ln Γ_min (accurate − dsyevd)", seed: settings.seed)
            },
            localization: plan.modeRuns.map { ModeLocalization(model: $0.model, small: d($0.runs[0]), large: d($0.runs[$0.runs.count - 1])) },
            aging: AgingCollapse(aging),
            tilt: PlateauTiltStudy(plan.tiltChoices.map(d), seed: settings.seed),
            plan: plan)
        outcome.defaultBoxBelowFloor = d(plan.tiltChoices[0]).belowFloor
        let scripts = BeyondPaperFigures.scripts(outcome)
        for script in scripts {
            let dir = script.name == "aging" ? agingOut.url : folder.url
            try script.write(to: dir)
            let (images, note) = Reproduction.renderImages(script, in: dir, render: render)
            outcome.figures[script.name] = BeyondPaperOutcome.Figure(
                folder: script.name == "aging" ? "\(Self.folderName)/aging" : Self.folderName, name: script.name,
                images: images, renderNote: note)
        }
        try folder.write(CSVTable.tiltTable(outcome.tilt), as: "tilt.csv")
        outcome.wallTime = clock.lap()
        return outcome
    }
}

extension CSVTable {
    /// tilt.csv of the plateau-tilt study.
    static func tiltTable(_ study: PlateauTiltStudy) -> CSVTable {
        var t = CSVTable(columns: ["choice", "folder", "tilt", "tiltError", "tiltChange", "tiltChangeError", "lnGammaMin",
                                   "lnGammaMinError", "plateauWidth", "medianLnGamma"])
        for r in study.rows {
            t.append(fields: [r.label, r.slug, CSVTable.format(r.tilt.value), CSVTable.format(r.tilt.error),
                              CSVTable.format(r.change.value), CSVTable.format(r.change.error),
                              CSVTable.format(r.lnGammaMin.value), CSVTable.format(r.lnGammaMin.error),
                              CSVTable.format(r.plateauWidth.value), CSVTable.format(r.median.value)])
        }
        return t
    }
}

/// Two runs of one model on the same realizations that differ in one choice: items (a)
/// (the paper's rate matrix -> the full one) and (b) (dsyevd -> the accurate slow modes).
package struct PairedRuns: Sendable {
    package var model: GlassModel
    /// The temperature of item (b)'s pairs (nil for item (a)).
    package var temperature: Double?
    package var before: BeyondRunDigest
    package var after: BeyondRunDigest
    /// What the change is, e.g. "electron glass: Δ ln Γ_min (full − paper)".
    package var what: String
    /// Change of ln Gamma_min and of the median (after minus before), paired bootstrap errors.
    package var lnGammaMinChange: Measurement
    package var medianChange: Measurement

    package init(model: GlassModel, temperature: Double? = nil, before: BeyondRunDigest, after: BeyondRunDigest,
                 what: String, seed: UInt64) {
        self.model = model
        self.temperature = temperature
        self.before = before
        self.after = after
        self.what = what
        lnGammaMinChange = BeyondRunDigest.change(.lnGammaMin, from: before, to: after, seed: seed)
        medianChange = BeyondRunDigest.change(.medianLnGamma, from: before, to: after, seed: seed)
    }

    /// The choice is harmless for the paper's Gamma_min: |change of ln Gamma_min| < 0.5.
    package var judgement: Judgement { Judgement.near(lnGammaMinChange, 0, tolerance: 0.5, what: what) }
}

/// Item (c): the participation ratio at fixed ln Gamma at two sizes.
package struct ModeLocalization: Sendable {
    package var model: GlassModel
    package var small: BeyondRunDigest
    package var large: BeyondRunDigest

    /// A window of ln Gamma (quantiles of the small system's modes) and the median PR in it at both sizes.
    package struct Window: Sendable {
        package var name: String
        package var lnGamma: ClosedRange<Double>
        package var smallPR: Double
        package var largePR: Double
        package var ratio: Double { largePR / smallPR }
    }

    static func median(_ x: [Double]) -> Double {
        let s = x.sorted()
        return s.isEmpty ? .nan : (s.count % 2 == 1 ? s[s.count / 2] : 0.5 * (s[s.count / 2 - 1] + s[s.count / 2]))
    }

    /// The central half (quartiles) and the slow tail (1% to 10% quantiles) of the small system's ln Gamma.
    package var windows: [Window] {
        let ln = small.modes.map(\.lnRate).sorted()
        guard ln.count >= 10 else { return [] }
        func window(_ name: String, _ lo: Double, _ hi: Double) -> Window {
            let w = DirectTermStudy.quantile(ln, lo)...DirectTermStudy.quantile(ln, hi)
            return Window(name: name, lnGamma: w,
                          smallPR: Self.median(small.modes.filter { w.contains($0.lnRate) }.map(\.participationRatio)),
                          largePR: Self.median(large.modes.filter { w.contains($0.lnRate) }.map(\.participationRatio)))
        }
        return [window("central half", 0.25, 0.75), window("slow tail", 0.01, 0.1)]
    }

    /// Localized: PR at fixed ln Gamma grows less than 1.5-fold from the small to the large N
    /// (a delocalized mode's PR grows like N); disagree when it grows at least half as fast as N.
    package var judgement: Judgement {
        let ws = windows
        let growth = Double(large.sites) / Double(small.sites)
        guard !ws.isEmpty, ws.allSatisfy({ $0.ratio.isFinite }) else {
            return Judgement(.inconclusive, "\(model.title): too few modes to compare")
        }
        let text = "\(model.title), N = \(small.sites) → \(large.sites) (×\(Judgement.fmt(growth))): median PR "
            + ws.map { String(format: "%@ %.3g → %.3g", $0.name, $0.smallPR, $0.largePR) }.joined(separator: ", ")
        if ws.allSatisfy({ $0.ratio < 1.5 }) { return Judgement(.agree, text) }
        if ws.contains(where: { $0.ratio > 0.5 * growth }) { return Judgement(.disagree, text + ": PR grows with N") }
        return Judgement(.inconclusive, text)
    }
}

/// Item (d): the aging collapse O(t; t_w) against t / t_w and where simple aging breaks.
///
/// Simple aging is a statement about the shape: O(t; t_w) = c' ln(1 + t_w / t), a function of
/// t / t_w alone. The weights of a real spectrum are not uniform in ln Gamma (weights.csv), so
/// the local amplitude c' changes with t_w; the collapse is measured on the normalised curve
/// O(t; t_w) / O(t_w; t_w) against ln(1 + t_w / t) / ln 2 over 0.1 <= t / t_w <= 1. For a
/// 1/Gamma law between Gamma_min and Gamma_max (>> 1/t_w) that deviation is about
/// 1.1 Gamma_min t_w (0.1 at Gamma_min t_w = 0.1, tested).
package struct AgingCollapse: Sendable {
    /// One waiting time.
    package struct Point: Sendable {
        package var waitingTime: Double
        package var gammaMinTw: Double
        package var gammaMaxTw: Double
        /// Largest relative deviation of the normalised response from ln(1 + t_w/t) / ln 2.
        package var deviation: Double
        /// O(t_w; t_w) / ln 2: the local c'.
        package var localAmplitude: Double
    }

    /// Simple aging holds when the deviation is below this (a 1/Gamma law reaches it at
    /// Gamma_min t_w of about 0.14).
    package static let tolerance = 0.15

    package var points: [Point]
    /// Gamma_min and Gamma_max: the plateau cutoffs (``PlateauCutoffs``, the paper's Gamma_min)
    /// of the aged run's pooled rates; c' the closed form's amplitude (``AgingResult``).
    package var lnGammaMin: Double
    package var lnGammaMax: Double
    package var amplitude: Double
    package var kept: Int
    package var requested: Int
    package var sites: Int
    package var model: GlassModel = .tls
    /// The closed form's lower cutoff (the weighted 1% quantile of ln Gamma), for comparison.
    package var closedFormLnGammaMin = Double.nan

    init(_ r: AgingResult) {
        let cut = r.analysis.cutoffs
        self.init(lnRates: r.lnRates, weights: r.weights, amplitude: r.amplitude, waitingTimes: r.waitingTimes,
                  lnGammaMin: cut?.lnGammaMin ?? r.lnGammaMin, lnGammaMax: cut?.lnGammaMax ?? r.lnGammaMax)
        closedFormLnGammaMin = r.lnGammaMin
        kept = r.keptCount
        requested = r.outcomes.count
        sites = r.outcomes.first?.energies.count ?? 0
        model = r.model
    }

    /// The collapse of the pooled modes (ln Gamma_k, w_k) at each waiting time, with the
    /// cutoffs and amplitude given (reported beside it).
    package init(lnRates: [Double], weights: [Double], amplitude: Double, waitingTimes: [Double],
                 lnGammaMin: Double, lnGammaMax: Double) {
        self.lnGammaMin = lnGammaMin
        self.lnGammaMax = lnGammaMax
        self.amplitude = amplitude
        kept = 0
        requested = 0
        sites = 0
        let gMin = Foundation.exp(lnGammaMin), gMax = Foundation.exp(lnGammaMax)
        let rates = lnRates.map { Foundation.exp($0) }
        points = waitingTimes.map { tw in
            let atTw = AgingResponse.response(rates: rates, weights: weights, time: tw, waitingTime: tw)
            let dev = stride(from: -1.0, through: 0.0001, by: 0.125).map { e -> Double in
                let x = Foundation.pow(10, e)
                let o = AgingResponse.response(rates: rates, weights: weights, time: x * tw, waitingTime: tw)
                return abs((o / atTw) / (Foundation.log1p(1 / x) / Foundation.log(2)) - 1)
            }.max() ?? .nan
            return Point(waitingTime: tw, gammaMinTw: gMin * tw, gammaMaxTw: gMax * tw, deviation: dev,
                         localAmplitude: atTw / Foundation.log(2))
        }
    }

    /// The waiting times beyond the fast cutoff (Gamma_max t_w >= 100, so 1/Gamma_max << t).
    var usable: [Point] { points.filter { $0.gammaMaxTw >= 100 } }

    /// Gamma_min t_w of the last waiting time of the longest run of consecutive holding ones,
    /// and of the failing one that ends it (nil where there is none). (Near the fast cutoff the
    /// soft edge of the weights disturbs the shape, and far beyond 1/Gamma_min the response is
    /// the relaxation alone and may resemble ln(1 + t_w/t) by accident; the longest holding run
    /// is the simple-aging window.)
    package var breakdown: (lastHolding: Double?, firstFailing: Double?) {
        let u = usable.sorted { $0.waitingTime < $1.waitingTime }
        var best: Range<Int>? = nil, start: Int? = nil
        for k in 0...u.count {
            let holds = k < u.count && u[k].deviation < Self.tolerance
            if holds, start == nil { start = k }
            if !holds, let s = start {
                if (best?.count ?? 0) < k - s { best = s..<k }
                start = nil
            }
        }
        guard let run = best else { return (nil, u.first?.gammaMinTw) }
        return (u[run.upperBound - 1].gammaMinTw, run.upperBound < u.count ? u[run.upperBound].gammaMinTw : nil)
    }

    /// The expectation: the collapse breaks where Gamma_min t_w reaches about 0.1:
    /// agree when the bracket (last holding, first failing Gamma_min t_w) overlaps
    /// [0.01, 1], disagree when it lies wholly outside, inconclusive when there is no bracket.
    package var judgement: Judgement {
        let (a, b) = breakdown
        let dev = usable.map { String(format: "%.2g at Γ_min t_w = %.2g", $0.deviation, $0.gammaMinTw) }.joined(separator: ", ")
        let text = "\(model.title): deviation of O(t; t_w)/O(t_w; t_w) from ln(1 + t_w/t)/ln 2 over 0.1 ≤ t/t_w ≤ 1: " + dev
        guard let a, let b else {
            return Judgement(.inconclusive, text + ": the waiting times do not bracket a breakdown")
        }
        let at = String(format: "; the collapse (deviation < %.2g) holds up to Γ_min t_w = %.2g and fails at %.2g",
                        Self.tolerance, a, b)
        if b >= 0.01 && a <= 1 { return Judgement(.agree, text + at) }
        return Judgement(.disagree, text + at + ", not near 0.1")
    }
}

/// Everything the section measured.
package struct BeyondPaperOutcome: Sendable {
    /// A drawn figure of the section.
    package struct Figure: Sendable {
        /// Folder relative to DIR (beyond, beyond/aging).
        package var folder: String
        package var name: String
        package var images: [String]
        package var renderNote: String?
    }

    /// Item (a): per model, the paper's matrix -> the full one.
    package var rateMatrix: [PairedRuns]
    /// Item (b): per temperature, dsyevd -> the accurate slow modes.
    package var slowModes: [PairedRuns]
    package var localization: [ModeLocalization]
    package var aging: AgingCollapse
    package var tilt: PlateauTiltStudy
    package var plan: BeyondPaperPlan
    /// Modes dsyevd dropped below its floor at the default box (T = 0.1), summed.
    package var defaultBoxBelowFloor: Int?
    package var figures = [String: Figure]()
    package var wallTime = 0.0

    package init(rateMatrix: [PairedRuns], slowModes: [PairedRuns], localization: [ModeLocalization],
                 aging: AgingCollapse, tilt: PlateauTiltStudy, plan: BeyondPaperPlan) {
        self.rateMatrix = rateMatrix
        self.slowModes = slowModes
        self.localization = localization
        self.aging = aging
        self.tilt = tilt
        self.plan = plan
    }
}
