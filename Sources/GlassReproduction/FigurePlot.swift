import Foundation
import GlassDynamics

/// The gnuplot script of a figure, drawn from the CSV files of its curves with the paper's
/// axes: P(E) against E, P(ln Gamma) against ln Gamma (the paper's ln(-lambda)), the linear
/// window with its A/Gamma fit.
package enum FigurePlot {
    package static func script(for figure: FigureDefinition, curves: [CurveOutcome]) -> GnuplotScript {
        let title = "\(figure.displayName): \(figure.title)"
        switch figure.layout {
        case .dos(let scaled):
            return GnuplotScript(name: figure.name, title: title, panels: [dosPanel(curves, scaled: scaled)])
        case .rates(let relaxation):
            var panels = [logRatePanel(curves, title: "(a) rate distribution, log scale"), linearPanel(curves)]
            if relaxation { panels.append(relaxationPanel(curves)) }
            return GnuplotScript(name: figure.name, title: title, panels: panels)
        case .bareSpectrum:
            return GnuplotScript(name: figure.name, title: title,
                                 panels: [nearestNeighbourPanel(curves, scaled: false),
                                          nearestNeighbourPanel(curves, scaled: true),
                                          logRatePanel(curves, title: "(c) rate distribution, log scale")])
        }
    }

    /// Appendix A: the distribution of x = -ln(Gamma/2) (nn.csv) beside the NN law mapped by
    /// r = xi x; scaled by Eq. A2, x -> x s with s = ((N - 1) / L^2)^(1/2), every N should
    /// follow the one law 2 pi xi^2 y exp(-pi xi^2 y^2).
    static func nearestNeighbourPanel(_ curves: [CurveOutcome], scaled: Bool) -> GnuplotScript.Panel {
        var p = GnuplotScript.Panel(
            title: scaled ? "(b) scaled by Eq. A2: y = x ((N-1)/L^2)^{1/2}" : "(a) x = -ln(Γ/2) against the NN law (Eq. A1, lines)",
            xLabel: scaled ? "y" : "x = -ln(Γ/2)", yLabel: scaled ? "P(y)" : "P(x)", series: [])
        var xi = 0.1
        for (k, c) in curves.enumerated() {
            let (side, d) = c.definition.point.geometry
            let n = Double(c.definition.point.sites)
            let s = scaled ? pow((n - 1) / pow(side, Double(d)), 1 / Double(d)) : 1
            xi = (try? c.definition.point.value(of: .xi)) ?? xi
            let f = "\(c.definition.slug)/nn.csv"
            p.series.append(.init(file: f, using: "($1*\(s)):($2/\(s))", title: c.definition.label,
                                  style: "points lc \(k + 1) pt \(k + 5) ps 0.6"))
            if !scaled {
                p.series.append(.init(file: f, using: "1:3", title: "", style: "lines lc \(k + 1) lw 2"))
            }
        }
        if scaled {
            p.series.append(.function("2*pi*\(xi)**2*x*exp(-pi*\(xi)**2*x**2)", title: "Eq. A2 (scaled)",
                                      style: "lines lc black lw 2 dt 2"))
            p.settings.append("set samples 400")
        }
        p.xRange = "[0:*]"
        p.yRange = "[0:*]"
        return p
    }

    static func dosPanel(_ curves: [CurveOutcome], scaled: Bool) -> GnuplotScript.Panel {
        let series = curves.enumerated().map { k, c -> GnuplotScript.Series in
            let w = (try? c.definition.point.value(of: .w)) ?? 1
            let using = scaled ? "($1/\(w)):($2*\(w))" : "1:2"
            return .init(file: "\(c.definition.slug)/dos.csv", using: using, title: c.definition.label,
                         style: "linespoints lc \(k + 1) pt \(k + 5) ps 0.5")
        }
        var p = GnuplotScript.Panel(title: "density of states", xLabel: scaled ? "E / W" : "E",
                                    yLabel: scaled ? "W P(E)" : "P(E)", series: series)
        // The gap lives within a few W (scaled) or a few sqrt(W^2 + J^2) of zero.
        let half = scaled ? 3.0 : curves.map { c -> Double in
            let w = (try? c.definition.point.value(of: .w)) ?? 1, j = (try? c.definition.point.value(of: .j)) ?? 1
            return 2.5 * (w * w + j * j).squareRoot() + 2 * c.definition.point.temperature
        }.max() ?? 3
        p.xRange = "[\(-half):\(half)]"
        p.yRange = "[0:*]"
        return p
    }

    static func logRatePanel(_ curves: [CurveOutcome], title: String) -> GnuplotScript.Panel {
        var p = GnuplotScript.Panel(title: title + " (dotted: ln Γ_{min})", xLabel: "ln Γ  (the paper's ln(-λ))",
                                    yLabel: "P(ln Γ)", series: [])
        for (k, c) in curves.enumerated() {
            p.series.append(.init(file: "\(c.definition.slug)/rates.csv", using: "1:2", title: c.definition.label,
                                  style: "linespoints lc \(k + 1) pt \(k + 5) ps 0.5"))
            p.markVertical(at: c.metrics[.lnGammaMin].value, color: k + 1)
        }
        p.settings.append("set key top left")
        p.yRange = "[0:*]"
        return p
    }

    static func linearPanel(_ curves: [CurveOutcome]) -> GnuplotScript.Panel {
        let single = curves.count == 1
        var p = GnuplotScript.Panel(title: single ? "(b) linear scale, Γ_{min} to 20 Γ_{min}, with the A/Γ fit"
                                        : "(b) Γ_{min} to 20 Γ_{min} with A/Γ fits (log-log: 1/Γ has slope -1)",
                                    xLabel: "Γ", yLabel: "P(Γ)", series: [])
        // One curve: linear axes as in the paper, Γ in units of a power of ten.
        var unit = 1.0
        if single, let g = curves.first?.metrics[.lnGammaMin].value, g.isFinite {
            let k = floor(log10(20 * exp(g)))
            unit = pow(10, k)
            p.xLabel = "Γ / 10^{\(Int(k))}"
        }
        for (k, c) in curves.enumerated() {
            let f = "\(c.definition.slug)/rates_linear.csv"
            let x = single ? "($1/\(unit))" : "1"
            p.series.append(.init(file: f, using: "\(x):($2 > 0 ? $2 : 1/0)", title: c.definition.label,
                                  style: "points lc \(k + 1) pt \(k + 5) ps 0.6"))
            p.series.append(.init(file: f, using: "\(x):3", title: single ? "A/Γ fit" : "", style: "lines lc \(k + 1) lw 2"))
        }
        p.logX = !single
        p.logY = !single
        return p
    }

    static func relaxationPanel(_ curves: [CurveOutcome]) -> GnuplotScript.Panel {
        var p = GnuplotScript.Panel(title: "(c) relaxation |δσ|(t), Eq. 15-17", xLabel: "t", yLabel: "|δσ|(t) / c",
                                    series: [])
        for (k, c) in curves.enumerated() {
            let f = "\(c.definition.slug)/relaxation.csv"
            p.series.append(.init(file: f, using: "1:2", title: "Σ exp(-Γ_i t) / N", style: "points lc \(k + 1) pt 7 ps 0.4"))
            p.series.append(.init(file: f, using: "1:3", title: "c'[E_1(Γ_{min} t) - E_1(Γ_{max} t)]", style: "lines lc \(k + 2) lw 2"))
        }
        p.logX = true
        p.settings.append("set key bottom left")
        return p
    }
}
