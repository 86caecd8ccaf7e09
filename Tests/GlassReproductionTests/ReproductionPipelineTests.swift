import Foundation
import GlassDynamics
import GlassDynamicsTestSupport
import GlassReproduction
import Testing

/// Every figure of `glassdyn reproduce` end to end at a tiny size: its runs, CSV files,
/// gnuplot script, meta.json, and (when gnuplot is installed) PNG and SVG.
@Suite struct ReproductionPipelineTests {
    static let ids = ((try? FigureDefinition.all(.quick)) ?? []).map(\.id)

    static func temporaryFolder(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("glassdyn-repro-\(name)-\(UUID().uuidString)")
    }

    /// Tiny copies of a figure: N / 50 (at least 10), 3 realizations.
    static func tiny(_ id: String) throws -> FigureDefinition {
        try FigureDefinition.select(id, preset: .quick)[0].scaled(sites: { Swift.max(10, $0 / 50) }, realizations: 3)
    }

    @Test(arguments: ids) func figureWritesItsFiles(id: String) throws {
        let figure = try Self.tiny(id)
        let root = Self.temporaryFolder(id)
        defer { try? FileManager.default.removeItem(at: root) }
        var settings = RunSettings()
        settings.quiet = true
        settings.threads = 2
        var job = Reproduction(preset: .quick, figures: [figure], settings: settings)
        job.alternativesBudget = 0
        try job.validate()
        let result = try job.run(in: OutputDirectory(path: root.path, force: false))
        let fm = FileManager.default
        let folder = root.appendingPathComponent(figure.name)
        for name in ["\(figure.name).gp", "meta.json"] {
            #expect(fm.fileExists(atPath: folder.appendingPathComponent(name).path), "\(name) missing")
        }
        // Each curve: the files of the model's own command, with a header row and data rows.
        for c in figure.curves {
            var files = ["summary.json", "dos.csv"]
            let eg = c.point.parameters as? EGParameters
            if eg?.computeSpectrum != false { files += ["rates.csv", "rates_linear.csv", "relaxation.csv"] }
            if eg?.rateModel == .bare { files.append("nn.csv") }
            for f in files {
                let path = folder.appendingPathComponent(c.slug).appendingPathComponent(f).path
                #expect(fm.fileExists(atPath: path), "\(c.slug)/\(f) missing")
            }
            let dos = try String(contentsOfFile: folder.appendingPathComponent("\(c.slug)/dos.csv").path, encoding: .utf8)
            #expect(dos.hasPrefix("E,density\n") && dos.split(separator: "\n").count > 10)
        }
        // The script reads only files that exist.
        let script = try String(contentsOfFile: folder.appendingPathComponent("\(figure.name).gp").path, encoding: .utf8)
        for line in script.split(separator: "\n") {
            for part in line.split(separator: "\"") where part.hasSuffix(".csv") {
                #expect(fm.fileExists(atPath: folder.appendingPathComponent(String(part)).path), "\(part) is plotted but missing")
            }
        }
        // meta.json: parameters, realizations, convergence, verdicts, wall time.
        let meta = try readJSONObject(folder.appendingPathComponent("meta.json").path)
        #expect(meta["figure"] as? String == figure.id)
        #expect((meta["wallTimeSeconds"] as? Double ?? -1) >= 0)
        let curves = try #require(meta["curves"] as? [[String: Any]])
        #expect(curves.count == figure.curves.count)
        for c in curves {
            #expect(c["realizationsRequested"] as? Int == 3)
            #expect((c["parameters"] as? [String: Any])?["n"] is Int)
        }
        #expect(["agree", "disagree", "inconclusive"].contains(meta["verdict"] as? String ?? ""))
        // Rendering, when gnuplot is present.
        if GnuplotScript.executable != nil {
            let png = try Data(contentsOf: folder.appendingPathComponent("\(figure.name).png"))
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "not a PNG")
            let svg = try String(contentsOfFile: folder.appendingPathComponent("\(figure.name).svg").path, encoding: .utf8)
            #expect(svg.contains("<svg"))
            #expect(result.figures[0].images == ["\(figure.name).png", "\(figure.name).svg"])
        }
        let report = try String(contentsOfFile: root.appendingPathComponent("REPORT.md").path, encoding: .utf8)
        #expect(report.contains("## \(figure.displayName): \(figure.title)"))
        let page = try String(contentsOfFile: root.appendingPathComponent("REPORT.html").path, encoding: .utf8)
        #expect(page.contains("<section id=\"\(figure.name)\""))
        #expect(page.contains("<svg class=\"plot\" data-figure=\"\(figure.name)\"") == (GnuplotScript.executable != nil))
        #expect(fm.fileExists(atPath: root.appendingPathComponent("table1.csv").path))
    }

    /// Figures sharing runs (4 and 6) run them once; the second reports the reuse.
    @Test func sharedRunsAreComputedOnce() throws {
        let root = Self.temporaryFolder("shared")
        defer { try? FileManager.default.removeItem(at: root) }
        var settings = RunSettings()
        settings.quiet = true
        var job = Reproduction(preset: .quick, figures: [try Self.tiny("4"), try Self.tiny("6")], settings: settings)
        job.render = false
        let result = try job.run(in: OutputDirectory(path: root.path, force: false))
        #expect(result.figures[0].curves.allSatisfy { $0.reusedFrom == nil })
        #expect(result.figures[1].curves.allSatisfy { $0.reusedFrom == "fig04" })
        #expect(result.figures[1].images.isEmpty && result.figures[1].renderNote != nil)
    }

    /// The script draws the paper's axes and renders in a folder of CSV files.
    @Test func gnuplotScriptRendersFromCSV() throws {
        let folder = Self.temporaryFolder("gp")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var t = CSVTable(columns: ["lnGamma", "density"])
        for k in 0..<50 { t.append([Double(k) - 30, k > 5 && k < 45 ? 0.025 : 0.001]) }
        try AtomicFile.write(t.text, to: folder.appendingPathComponent("rates.csv"))
        var panel = GnuplotScript.Panel(title: "(a)", xLabel: "ln Γ", yLabel: "P(ln Γ)",
                                        series: [.init(file: "rates.csv", using: "1:2", title: "data \"quoted\"")])
        panel.markVertical(at: -24, color: 1)
        let script = GnuplotScript(name: "demo", title: "demo", panels: [panel])
        #expect(script.text.contains("set datafile separator comma"))
        #expect(script.text.contains("\"rates.csv\" skip 1 using 1:2 title \"data \\\"quoted\\\"\""))
        try script.write(to: folder)
        if let gnuplot = GnuplotScript.executable {
            try script.render(in: folder, gnuplot: gnuplot)
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("demo.png").path))
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("demo.svg").path))
            // A broken script is reported with gnuplot's own message.
            var bad = script
            bad.panels[0].series[0].file = "missing.csv"
            try bad.write(to: folder)
            #expect(throws: GlassDynamicsError.self) { try bad.render(in: folder, gnuplot: gnuplot) }
        }
    }
}
