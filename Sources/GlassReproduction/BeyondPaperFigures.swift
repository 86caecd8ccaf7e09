import Foundation
import GlassDynamics

/// The gnuplot scripts of the section "Beyond the paper's approximations", drawn from the
/// CSV files of its runs (DIR/beyond/<slug>/rates.csv, modes.csv; DIR/beyond/aging/aging.csv).
package enum BeyondPaperFigures {
    /// Figure names and titles, in report order.
    package static let titles: [(name: String, title: String)] = [
        ("beyondA", "(a) The paper's rate matrices against the full ones"),
        ("beyondB", "(b) The slow modes below dsyevd's floor, resolved"),
        ("beyondC", "(c) Participation ratio against ln Γ at two sizes"),
        ("aging", "(d) Aging: response against t/t_w"),
        ("beyondE", "(e) Fig. 9's plateau tilt under each choice"),
    ]

    package static func title(_ name: String) -> String { titles.first { $0.name == name }?.title ?? name }

    static func rates(_ slug: String, _ title: String, _ k: Int, points: Bool = false) -> GnuplotScript.Series {
        .init(file: "\(slug)/rates.csv", using: "1:($2 > 0 ? $2 : 1/0)", title: title,
              style: points ? "points lc \(k) pt 7 ps 0.5" : "lines lc \(k) lw 2")
    }

    package static func scripts(_ o: BeyondPaperOutcome) -> [GnuplotScript] {
        var out = [GnuplotScript]()
        // (a)
        let a = o.rateMatrix.map { c -> GnuplotScript.Panel in
            var p = GnuplotScript.Panel(title: "\(c.model.title), N = \(c.before.sites)", xLabel: "ln Γ", yLabel: "P(ln Γ)",
                                        series: [rates(c.before.slug, c.model == .tls ? "diagonal Γ_i (paper)" : "paper's matrix (Eq. 23)", 1, points: true),
                                                 rates(c.after.slug, "full matrix", 2)])
            p.logY = true
            p.settings.append("set key top left")
            return p
        }
        out.append(GnuplotScript(name: "beyondA", title: title("beyondA"), panels: a))
        // (b)
        var b = GnuplotScript.Panel(title: "electron glass, box poisson (r_nn/ξ = 10), N = \(o.plan.egSites): points dsyevd, lines accurate",
                                    xLabel: "ln Γ", yLabel: "P(ln Γ)", series: [])
        for (k, s) in o.slowModes.enumerated() {
            b.series.append(rates(s.before.slug, s.before.label, k + 1, points: true))
            b.series.append(rates(s.after.slug, s.after.label, k + 1))
        }
        b.logY = true
        b.settings.append("set key top left")
        out.append(GnuplotScript(name: "beyondB", title: title("beyondB"), panels: [b]))
        // (c)
        let c = o.localization.map { l -> GnuplotScript.Panel in
            var p = GnuplotScript.Panel(title: "\(l.model.title) (full matrix, modes.csv)", xLabel: "ln Γ",
                                        yLabel: "participation ratio", series: [])
            for (k, d) in [l.small, l.large].enumerated() {
                p.series.append(.init(file: "\(d.slug)/modes.csv", using: "2:3", title: "N = \(d.sites)",
                                      style: "points lc \(k + 1) pt \(k == 0 ? 7 : 6) ps 0.4"))
            }
            p.logY = true
            p.settings.append("set key top left")
            return p
        }
        out.append(GnuplotScript(name: "beyondC", title: title("beyondC"), panels: c))
        // (d)
        out.append(AgingPlot.script(waitingTimes: o.plan.waitingTimes, model: o.aging.model))
        // (e)
        var e = GnuplotScript.Panel(title: "electron glass, N = \(o.plan.egSites): P(ln Γ) of each choice",
                                    xLabel: "ln Γ", yLabel: "P(ln Γ)", series: [])
        for (k, r) in o.tilt.rows.enumerated() {
            e.series.append(.init(file: "\(r.slug)/rates.csv", using: "1:2", title: r.label,
                                  style: "lines lc \(k + 1) lw \(k == 0 ? 3 : 1)"))
        }
        e.yRange = "[0:*]"
        e.settings.append("set key top left font \",8\"")
        var wide = GnuplotScript(name: "beyondE", title: title("beyondE"), panels: [e])
        wide.panelWidth = 900
        out.append(wide)
        return out
    }
}
