import Foundation
import GlassDynamics

/// `glassdyn sweep`: a user's one-parameter scan. Each point is written to its own folder
/// exactly as the model's command writes it; `sweep.csv` collects one row per point and
/// `sweep.gp` draws ln Gamma_min and the gap depth against the scanned value.
package struct Sweep: Sendable {
    package var plan: SweepPlan
    package var settings: RunSettings
    package var render = true
    /// Reuse the checkpoint ledgers of an earlier, interrupted sweep in the same folder.
    package var resume = false
    package var interrupt: InterruptFlag? = nil
    /// OpenBLAS threads inside one electron-glass realization (1: the default, bit-identical
    /// for any thread count).
    package var blasThreads = 1

    package init(plan: SweepPlan, settings: RunSettings) {
        self.plan = plan
        self.settings = settings
    }

    /// The columns of sweep.csv.
    package var columns: [String] {
        var c = ["value", "w", "j", "t", "n"]
        if plan.base.model == .eg { c.append("xi") }
        return c + ["lnGammaMin", "lnGammaMinError", "medianLnGamma", "medianLnGammaError", "dosAtZero",
                    "gapDepth", "gapDepthError", "realizationsConverged", "realizations", "wallTimeSeconds"]
    }

    /// Every point is checked before any work.
    package func validate() throws {
        try settings.validate()
        if blasThreads < 1 { throw ParameterError.below(.blasThreads, minimum: 1, blasThreads) }
        for p in try plan.points() { try p.validate(settings: settings) }
    }

    /// Runs the points in order (validate first); returns the sweep.csv table.
    @discardableResult
    package func run(in out: OutputDirectory) throws -> CSVTable {
        let points = try plan.points()
        let log = ProgressReporter(label: "sweep", total: points.count, quiet: settings.quiet)
        var table = CSVTable(columns: columns)
        for (x, p) in zip(plan.values, points) {
            let name = plan.folderName(x)
            log.note("sweep: \(name) (\(p.model.rawValue), N = \(p.sites), \(settings.realizations) realizations)")
            let folder = try OutputDirectory(path: out.file(name).path, force: true)
            let result = try p.run(settings: settings, checkpoint: folder.url, resume: resume, interrupt: interrupt,
                                   blasThreads: blasThreads)
            try folder.write(result.files)
            let m = CurveMetrics.measure(result, point: p, seed: settings.seed)
            let a = result.analysis
            var row = [x]
            for v in [SweepVariable.w, .j, .t, .n] { row.append((try? p.value(of: v)) ?? .nan) }
            if plan.base.model == .eg { row.append((try? p.value(of: .xi)) ?? .nan) }
            row += [m[.lnGammaMin].value, m[.lnGammaMin].error, m[.medianLnGamma].value, m[.medianLnGamma].error,
                    a.dos.density[a.dos.binCount / 2], m[.gapDepth].value, m[.gapDepth].error,
                    Double(m.converged), Double(m.requested), result.wallTime]
            table.append(row)
        }
        try out.write(table, as: "sweep.csv")
        let script = plotScript()
        try script.write(to: out.url)
        if render, let gnuplot = GnuplotScript.executable {
            // The data are written; a drawing failure is reported, not fatal.
            do { try script.render(in: out.url, gnuplot: gnuplot) } catch { log.note("sweep: \(error)") }
        }
        return table
    }

    /// sweep.gp: (a) ln Gamma_min and median ln Gamma with error bars, (b) DOS(0)/DOS(max).
    package func plotScript() -> GnuplotScript {
        let v = plan.variable.symbol
        let positive = plan.values.allSatisfy { $0 > 0 }
        let logX = positive && (plan.values.max()! / plan.values.min()! >= 10)
        var a = GnuplotScript.Panel(title: "(a) rate cutoff", xLabel: v, yLabel: "ln Γ", series: [
            .init(file: "sweep.csv", using: "1:6:7", title: "ln Γ_min", style: "yerrorlines pt 7"),
            .init(file: "sweep.csv", using: "1:8:9", title: "median ln Γ", style: "yerrorlines pt 5"),
        ])
        var b = GnuplotScript.Panel(title: "(b) gap depth", xLabel: v, yLabel: "DOS(0)/DOS(max)", series: [
            .init(file: "sweep.csv", using: "1:11:12", title: "", style: "yerrorlines pt 7"),
        ])
        // Columns shift by one when xi is present.
        if plan.base.model == .eg {
            a.series[0].using = "1:7:8"
            a.series[1].using = "1:9:10"
            b.series[0].using = "1:12:13"
        }
        a.logX = logX
        b.logX = logX
        b.yRange = "[0:1.05]"
        return GnuplotScript(name: "sweep", title: "sweep over \(v) (\(plan.base.model.title))", panels: [a, b])
    }
}
