import Foundation
import GlassDynamics
import GlassReproduction
import Testing

/// The section "Beyond the paper's approximations": the plateau-tilt measure on synthetic
/// spectra of known tilt, the aging-collapse rule on a 1/Gamma law, and the section end to
/// end in REPORT.md and REPORT.html.
@Suite struct BeyondPaperTests {
    /// Realizations whose ln Gamma follow the density p(x) ∝ 1 + s (x - x0) on [a, b], each
    /// drawn deterministically at the quantiles (k + u_r) / m (u_r a per-realization offset):
    /// no sampling noise, so the measured tilt is the density's.
    static func outcomes(slope s: Double, a: Double, b: Double, x0: Double, perRealization m: Int, realizations: Int)
        -> [RealizationOutcome]
    {
        // CDF F(x) = [(x - a) + s/2 ((x - x0)^2 - (a - x0)^2)] / Z, inverted by the quadratic formula.
        let z = (b - a) + 0.5 * s * ((b - x0) * (b - x0) - (a - x0) * (a - x0))
        func inverse(_ q: Double) -> Double {
            guard s != 0 else { return a + q * (b - a) }
            // s/2 y^2 + y - (a - x0) - s/2 (a - x0)^2 - q Z = 0 with y = x - x0.
            let c = -(a - x0) - 0.5 * s * (a - x0) * (a - x0) - q * z
            let y = (-1 + (1 - 2 * s * c).squareRoot()) / s
            return x0 + y
        }
        return (0..<realizations).map { r in
            let u = (Double(r) + 0.5) / Double(realizations)
            let rates = (0..<m).map { Foundation.exp(inverse((Double($0) + u) / Double(m))) }
            return RealizationOutcome(index: r, energies: [0], rates: rates,
                                      solver: SolverReport(sweeps: 1, residual: 0, converged: true, columnUpdates: 0),
                                      timings: [])
        }
    }

    @Test func flatInverseGammaSpectrumHasZeroTilt() {
        let t = PlateauTiltStudy.tilt(outcomes: Self.outcomes(slope: 0, a: -30, b: -5, x0: -17.5, perRealization: 4000,
                                                              realizations: 8), seed: 1)
        #expect(abs(t.value) < 1e-3, "tilt \(t.value)")
        #expect(t.error.isFinite && t.error < 1e-3)
    }

    @Test func tiltedSpectrumGivesItsRelativeSlope() {
        // p ∝ 1 + s (x - x0): over the interquartile range [q1, q3] the relative slope is
        // s / (1 + s (xbar - x0)), xbar the window's centre.
        for s in [0.06, -0.04] {
            let a = -30.0, b = -5.0, x0 = -17.5
            let outcomes = Self.outcomes(slope: s, a: a, b: b, x0: x0, perRealization: 4000, realizations: 8)
            let ln = outcomes.flatMap { $0.rates.map { Foundation.log($0) } }.sorted()
            let xbar = 0.5 * (ln[ln.count / 4] + ln[3 * ln.count / 4])
            let expected = s / (1 + s * (xbar - x0))
            let t = PlateauTiltStudy.tilt(outcomes: outcomes, seed: 1)
            #expect(abs(t.value - expected) < 0.002, "slope \(s): tilt \(t.value), expected \(expected)")
        }
    }

    @Test func studyNamesTheFlattestChoiceAndJudgesItAgainstFigNinesTolerance() {
        func row(_ label: String, _ tilt: Double) -> PlateauTiltStudy.Row {
            .init(label: label, slug: label, tilt: Measurement(tilt, error: 0.005), lnGammaMin: Measurement(-24),
                  plateauWidth: Measurement(15), median: Measurement(-10), converged: "6/6")
        }
        var study = PlateauTiltStudy([], seed: 1)
        study.rows = [row("default", 0.06), row("box poisson", 0.03), row("T = 0.2", -0.008)]
        #expect(study.flattest?.label == "T = 0.2")
        #expect(study.judgement.verdict == .agree)
        study.rows = [row("default", 0.06), row("box poisson", 0.045)]
        #expect(study.judgement.verdict == .disagree)
    }

    @Test func agingCollapseBreaksNearGammaMinTwOfATenth() {
        // A 1/Gamma law with uniform weights on ln Gamma in [-20, 0]: the shape of
        // O(t; t_w) is ln(1 + t_w/t) for 1 << t_w << e^20, and its deviation grows as
        // 1.1 Gamma_min t_w (E1 expansion), crossing 0.15 near Gamma_min t_w = 0.14.
        let ln = stride(from: -20.0, through: 0, by: 0.01).map { $0 }
        let w = [Double](repeating: 0.01, count: ln.count)
        let tws = (3...11).map { Foundation.pow(10, Double($0)) }
        let c = AgingCollapse(lnRates: ln, weights: w, amplitude: 1, waitingTimes: tws, lnGammaMin: -20, lnGammaMax: 0)
        for p in c.points where p.gammaMaxTw >= 100 {
            if p.gammaMinTw < 1e-3 { #expect(p.deviation < 0.01, "t_w \(p.waitingTime): \(p.deviation)") }
            if p.gammaMinTw > 1e-3 && p.gammaMinTw < 0.5 {
                #expect(abs(p.deviation / (1.1 * p.gammaMinTw) - 1) < 0.3, "t_w \(p.waitingTime): \(p.deviation)")
            }
            if p.gammaMinTw > 0.5 { #expect(p.deviation > 0.3, "t_w \(p.waitingTime)") }
            // The local amplitude is the law's c' = 1 deep in the window.
            if p.gammaMinTw < 1e-3 { #expect(abs(p.localAmplitude - 1) < 0.01) }
        }
        let (held, failed) = c.breakdown
        #expect(held != nil && failed != nil)
        #expect(c.judgement.verdict == .agree, "\(c.judgement.reason)")
        // Cut the law at e^-12 instead: the same waiting times now break a decade and more earlier.
        let early = AgingCollapse(lnRates: ln.filter { $0 >= -12 }, weights: [Double](repeating: 0.01, count: ln.filter { $0 >= -12 }.count),
                                  amplitude: 1, waitingTimes: tws, lnGammaMin: -20, lnGammaMax: 0)
        #expect(early.judgement.verdict == .disagree, "\(early.judgement.reason)")
    }

    @Test func sectionAppearsInBothReportsWithItsFigures() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("glassdyn-beyond-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        var settings = RunSettings()
        settings.quiet = true
        settings.threads = 2
        let figure = try FigureDefinition.select("2", preset: .quick)[0].scaled(sites: { _ in 30 }, realizations: 2)
        var job = Reproduction(preset: .quick, figures: [figure], settings: settings)
        job.alternativesBudget = 0
        job.beyond = BeyondPaperPlan.tiny()
        try job.validate()
        let result = try job.run(in: OutputDirectory(path: root.path, force: false))
        let b = try #require(result.beyond)
        // Every item measured on the runs.
        #expect(b.rateMatrix.count == 2 && b.slowModes.count == 3 && b.localization.count == 2)
        #expect(b.tilt.rows.count == BeyondPaperPlan.tiny().tiltChoices.count)
        #expect(b.tilt.rows.allSatisfy { $0.tilt.value.isFinite })
        for s in b.slowModes { #expect(s.after.belowFloor == 0 && s.after.rateCount >= s.before.rateCount) }
        for l in b.localization { #expect(!l.small.modes.isEmpty && !l.large.modes.isEmpty) }
        // The digest's tilt is Fig. 9's measure on the same run.
        for d in b.rateMatrix.flatMap({ [$0.before, $0.after] }) {
            #expect(d.tilt.value == d.metrics[.plateauTilt].value || (d.tilt.value.isNaN && d.metrics[.plateauTilt].value.isNaN))
        }
        let md = try String(contentsOf: root.appendingPathComponent("REPORT.md"), encoding: .utf8)
        let html = try String(contentsOf: root.appendingPathComponent("REPORT.html"), encoding: .utf8)
        if let dump = ProcessInfo.processInfo.environment["BEYOND_DUMP"] { try? md.write(toFile: dump, atomically: true, encoding: .utf8) }
        #expect(md.contains("## Beyond the paper's approximations"))
        #expect(html.contains("<section id=\"beyond\">"))
        for block in BeyondPaperReport.blocks(b) {
            #expect(md.contains("### \(block.title)"))
            #expect(html.contains("id=\"\(block.id)\"") && html.contains("href=\"#\(block.id)\""))
        }
        #expect(md.contains("box poisson (r_nn/ξ = 10)") && md.contains("Closest to a flat 1/Γ plateau"), "\(md)")
        let fm = FileManager.default
        let beyond = root.appendingPathComponent("beyond")
        try expectSectionFigures(b.figures, names: BeyondPaperFigures.titles.map(\.0), blocks: BeyondPaperReport.blocks(b),
                                 root: root, markdown: md, html: html)
        #expect(fm.fileExists(atPath: beyond.appendingPathComponent("tilt.csv").path))
        let timing = try String(contentsOf: root.appendingPathComponent("timing.json"), encoding: .utf8)
        #expect(timing.contains("beyondSeconds"))
    }

    @Test func noFigureIsRefusedUnlessTheSectionRuns() throws {
        #expect(try FigureDefinition.select("none", preset: .quick).isEmpty)
        var job = Reproduction(preset: .quick, figures: [], settings: RunSettings())
        #expect(throws: ParameterError.self) { try job.validate() }
        job.beyond = BeyondPaperPlan.tiny()
        try job.validate()
    }

    @Test func sectionIsAbsentUnlessAsked() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("glassdyn-beyond-off-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        var settings = RunSettings()
        settings.quiet = true
        let figure = try FigureDefinition.select("2", preset: .quick)[0].scaled(sites: { _ in 30 }, realizations: 2)
        var job = Reproduction(preset: .quick, figures: [figure], settings: settings)
        job.alternativesBudget = 0
        job.render = false
        let result = try job.run(in: OutputDirectory(path: root.path, force: false))
        #expect(result.beyond == nil)
        let md = try String(contentsOf: root.appendingPathComponent("REPORT.md"), encoding: .utf8)
        #expect(!md.contains("Beyond the paper"))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("beyond").path))
        let timing = try String(contentsOf: root.appendingPathComponent("timing.json"), encoding: .utf8)
        #expect(!timing.contains("beyondSeconds"))
        // Processor time per figure and in total: each non-negative, the figures within the total.
        let json = try #require(JSONSerialization.jsonObject(with: Data(timing.utf8)) as? [String: Any])
        let total = try #require(json["processorSeconds"] as? Double)
        let figures = try #require(json["figures"] as? [[String: Any]])
        let perFigure = figures.compactMap { $0["processorSeconds"] as? Double }
        #expect(perFigure.count == figures.count)
        #expect(perFigure.allSatisfy { $0 >= 0 })
        #expect(perFigure.reduce(0, +) <= total + 1e-9)
        #expect(total > 0)
    }
}
