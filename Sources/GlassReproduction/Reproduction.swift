import Foundation
import GlassDynamics

/// `glassdyn reproduce`: runs the selected figures, writes DIR/figNN/ (each curve's CSV files
/// as the model's own command writes them, figNN.gp, figNN.png/.svg, meta.json), evaluates
/// Table I, reruns disputed signs with the alternative conventions where cheap, and writes
/// DIR/REPORT.md and DIR/REPORT.html.
///
/// A run shared by two figures (Figs. 4 and 6 use the same runs) is computed once and written
/// into both folders.
package struct Reproduction: Sendable {
    package var preset: ReproductionPreset
    package var figures: [FigureDefinition]
    /// Seed, threads and quiet; each curve sets its own realization count.
    package var settings: RunSettings
    /// Render PNG and SVG with gnuplot when it is installed.
    package var render = true
    /// Which Table I schemes are rerun with the scripts convention and the Poisson box.
    package var alternatives = AlternativesPolicy.disputed
    /// A rerun is done only when the figure's own runs took at most this many seconds.
    package var alternativesBudget = 120.0
    /// Reuse the checkpoint ledgers of an earlier, interrupted reproduction in the same folder.
    package var resume = false
    package var interrupt: InterruptFlag? = nil
    /// The section "Beyond the paper's approximations" (``BeyondPaper``), run after the
    /// figures and Table I; nil: not run.
    package var beyond: BeyondPaperPlan? = nil
    /// The section "Mean field against exact dynamics" (``ExactDynamics``, with the exact
    /// small-system comparison), run last; nil: not run.
    package var exactDynamics: ExactDynamicsPlan? = nil

    package init(preset: ReproductionPreset, figures: [FigureDefinition], settings: RunSettings) {
        self.preset = preset
        self.figures = figures
        self.settings = settings
    }

    func settings(realizations: Int) -> RunSettings {
        var s = settings
        s.realizations = realizations
        return s
    }

    /// Checks every curve of every figure before any work.
    package func validate() throws {
        try settings.validate()
        guard !figures.isEmpty || beyond != nil || exactDynamics != nil else {
            throw ParameterError(.figures, "\(Parameter.figures) selects no figure, and the sections beyond the paper's approximations and mean field against exact dynamics are off")
        }
        for f in figures {
            for c in f.curves { try c.point.validate(settings: settings(realizations: c.realizations)) }
        }
        if !(alternativesBudget >= 0) { throw ParameterError(.alternativesBudget, "\(Parameter.alternativesBudget) must be a non-negative number, got \(alternativesBudget)") }
        if let plan = beyond { try section(plan).validate() }
        if let plan = exactDynamics { try exactSection(plan).validate() }
    }

    /// Runs everything into `out` (validate first).
    package func run(in out: OutputDirectory) throws -> ReproductionResult {
        let start = Date()
        let processorAtStart = ProcessorTime.seconds
        let log = ProgressReporter(label: "reproduce", total: figures.count, quiet: settings.quiet)
        // A run shared by several figures is kept only until its last user has written it.
        func key(_ c: CurveDefinition) -> String { c.point.key + " realizations=\(c.realizations)" }
        var uses = [String: Int]()
        for f in figures { for c in f.curves { uses[key(c), default: 0] += 1 } }
        var cache = [String: (result: any ModelRunResult, metrics: CurveMetrics, figure: String)]()
        var outcomes = [FigureOutcome]()
        for (k, f) in figures.enumerated() {
            log.note("reproduce: \(f.displayName) (\(k + 1)/\(figures.count)): \(f.title)")
            var clock = Stopwatch()
            let processorStart = ProcessorTime.seconds
            let folder = try OutputDirectory(path: out.file(f.name).path, force: true)
            var curves = [CurveOutcome]()
            for c in f.curves {
                let id = key(c)
                let run: (result: any ModelRunResult, metrics: CurveMetrics, figure: String)
                if let hit = cache[id] {
                    run = hit
                } else {
                    log.note("reproduce:   \(c.label): N = \(c.point.sites), \(c.realizations) realizations")
                    let result = try c.point.run(settings: settings(realizations: c.realizations),
                                                 checkpoint: folder.file(c.slug), resume: resume, interrupt: interrupt)
                    run = (result, CurveMetrics.measure(result, point: c.point, seed: settings.seed), f.name)
                }
                uses[id, default: 1] -= 1
                cache[id] = uses[id] == 0 ? nil : run
                try OutputDirectory(path: folder.file(c.slug).path, force: true).write(run.result.files)
                curves.append(CurveOutcome(definition: c, metrics: run.metrics,
                                           parameters: AnyEncodable(c.point.parameters),
                                           wallTime: run.result.wallTime, reusedFrom: run.figure == f.name ? nil : run.figure))
            }
            let script = FigurePlot.script(for: f, curves: curves)
            try script.write(to: folder.url)
            let (images, note) = renderImages(script, in: folder.url)
            var outcome = FigureOutcome(definition: f, curves: curves, images: images, renderNote: note)
            outcome.wallTime = clock.lap()
            outcome.processorTime = ProcessorTime.seconds - processorStart
            try folder.write(json: outcome.meta(preset: preset, settings: settings), as: "meta.json")
            log.note(String(format: "reproduce: %@ done in %.1f s: %@", f.displayName, outcome.wallTime,
                            outcome.verdict.verdict.rawValue))
            outcomes.append(outcome)
        }
        var clock = Stopwatch()
        let table = TableOneRow.all.map { row in
            TableOneEntry(row: row, figure: outcomes.first { $0.definition.id == row.figureID })
        }
        let alternatives = try runAlternatives(table: table, outcomes: outcomes, out: out, log: log)
        let alternativesTime = clock.lap()
        let beyondProcessorStart = ProcessorTime.seconds
        let beyondOutcome = try beyond.map { try section($0).run(in: out, log: log) }
        let beyondProcessorTime = ProcessorTime.seconds - beyondProcessorStart
        var result = ReproductionResult(preset: preset, settings: settings, figures: outcomes, table: table,
                                        alternatives: alternatives, alternativesTime: alternativesTime,
                                        wallTime: Date().timeIntervalSince(start))
        result.beyond = beyondOutcome
        if beyondOutcome != nil { result.beyondProcessorTime = beyondProcessorTime }
        if let plan = exactDynamics {
            let processorStart = ProcessorTime.seconds
            result.exactDynamics = try exactSection(plan).run(in: out, log: log)
            result.exactDynamicsProcessorTime = ProcessorTime.seconds - processorStart
            result.wallTime = Date().timeIntervalSince(start)
        }
        result.processorTime = ProcessorTime.seconds - processorAtStart
        try result.write(to: out)
        return result
    }

    /// The section "Beyond the paper's approximations" with this reproduction's settings.
    func section(_ plan: BeyondPaperPlan) -> BeyondPaper {
        var b = BeyondPaper(plan: plan, settings: settings)
        b.render = render
        b.resume = resume
        b.interrupt = interrupt
        return b
    }

    /// The section "Mean field against exact dynamics" with this reproduction's settings.
    func exactSection(_ plan: ExactDynamicsPlan) -> ExactDynamics {
        var e = ExactDynamics(plan: plan, settings: settings)
        e.render = render
        e.resume = resume
        e.interrupt = interrupt
        return e
    }

    /// Renders the script to PNG and SVG; returns the image names, or a note saying why none.
    func renderImages(_ script: GnuplotScript, in folder: URL) -> ([String], String?) {
        Self.renderImages(script, in: folder, render: render)
    }

    /// Renders the script to PNG and SVG when `render` is set and gnuplot is installed.
    static func renderImages(_ script: GnuplotScript, in folder: URL, render: Bool) -> ([String], String?) {
        guard render else { return ([], "rendering switched off; run `gnuplot \(script.fileName)` in this folder") }
        guard let gnuplot = GnuplotScript.executable else {
            return ([], "gnuplot is not installed (make deps installs gnuplot-nox); run `gnuplot \(script.fileName)` in this folder")
        }
        do {
            try script.render(in: folder, gnuplot: gnuplot)
            return ([script.name + ".png", script.name + ".svg"], nil)
        } catch {
            return ([], "\(error)")
        }
    }

    /// The alternative choices of a scheme: each flips one convention of the default run.
    static func alternatives(of point: ModelPoint) -> [(String, (ModelPoint) -> ModelPoint)] {
        var out = [(String, (ModelPoint) -> ModelPoint)]()
        out.append(point.convention == .paper ? ("convention scripts", { $0.with(convention: .scripts) })
                                              : ("convention paper", { $0.with(convention: .paper) }))
        out.append(point.box == .paper ? ("box poisson", { $0.with(box: .poisson) })
                                       : ("box paper", { $0.with(box: .paper) }))
        return out
    }

    func runAlternatives(table: [TableOneEntry], outcomes: [FigureOutcome], out: OutputDirectory,
                         log: ProgressReporter) throws -> [AlternativeRun] {
        var runs = [AlternativeRun]()
        for entry in table where entry.ran && alternatives.includes(entry.judgement.verdict) {
            guard let fig = outcomes.first(where: { $0.definition.id == entry.row.figureID }),
                  let first = fig.definition.curves.first else { continue }
            let cost = fig.curves.map(\.wallTime).reduce(0, +)
            for (choice, change) in Reproduction.alternatives(of: first.point) {
                guard cost <= alternativesBudget else {
                    runs.append(AlternativeRun(row: entry.row, choice: choice, wallTime: 0, skipped: String(
                        format: "its runs took %.0f s, above the %.0f s alternatives budget", cost, alternativesBudget)))
                    continue
                }
                log.note("reproduce: Table I, \(entry.row.model.rawValue) \(entry.row.quantity): rerunning \(fig.definition.displayName) with \(choice)")
                var clock = Stopwatch()
                let tag = choice.replacingOccurrences(of: " ", with: "-")
                let folder = out.file("table1").appendingPathComponent("\(fig.definition.name)-\(tag)")
                var lnMin = [Measurement](), median = [Measurement]()
                for c in fig.definition.curves {
                    let point = change(c.point)
                    try point.validate(settings: settings(realizations: c.realizations))
                    let result = try point.run(settings: settings(realizations: c.realizations),
                                               checkpoint: folder.appendingPathComponent(c.slug), resume: resume,
                                               interrupt: interrupt)
                    try OutputDirectory(path: folder.appendingPathComponent(c.slug).path, force: true).write(result.files)
                    let m = CurveMetrics.measure(result, point: point, seed: settings.seed)
                    lnMin.append(m[.lnGammaMin])
                    median.append(m[.medianLnGamma])
                }
                let symbol = fig.definition.scheme?.symbol ?? "x"
                let xs = fig.definition.curves.map(\.x)
                runs.append(AlternativeRun(row: entry.row, choice: choice,
                                           lnGammaMin: SchemeTrend(parameter: symbol, x: xs, y: lnMin),
                                           median: SchemeTrend(parameter: symbol, x: xs, y: median),
                                           wallTime: clock.lap(), skipped: nil))
            }
        }
        return runs
    }
}

/// Which Table I signs are rerun with the alternative choices.
package enum AlternativesPolicy: String, Sendable, CaseIterable {
    /// None.
    case none
    /// Those that do not agree with the paper (the default).
    case disputed
    /// Every sign: shows which choices could flip an agreeing sign too.
    case all

    func includes(_ v: Verdict) -> Bool {
        switch self {
        case .none: return false
        case .disputed: return v != .agree
        case .all: return true
        }
    }
}

/// Everything `glassdyn reproduce` measured, ready for REPORT.md and REPORT.html.
package struct ReproductionResult: Sendable {
    package var preset: ReproductionPreset
    package var settings: RunSettings
    package var figures: [FigureOutcome]
    package var table: [TableOneEntry]
    package var alternatives: [AlternativeRun]
    package var alternativesTime: Double
    package var wallTime: Double
    /// The section "Mean field against exact dynamics" (with the exact small-system
    /// comparison), when it was run.
    package var exactDynamics: ExactDynamicsOutcome? = nil
    /// The section "Beyond the paper's approximations", when it was run.
    package var beyond: BeyondPaperOutcome? = nil
    /// Processor seconds (all threads) of the section beyond the paper, when it was run.
    package var beyondProcessorTime: Double? = nil
    /// Processor seconds (all threads) of the section "Mean field against exact dynamics".
    package var exactDynamicsProcessorTime: Double? = nil
    /// Processor seconds (all threads) of the whole reproduction.
    package var processorTime: Double = 0

    package init(preset: ReproductionPreset, settings: RunSettings, figures: [FigureOutcome], table: [TableOneEntry],
                alternatives: [AlternativeRun], alternativesTime: Double, wallTime: Double) {
        self.preset = preset
        self.settings = settings
        self.figures = figures
        self.table = table
        self.alternatives = alternatives
        self.alternativesTime = alternativesTime
        self.wallTime = wallTime
    }

    /// REPORT.md, REPORT.html (the same report as one self-contained page, figures inlined as
    /// SVG), table1.csv and timing.json.
    package func write(to out: OutputDirectory) throws {
        try AtomicFile.write(ReproductionReport.markdown(self), to: out.file("REPORT.md"))
        try AtomicFile.write(ReportHTML.page(self, folder: out.url), to: out.file("REPORT.html"))
        var csv = CSVTable(columns: ["model", "quantity", "figure", "paperSign", "lnGammaMinChange", "lnGammaMinChangeError",
                                     "sign", "medianChange", "medianChangeError", "medianSign", "verdict"])
        for e in table {
            let c = e.change, m = e.medianChange
            csv.append(fields: [e.row.model.rawValue, e.row.quantity, e.row.figureID, e.row.paperSymbol,
                                CSVTable.format(c.value), CSVTable.format(c.error), e.sign.symbol,
                                CSVTable.format(m.value), CSVTable.format(m.error), e.medianSign.symbol,
                                e.verdictText])
        }
        try out.write(csv, as: "table1.csv")
        try out.write(json: Timing(preset: preset, seed: settings.seed, threads: settings.threads,
                                   figures: figures.map { Timing.Figure(figure: $0.definition.id, wallTimeSeconds: $0.wallTime,
                                                                        processorSeconds: $0.processorTime,
                                                                        verdict: $0.verdict.verdict) },
                                   alternativesSeconds: alternativesTime, beyondSeconds: beyond?.wallTime,
                                   beyondProcessorSeconds: beyondProcessorTime,
                                   exactDynamicsSeconds: exactDynamics?.wallTime,
                                   exactDynamicsProcessorSeconds: exactDynamicsProcessorTime,
                                   wallTimeSeconds: wallTime, processorSeconds: processorTime), as: "timing.json")
    }

    /// timing.json: where the time went.
    struct Timing: Encodable, Sendable {
        struct Figure: Encodable, Sendable {
            var figure: String
            var wallTimeSeconds: Double
            /// Processor seconds, all threads: the figure's cost on a machine of its own.
            var processorSeconds: Double
            var verdict: Verdict
        }
        var preset: ReproductionPreset
        var seed: UInt64
        var threads: Int
        var figures: [Figure]
        var alternativesSeconds: Double
        /// The section "Beyond the paper's approximations" (absent when not run).
        var beyondSeconds: Double?
        var beyondProcessorSeconds: Double?
        /// The section "Mean field against exact dynamics" (absent when not run).
        var exactDynamicsSeconds: Double?
        var exactDynamicsProcessorSeconds: Double?
        var wallTimeSeconds: Double
        var processorSeconds: Double

    }
}
