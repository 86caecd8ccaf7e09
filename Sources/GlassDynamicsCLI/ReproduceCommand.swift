import ArgumentParser
import Foundation
import GlassDynamics
import GlassReproduction

extension ReproductionPreset: ExpressibleByArgument {}
extension AlternativesPolicy: ExpressibleByArgument {}

/// Whether `reproduce` runs an optional section ("Beyond the paper's approximations", "Mean
/// field against exact dynamics").
enum BeyondSection: String, ExpressibleByArgument, CaseIterable {
    /// With every figure (no --figures), not with a selection.
    case auto
    case on
    case off
}

struct ReproduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce",
        abstract: "Regenerate the paper's figures and Table I, draw them, and check them against the paper.",
        discussion: """
        Writes DIR/figNN/ for each figure (one folder per curve with the files of `glassdyn tls` or
        `glassdyn eg`, figNN.gp, figNN.png, figNN.svg, meta.json), DIR/table1.csv, DIR/timing.json
        and DIR/REPORT.md with a verdict (agree / disagree / inconclusive) per figure and per Table I sign;
        DIR/REPORT.html is the same report as one self-contained page (figures inlined as SVG). With all
        figures (or --beyond on), DIR/beyond/ holds the section "Beyond the paper's approximations", and
        (or --exact-dynamics on) DIR/exact-dynamics/ the section "Mean field against exact dynamics".
        """)

    @Option(help: "quick (minutes, smaller N) or paper (the paper's N and realization counts).")
    var preset = ReproductionPreset.quick
    @Option(help: "Figures to run, e.g. 1,3,9 or S1 (default: all); none: only the sections beyond the paper's approximations and mean field against exact dynamics.") var figures: String?
    @Option(help: "Output folder.") var out: String
    @Option(help: "Worker threads (default: all cores).") var threads = ParallelRunner.availableCores
    @Option(help: "Seed of the whole reproduction.") var seed: UInt64 = 1
    @Option(help: "Table I signs to rerun with --convention scripts and --box poisson: none, disputed (not agreeing with the paper) or all.")
    var alternatives = AlternativesPolicy.disputed
    @Option(help: "Rerun a Table I scheme only when its figure's runs took at most this many seconds.")
    var alternativesBudget = 120.0
    @Option(help: "The section 'Beyond the paper's approximations' (full rate matrices, accurate slow modes, mode localization, aging, Fig. 9's plateau-tilt study; about a minute on 2 cores with the quick preset): auto (with all figures or --figures none, not with a selection), on or off.")
    var beyond = BeyondSection.auto
    @Option(help: "The section 'Mean field against exact dynamics' (kinetic Monte Carlo of small glasses against mean field on the same realizations: DOS gaps, quench log law, linear response against exp(A t), aging collapse, and the exact small-system comparison; about a minute on 2 cores with the quick preset, three at the paper preset): auto (with all figures or --figures none, not with a selection), on or off.")
    var exactDynamics = BeyondSection.auto
    @Flag(help: "Write the gnuplot scripts but do not run gnuplot.") var noRender = false
    @Flag(help: "Reuse a non-empty output folder.") var force = false
    @Flag(help: "Continue an interrupted reproduction in --out from its checkpoints.") var resume = false
    @Flag(help: "No progress on stderr.") var quiet = false

    func run() throws {
        try runReportingErrors {
            var settings = RunSettings()
            settings.seed = seed
            settings.threads = threads
            settings.quiet = quiet
            var job = Reproduction(preset: preset, figures: try FigureDefinition.select(figures, preset: preset), settings: settings)
            job.render = !noRender
            job.alternatives = alternatives
            job.alternativesBudget = alternativesBudget
            job.resume = resume
            job.interrupt = InterruptFlag.shared
            let onlyBeyond = figures?.trimmingCharacters(in: .whitespaces).lowercased() == "none"
            if beyond == .on || (beyond == .auto && (figures == nil || onlyBeyond)) { job.beyond = BeyondPaperPlan(preset) }
            if exactDynamics == .on || (exactDynamics == .auto && (figures == nil || onlyBeyond)) {
                job.exactDynamics = ExactDynamicsPlan(preset)
            }
            try job.validate()
            let dir = try lockedOutput(path: out, force: force, resume: resume, clearsRunFiles: false)
            InterruptFlag.shared.install()
            let result = try job.run(in: dir)
            func pad(_ s: String, _ n: Int) -> String { s.padding(toLength: Swift.max(n, s.count), withPad: " ", startingAt: 0) }
            for f in result.figures {
                Console.out(pad(f.definition.displayName, 8) + pad(f.verdict.verdict.rawValue, 13)
                      + String(format: "%7.1f s  ", f.wallTime) + f.definition.paperClaim)
            }
            for e in result.table where e.ran {
                Console.out("Table I: \(e.row.model.title), more \(e.row.quantity): paper \(e.row.paperSymbol), measured \(e.sign.symbol): \(e.verdictText)")
            }
            for b in result.beyond.map(BeyondPaperReport.blocks) ?? [] {
                Console.out(pad("beyond", 8) + pad(b.verdict.rawValue, 13) + b.title)
            }
            for b in result.exactDynamics.map(ExactDynamicsReport.blocks) ?? [] {
                Console.out(pad("exact", 8) + pad(b.verdict.rawValue, 13) + b.title)
            }
            Console.out(String(format: "reproduce: %d figures in %.1f s; report in %@ and %@", result.figures.count,
                               result.wallTime, dir.file("REPORT.md").path, dir.file("REPORT.html").path))
        }
    }
}
