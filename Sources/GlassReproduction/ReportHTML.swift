import Foundation
import GlassDynamics

/// REPORT.html: REPORT.md as one self-contained page. The same verdicts and tables, built from
/// the same ``ReproductionResult``, with each figure's SVG (figNN/figNN.svg, drawn by gnuplot)
/// inlined rather than linked, a table of contents with anchors, and no external CSS, scripts,
/// fonts or images: it opens in any browser without a server or a network.
package enum ReportHTML {
    /// The page for a reproduction written to `folder` (the SVG files are read from
    /// `folder/figNN/figNN.svg`).
    package static func page(_ r: ReproductionResult, folder: URL) -> String {
        page(r, svg: { f in
            let name = f.definition.name + ".svg"
            guard f.images.contains(name) else { return nil }
            return try? String(contentsOf: folder.appendingPathComponent(f.definition.name).appendingPathComponent(name),
                               encoding: .utf8)
        }, beyondSVG: { BeyondPaperReport.svg($0, folder: folder) })
    }

    /// The page, with `svg` giving a figure's SVG text (nil when there is none).
    package static func page(_ r: ReproductionResult, svg: (FigureOutcome) -> String?,
                             beyondSVG: (BeyondPaperOutcome.Figure) -> String? = { _ in nil }) -> String {
        var s = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Reproduction report</title>
        <style>
        \(style)
        </style>
        </head>
        <body>
        <h1 id="top">Reproduction report</h1>

        """
        s += "<p>Preset <code>\(esc(r.preset.rawValue))</code>, seed \(r.settings.seed), \(r.settings.threads) threads, "
        s += "glassdyn \(esc(GlassDynamicsVersion.string)): \(r.figures.count) figures in \(seconds(r.wallTime)) "
        s += "(Table I reruns: \(seconds(r.alternativesTime))).</p>\n"
        s += contents(r)
        s += "<section id=\"rules\">\n<h2>How to read the verdicts</h2>\n<p>"
        var rules = ReproductionReport.rules.trimmingCharacters(in: .whitespacesAndNewlines)
            .replacingOccurrences(of: "\n", with: " ")
        if rules.hasPrefix("How to read the verdicts. ") { rules.removeFirst("How to read the verdicts. ".count) }
        s += inline(rules) + "</p>\n</section>\n"
        s += summary(r)
        for f in r.figures { s += section(f, svg: svg(f)) }
        s += tableOne(r)
        if let b = r.beyond { s += BeyondPaperReport.html(b, svg: beyondSVG) }
        if let e = r.exactDynamics { s += ExactDynamicsReport.html(e, svg: beyondSVG) }
        s += "</body>\n</html>\n"
        return s
    }

    /// The id of a figure's section: its folder name (fig02, figS1).
    package static func anchor(_ f: FigureOutcome) -> String { f.definition.name.filter { $0.isLetter || $0.isNumber } }

    static let tableOneAnchor = "table-1"

    static func contents(_ r: ReproductionResult) -> String {
        var s = "<nav id=\"contents\">\n<h2>Contents</h2>\n<ol>\n"
        s += "<li><a href=\"#rules\">How to read the verdicts</a></li>\n"
        s += "<li><a href=\"#summary\">Summary</a></li>\n"
        for f in r.figures {
            s += "<li><a href=\"#\(anchor(f))\">\(esc(f.definition.displayName)): \(esc(f.definition.title))</a> "
            s += verdict(f.verdict.verdict.rawValue) + "</li>\n"
        }
        s += "<li><a href=\"#\(tableOneAnchor)\">Table I: the direction of the relaxation speed</a></li>\n"
        if r.table.contains(where: { $0.ran && $0.judgement.verdict != .agree }) {
            s += "<li><a href=\"#disputed\">Where we do not agree, and why</a></li>\n"
        }
        if let b = r.beyond {
            s += "<li><a href=\"#\(BeyondPaperReport.anchor)\">\(esc(BeyondPaperReport.title))</a>\n<ol>\n"
            for block in BeyondPaperReport.blocks(b) {
                s += "<li><a href=\"#\(block.id)\">\(esc(block.title))</a> " + verdict(block.verdict.rawValue) + "</li>\n"
            }
            s += "</ol></li>\n"
        }
        if let e = r.exactDynamics {
            s += "<li><a href=\"#\(ExactDynamicsReport.anchor)\">\(esc(ExactDynamicsReport.title))</a>\n<ol>\n"
            for block in ExactDynamicsReport.blocks(e) {
                s += "<li><a href=\"#\(block.id)\">\(esc(block.title))</a> " + verdict(block.verdict.rawValue) + "</li>\n"
            }
            s += "</ol></li>\n"
        }
        return s + "</ol>\n</nav>\n"
    }

    static func summary(_ r: ReproductionResult) -> String {
        var s = "<section id=\"summary\">\n<h2>Summary</h2>\n<table>\n"
        s += "<thead><tr><th>figure</th><th>the paper's claim</th><th>verdict</th><th>wall time</th></tr></thead>\n<tbody>\n"
        for f in r.figures {
            s += "<tr><td><a href=\"#\(anchor(f))\">\(esc(f.definition.displayName))</a></td>"
            s += "<td>\(esc(f.definition.paperClaim))</td><td>\(verdict(f.verdict.verdict.rawValue))</td>"
            s += "<td class=\"num\">\(seconds(f.wallTime))</td></tr>\n"
        }
        return s + "</tbody>\n</table>\n</section>\n"
    }

    static func section(_ f: FigureOutcome, svg: String?) -> String {
        let d = f.definition
        var s = "<section id=\"\(anchor(f))\" class=\"figure\">\n"
        s += "<h2>\(esc(d.displayName)): \(esc(d.title))</h2>\n"
        if let svg, let inlined = inlineSVG(svg, prefix: anchor(f), label: "\(d.displayName): \(d.title)") {
            s += "<figure>\n\(inlined)\n<figcaption>\(esc(d.displayName)): \(esc(d.title)) "
            s += "(<code>\(esc(d.name))/\(esc(d.name)).svg</code>)</figcaption>\n</figure>\n"
        } else {
            let why = svg != nil ? "\(d.name).svg is not an SVG image"
                : f.images.contains(d.name + ".svg") ? "\(d.name).svg could not be read" : (f.renderNote ?? "no SVG was drawn")
            s += "<p class=\"noimage\">No image: \(inline(why)).</p>\n"
        }
        s += "<p><strong>The paper:</strong> \(esc(d.paperClaim)). (\(esc(d.paperSetting)).)</p>\n"
        s += "<p><strong>Here:</strong> \(f.curves.count == 1 ? "one run" : "\(f.curves.count) runs"), \(seconds(f.wallTime)); "
        s += "files in <code>\(esc(d.name))/</code> (<code>\(esc(d.name)).gp</code>, one folder per curve with summary.json "
        s += "and the CSV files, <code>meta.json</code>).</p>\n"
        let metrics = f.reportedMetrics
        s += "<table>\n<thead><tr><th>curve</th><th>N</th><th>converged</th>"
        s += metrics.map { "<th>\(esc($0.title))</th>" }.joined() + "<th>run time</th></tr></thead>\n<tbody>\n"
        for c in f.curves {
            s += "<tr><td>\(esc(c.definition.label))</td><td class=\"num\">\(c.definition.point.sites)</td>"
            s += "<td class=\"num\">\(c.metrics.converged)/\(c.metrics.requested)</td>"
            s += metrics.map {
                "<td class=\"num\">\(esc(c.metrics[$0].formatted($0 == .gapDepth || $0 == .dosWidth ? 3 : 2)))</td>"
            }.joined()
            s += "<td class=\"num\">" + (c.reusedFrom.map { "reused from \(esc($0))" } ?? seconds(c.wallTime)) + "</td></tr>\n"
        }
        s += "</tbody>\n</table>\n<ul class=\"claims\">\n"
        for c in f.claims {
            s += "<li><em>\(esc(c.claim.text))</em>: \(verdict(c.judgement.verdict.rawValue)). \(esc(c.judgement.reason)).</li>\n"
        }
        for c in f.curves where c.metrics.converged < c.metrics.requested {
            s += "<li>\(esc(c.definition.label)): \(c.metrics.requested - c.metrics.converged) of \(c.metrics.requested) "
            s += "realizations did not converge and are excluded.</li>\n"
        }
        s += "</ul>\n<p class=\"verdict\"><strong>Verdict: \(verdict(f.verdict.verdict.rawValue)).</strong> "
        s += "<a href=\"#contents\" class=\"up\">contents</a></p>\n</section>\n"
        return s
    }

    static func tableOne(_ r: ReproductionResult) -> String {
        var s = "<section id=\"\(tableOneAnchor)\">\n<h2>Table I: the direction of the relaxation speed</h2>\n"
        s += "<p>Sign of the change of ln Γ<sub>min</sub> (and of the median ln Γ) as the quantity grows: + = faster relaxation. "
        s += "Δ is counted from the scheme's first to its last curve, along the growing quantity (the W/J schemes lower J, "
        s += "so their Δ is negated); its error bar is the sum of the end points' standard errors, and overlapping bars give ?. "
        s += "Also in <code>table1.csv</code>.</p>\n<table>\n<thead><tr><th>model</th><th>more …</th><th>paper</th>"
        s += "<th>ln Γ<sub>min</sub> along the scheme</th><th>Δ ln Γ<sub>min</sub></th><th>sign</th>"
        s += "<th>Δ median ln Γ</th><th>median sign</th><th>verdict</th></tr></thead>\n<tbody>\n"
        for e in r.table {
            let fig = r.figures.first { $0.definition.id == e.row.figureID }
            let model = fig.map { "<a href=\"#\(anchor($0))\">\(esc(e.row.model.title))</a>" } ?? esc(e.row.model.title)
            s += "<tr><td>\(model)</td><td>\(esc(e.row.quantity))</td><td class=\"sign\">\(esc(e.row.paperSymbol))</td>"
            s += "<td>\(esc(e.lnGammaMin?.pointsText ?? "not run"))</td><td class=\"num\">\(esc(e.change.formatted()))</td>"
            s += "<td class=\"sign\">\(esc(e.sign.symbol))</td><td class=\"num\">\(esc(e.medianChange.formatted()))</td>"
            s += "<td class=\"sign\">\(esc(e.medianSign.symbol))</td><td>\(verdict(e.verdictText))</td></tr>\n"
        }
        s += "</tbody>\n</table>\n"
        if !r.alternatives.isEmpty { s += robustness(r) }
        let disputed = r.table.filter { $0.ran && $0.judgement.verdict != .agree }
        if disputed.isEmpty {
            s += r.table.allSatisfy(\.ran) ? "<p>Every sign agrees with the paper's.</p>\n"
                                           : "<p>Every sign measured agrees with the paper's.</p>\n"
            return s + "<p><a href=\"#contents\" class=\"up\">contents</a></p>\n</section>\n"
        }
        s += "<h3 id=\"disputed\">Where we do not agree, and why</h3>\n"
        for e in disputed {
            s += "<p><strong>\(esc(e.row.model.title)), more \(esc(e.row.quantity))</strong> (paper \(esc(e.row.paperSymbol))): "
            s += "\(verdict(e.judgement.verdict.rawValue)). \(esc(e.judgement.reason)).</p>\n"
            s += "<p>Likely cause: " + inline(ReproductionReport.cause(e, r.alternatives.filter { $0.row == e.row })) + "</p>\n"
        }
        return s + "<p><a href=\"#contents\" class=\"up\">contents</a></p>\n</section>\n"
    }

    static func robustness(_ r: ReproductionResult) -> String {
        let choices = r.alternatives.reduce(into: [String]()) { if !$0.contains($1.choice) { $0.append($1.choice) } }
        var s = "<h3 id=\"alternatives\">The signs under the alternative choices</h3>\n"
        s += "<p>Each scheme rerun with one choice changed (same sizes, realizations and seed); cells give the sign of "
        s += "Δ ln Γ<sub>min</sub> (median sign in brackets) and Δ ln Γ<sub>min</sub> along the quantity. "
        s += "Files in <code>table1/</code>.</p>\n<table>\n<thead><tr><th>model</th><th>more …</th><th>paper</th>"
        s += "<th>default (\(inline(ReproductionReport.defaultChoice)))</th>"
        s += choices.map { "<th><code>\(esc($0))</code></th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for e in r.table where r.alternatives.contains(where: { $0.row == e.row }) {
            s += "<tr><td>\(esc(e.row.model.title))</td><td>\(esc(e.row.quantity))</td><td class=\"sign\">\(esc(e.row.paperSymbol))</td>"
            s += "<td>\(esc("\(e.sign.symbol) (\(e.medianSign.symbol)) \(e.change.formatted())"))</td>"
            for c in choices {
                guard let a = r.alternatives.first(where: { $0.row == e.row && $0.choice == c }) else { s += "<td></td>"; continue }
                if let why = a.skipped { s += "<td>skipped: \(esc(why))</td>" } else {
                    s += "<td>\(esc("\(a.sign.symbol) (\(a.medianSign.symbol)) \(a.change.formatted()), \(seconds(a.wallTime))"))</td>"
                }
            }
            s += "</tr>\n"
        }
        return s + "</tbody>\n</table>\n"
    }

    // MARK: - Text

    /// Escapes text for HTML element content and quoted attribute values.
    package static func esc(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// The few Markdown marks REPORT.md's shared sentences use (**bold**, `code`), as HTML;
    /// everything else escaped.
    static func inline(_ markdown: String) -> String {
        var out = "", rest = Substring(markdown)
        while let ch = rest.first {
            if rest.hasPrefix("**"), let end = rest.dropFirst(2).range(of: "**") {
                out += "<strong>" + esc(String(rest[rest.index(rest.startIndex, offsetBy: 2)..<end.lowerBound])) + "</strong>"
                rest = rest[end.upperBound...]
            } else if ch == "`", let end = rest.dropFirst().firstIndex(of: "`") {
                out += "<code>" + esc(String(rest[rest.index(after: rest.startIndex)..<end])) + "</code>"
                rest = rest[rest.index(after: end)...]
            } else {
                out += esc(String(ch))
                rest = rest.dropFirst()
            }
        }
        return out
    }

    static func verdict(_ v: String) -> String {
        let cls = v.filter { $0.isLetter }
        return "<span class=\"v \(cls)\">\(esc(v))</span>"
    }

    static func seconds(_ t: Double) -> String { esc(ReproductionReport.seconds(t)) }

    // MARK: - SVG

    /// A gnuplot SVG ready to sit inside the page: the XML prolog and doctype dropped (the page
    /// is HTML), every id prefixed with the figure's anchor and every internal reference
    /// (`href="#…"`, `url(#…)`) renamed with it, so the figures' `gpPt0` … do not collide,
    /// and the size made responsive (`data-figure` names the figure for the browser check).
    /// Nil when the text holds no `<svg …>…</svg>` element.
    package static func inlineSVG(_ svg: String, prefix: String, label: String) -> String? {
        guard let start = svg.range(of: "<svg"), let end = svg.range(of: "</svg>", options: .backwards),
              start.lowerBound < end.lowerBound else { return nil }
        var body = String(svg[start.lowerBound..<end.upperBound])
        let rules: [(String, String)] = [
            (#"(\sid\s*=\s*)(["'])"#, "$1$2\(prefix)-"),
            (#"(href\s*=\s*)(["'])#"#, "$1$2#\(prefix)-"),
            (#"url\(\s*#"#, "url(#\(prefix)-"),
        ]
        for (pattern, template) in rules {
            guard let re = try? NSRegularExpression(pattern: pattern) else { continue }
            body = re.stringByReplacingMatches(in: body, range: NSRange(body.startIndex..., in: body), withTemplate: template)
        }
        // A class for the stylesheet (at most the page wide, height from the viewBox) and a label for readers.
        body = "<svg class=\"plot\" data-figure=\"\(esc(prefix))\" role=\"img\" aria-label=\"\(esc(label))\""
            + body.dropFirst(4)
        return body
    }

    static let style = """
    body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
           max-width: 1200px; margin: 0 auto; padding: 1em 1.5em 4em; line-height: 1.45; color: #1d1d1f; background: #fff; }
    h1 { font-size: 1.8em; margin-bottom: 0.3em; }
    h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 2em; }
    code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.92em;
           background: #f3f3f5; padding: 0 0.25em; border-radius: 3px; }
    table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.92em; display: block; overflow-x: auto; }
    th, td { border: 1px solid #d0d0d5; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
    th { background: #f3f3f5; }
    td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
    td.sign { text-align: center; }
    figure { margin: 1em 0; }
    svg.plot { display: block; max-width: 100%; height: auto; border: 1px solid #e3e3e8; }
    figcaption { font-size: 0.85em; color: #555; margin-top: 0.3em; }
    .noimage { padding: 1em; background: #fff8e1; border: 1px dashed #d9b44a; }
    .v { font-weight: 600; padding: 0 0.35em; border-radius: 3px; white-space: nowrap; }
    .v.agree { color: #0b6b2b; background: #e3f5e8; }
    .v.disagree { color: #a0141e; background: #fbe4e6; }
    .v.inconclusive { color: #7a5a00; background: #fdf3d6; }
    .v.notrun { color: #555; background: #eee; }
    nav ol { columns: 2; column-gap: 2em; }
    a.up { font-size: 0.85em; font-weight: normal; margin-left: 1em; }
    @media (max-width: 700px) { nav ol { columns: 1; } }
    """
}
