import Foundation
import GlassDynamics
import GlassReproduction
import Testing

/// REPORT.html from synthetic outcomes: one section per figure, each existing SVG inlined,
/// a note where there is none, nothing fetched from elsewhere, every anchor resolving.
@Suite struct ReportHTMLTests {
    static func curve(_ label: String, _ x: Double, _ lnMin: Double, tls: Bool) -> CurveOutcome {
        let point: ModelPoint
        if tls {
            var p = TLSParameters()
            p.disorder = x
            point = ModelPoint(p)
        } else {
            var p = EGParameters()
            p.disorder = x
            point = ModelPoint(p)
        }
        let def = CurveDefinition(label: label, slug: "w\(x)", x: x, point: point, realizations: 10)
        return CurveOutcome(definition: def, metrics: CurveMetrics(
            values: [.lnGammaMin: Measurement(lnMin, error: 0.1), .medianLnGamma: Measurement(lnMin + 10, error: 0.1)],
            converged: 9, requested: 10), wallTime: 1.5)
    }

    /// What gnuplot's svg terminal writes, in miniature: an XML prolog, a doctype naming a
    /// remote DTD, namespaces, point symbols in <defs> used by reference.
    static let gnuplotSVG = """
    <?xml version="1.0" encoding="utf-8"  standalone="no"?>
    <!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
    <svg
     width="600" height="400"
     viewBox="0 0 600 400"
     xmlns="http://www.w3.org/2000/svg"
     xmlns:xlink="http://www.w3.org/1999/xlink"
    >
    <title>Gnuplot</title>
    <g id="gnuplot_canvas">
    <defs>
    \t<circle id='gpPt5' r='1'/>
    \t<use xlink:href='#gpPt5' id='gpPt6' fill='currentColor'/>
    \t<clipPath id="gpClip"><rect x="0" y="0" width="600" height="400"/></clipPath>
    </defs>
    <g clip-path="url(#gpClip)"><use xlink:href='#gpPt6' x='10' y='20'/><text>a &lt; b</text></g>
    </g>
    </svg>

    """

    /// Fig. 6 with its SVG on disk, Fig. 11 without (gnuplot absent), and a Table I whose TLS W
    /// sign disagrees, with one rerun that flips it and one skipped.
    static func report() throws -> (ReproductionResult, URL) {
        let all = try FigureDefinition.all(.quick)
        let fig6 = all.first { $0.id == "06" }!, fig11 = all.first { $0.id == "11" }!
        let six = FigureOutcome(definition: fig6, curves: [curve("W = 1 <b>&", 1, -28, tls: true), curve("W = 100", 100, -31, tls: true)],
                                wallTime: 3, images: ["fig06.png", "fig06.svg"])
        let eleven = FigureOutcome(definition: fig11, curves: [curve("W = 1", 1, -31, tls: false), curve("W = 10", 10, -28, tls: false)],
                                   wallTime: 2, images: [], renderNote: "gnuplot is not installed")
        let table = TableOneRow.all.map { row in TableOneEntry(row: row, figure: [six, eleven].first { $0.definition.id == row.figureID }) }
        let tlsW = TableOneRow.all.first { $0.model == .tls && $0.quantity.contains("W") }!
        let trend = SchemeTrend(parameter: "W", x: [1, 100], y: [Measurement(-31, error: 0.1), Measurement(-28, error: 0.1)])
        let alternatives = [AlternativeRun(row: tlsW, choice: "convention scripts", lnGammaMin: trend, median: trend, wallTime: 1),
                            AlternativeRun(row: tlsW, choice: "box poisson", skipped: "its runs took 300 s, above the 120 s budget")]
        let result = ReproductionResult(preset: .quick, settings: RunSettings(), figures: [six, eleven], table: table,
                                        alternatives: alternatives, alternativesTime: 1, wallTime: 6)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("glassdyn-html-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("fig06"), withIntermediateDirectories: true)
        try gnuplotSVG.write(to: folder.appendingPathComponent("fig06/fig06.svg"), atomically: true, encoding: .utf8)
        return (result, folder)
    }

    static func matches(_ pattern: String, in text: String, group: Int = 0) throws -> [String] {
        let re = try NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
        return re.matches(in: text, range: NSRange(text.startIndex..., in: text)).map {
            String(text[Range($0.range(at: group), in: text)!])
        }
    }

    @Test func pageIsSelfContainedAndComplete() throws {
        let (result, folder) = try Self.report()
        defer { try? FileManager.default.removeItem(at: folder) }
        let html = ReportHTML.page(result, folder: folder)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.hasSuffix("</html>\n"))

        // Every figure has its section and heading, and a table of contents entry.
        for f in result.figures {
            let id = ReportHTML.anchor(f)
            #expect(html.contains("<section id=\"\(id)\""), "no section for \(f.definition.displayName)")
            #expect(html.contains("<h2>\(f.definition.displayName): \(f.definition.title)</h2>"))
            #expect(html.contains("<li><a href=\"#\(id)\">"))
        }
        // The SVG that exists is inlined (once, ids prefixed, prolog and remote doctype dropped);
        // the figure without one says why.
        #expect(try Self.matches("<svg\\b", in: html).count == 1)
        #expect(html.contains("<svg class=\"plot\" data-figure=\"fig06\""))
        #expect(html.contains("<use xlink:href='#fig06-gpPt6'") && html.contains("id='fig06-gpPt6'"))
        #expect(html.contains("url(#fig06-gpClip)") && html.contains("id=\"fig06-gpClip\""))
        #expect(!html.contains("<?xml") && !html.contains("svg11.dtd"))
        #expect(html.contains("No image: gnuplot is not installed."))

        // Nothing is loaded from elsewhere: no remote src/href, no stylesheet or script links.
        #expect(try Self.matches(#"\b(src|href)\s*=\s*["']?\s*(https?:|//|file:)"#, in: html).isEmpty)
        #expect(try Self.matches(#"<(link|script|iframe|img|object|embed)\b|@import|url\(\s*["']?(https?:|//)"#, in: html).isEmpty)

        // Every in-page link names an id that exists, and ids are unique.
        let ids = try Self.matches(#"\sid\s*=\s*["']([^"']+)["']"#, in: html, group: 1)
        #expect(Set(ids).count == ids.count, "duplicate ids: \(Dictionary(grouping: ids, by: { $0 }).filter { $1.count > 1 }.keys)")
        let targets = try Self.matches(#"href\s*=\s*["']#([^"']*)["']"#, in: html, group: 1)
        #expect(!targets.isEmpty)
        for t in Set(targets) { #expect(ids.contains(t), "href=#\(t) has no target") }
        for needed in ["contents", "summary", "rules", "table-1", "disputed", "fig06", "fig11"] {
            #expect(targets.contains(needed), "nothing links to #\(needed)")
        }

        // The containers are balanced.
        for tag in ["section", "table", "tr", "ul", "li", "figure", "svg", "nav", "p", "code", "strong"] {
            let open = try Self.matches("<\(tag)[\\s>]", in: html).count, close = html.components(separatedBy: "</\(tag)>").count - 1
            #expect(open == close, "<\(tag)> opened \(open) times, closed \(close)")
        }

        // Text is escaped; the verdicts, tables and reruns of REPORT.md are there.
        #expect(html.contains("W = 1 &lt;b&gt;&amp;") && !html.contains("<b>&"))
        for f in result.figures { #expect(html.contains("<td>\(ReportHTML.esc(f.definition.paperClaim))</td>")) }
        for m in result.figures[0].reportedMetrics { #expect(html.contains("<th>\(ReportHTML.esc(m.title))</th>")) }
        #expect(html.contains("<span class=\"v disagree\">disagree</span>"))
        #expect(html.contains("<span class=\"v notrun\">not run</span>"))
        #expect(html.contains("with <code>convention scripts</code> the sign becomes + as in the paper"))
        #expect(html.contains("skipped: its runs took 300 s, above the 120 s budget"))
        #expect(html.contains("9/10"))
        #expect(html.contains("1 of 10 realizations did not converge"))
    }

    /// A listed SVG that is missing or is not SVG gives a note, not a broken page.
    @Test func missingOrBrokenSVGIsNoted() throws {
        let (result, folder) = try Self.report()
        defer { try? FileManager.default.removeItem(at: folder) }
        let none = ReportHTML.page(result) { _ in nil }
        #expect(!none.contains("<svg"))
        #expect(none.contains("No image: gnuplot is not installed."))
        #expect(none.contains("No image: fig06.svg could not be read."))
        let broken = ReportHTML.page(result) { _ in "not an image" }
        #expect(broken.contains("No image: fig06.svg is not an SVG image."))
        #expect(ReportHTML.esc("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;")
    }
}
