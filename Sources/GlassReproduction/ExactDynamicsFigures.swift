import Foundation
import GlassDynamics

/// The gnuplot scripts of the section "Mean field against exact dynamics", drawn from the CSV
/// files of its KMC runs (DIR/exact-dynamics/<run>/dos.csv, relaxation.csv, correlation.csv)
/// and response-prediction.csv.
package enum ExactDynamicsFigures {
    /// Figure names and titles, in report order.
    package static let titles: [(name: String, title: String)] = [
        ("exactDOS", "(1) Equilibrium DOS: KMC against mean field"),
        ("exactQuench", "(2) Energy after a quench against the mean-field log law"),
        ("exactResponse", "(3) Linear response: KMC twins against exp(A t)"),
        ("exactEGResponse", "(3b) Linear response of the electron glass: KMC twins against exp(A t)"),
        ("exactAging", "(4) Aging: C(t_w + t, t_w) against t/t_w"),
    ]

    package static func title(_ name: String) -> String { titles.first { $0.name == name }?.title ?? name }

    static func select(_ column: Int, _ value: Double, _ y: String) -> String {
        "(abs($\(column) - \(value)) < 1e-9 * \(value) ? \(y) : 1/0)"
    }

    package static func scripts(_ o: ExactDynamicsOutcome) -> [GnuplotScript] {
        var out = [GnuplotScript]()
        let dos = [("eg-equilibrium", "electron glass", "E − μ"), ("tls-equilibrium", "TLS glass", "E (signed by the local field)")].map {
            slug, name, x -> GnuplotScript.Panel in
            var p = GnuplotScript.Panel(title: name, xLabel: x, yLabel: "density", series: [
                .init(file: "\(slug)/dos.csv", using: "1:2:3", title: "KMC (exact dynamics)", style: "yerrorlines pt 7 ps 0.4"),
                .init(file: "\(slug)/dos.csv", using: "1:4", title: "mean field", style: "lines lw 2"),
            ])
            p.settings.append("set key top left")
            return p
        }
        out.append(GnuplotScript(name: "exactDOS", title: title("exactDOS"), panels: dos))

        var q = GnuplotScript.Panel(title: "electron glass, N = \(o.plan.egSites)", xLabel: "t", yLabel: "E / N", series: [
            .init(file: "eg-quench/relaxation.csv", using: "1:2:3", title: "KMC", style: "yerrorlines pt 7 ps 0.4"),
            .init(file: "eg-quench/relaxation.csv", using: "1:6", title: "mean-field log law, E1 form (fit)", style: "lines lw 2 dt 2"),
        ])
        q.logX = true
        if let l = o.logLaw {
            q.markVertical(at: 1 / l.gammaMax, color: 3)
            q.markVertical(at: 1 / l.gammaMin, color: 3)
            if let w = l.window, l.slope.value.isFinite {
                q.series.append(.function(String(format: "(x >= %.6g && x <= %.6g) ? %.10g + %.10g * log(x) : 1/0",
                                                 w.lowerBound, w.upperBound, l.intercept, l.slope.value),
                                          title: "E = a + s ln t over the window", style: "lines lw 2 lc 3"))
            }
        }
        out.append(GnuplotScript(name: "exactQuench", title: title("exactQuench"), panels: [q]))

        var r = responsePanel(title: "TLS glass, N = \(o.plan.tlsSites), h = \(Judgement.fmt(o.plan.responseStrength))",
                              file: "response-prediction.csv", waitingTimes: o.plan.responseWaitingTimes)
        // Log y: the three waiting times a decade apart; points at or below zero (noise at late t) are not drawn.
        r.logY = true
        r.yRange = "[1e-6:1e-3]"
        out.append(GnuplotScript(name: "exactResponse", title: title("exactResponse"), panels: [r]))
        if o.egResponse != nil {
            // Linear y: the electron glass's twins are noisy around zero at late t, and that noise is the result.
            let e = responsePanel(title: "electron glass, N = \(o.plan.egSites), h = \(Judgement.fmt(o.plan.responseStrength))",
                                  file: "eg-response-prediction.csv", waitingTimes: o.plan.egResponseWaitingTimes,
                                  key: "top left")
            out.append(GnuplotScript(name: "exactEGResponse", title: title("exactEGResponse"), panels: [e]))
        }

        var a = GnuplotScript.Panel(title: "electron glass, N = \(o.plan.egSites), after a quench", xLabel: "t / t_w",
                                    yLabel: "C(t_w + t, t_w)", series: [])
        for (k, tw) in o.plan.agingWaitingTimes.enumerated() {
            a.series.append(.init(file: "eg-aging/correlation.csv", using: "3:\(select(1, tw, "$4")):5",
                                  title: "t_w = \(Judgement.fmt(tw))", style: "yerrorlines lc \(k + 1) pt 7 ps 0.4"))
        }
        a.logX = true
        a.settings.append("set key bottom left")
        out.append(GnuplotScript(name: "exactAging", title: title("exactAging"), panels: [a]))
        return out
    }

    /// O(t; t_w) per site of a response-prediction CSV: KMC with errors, full and paper's
    /// matrix, one colour per waiting time, log t.
    static func responsePanel(title: String, file: String, waitingTimes: [Double], key: String = "bottom left") -> GnuplotScript.Panel {
        var r = GnuplotScript.Panel(title: title, xLabel: "t after removal", yLabel: "O(t; t_w) per site", series: [])
        for (k, tw) in waitingTimes.enumerated() {
            let tag = "t_w = \(Judgement.fmt(tw))"
            r.series.append(.init(file: file, using: "2:\(select(1, tw, "$4")):5", title: "KMC, \(tag)",
                                  style: "yerrorbars lc \(k + 1) pt 7 ps 0.5"))
            r.series.append(.init(file: file, using: "2:\(select(1, tw, "$7"))", title: "full matrix",
                                  style: "lines lc \(k + 1) lw 2"))
            r.series.append(.init(file: file, using: "2:\(select(1, tw, "$6"))", title: "paper's matrix",
                                  style: "lines lc \(k + 1) lw 1 dt 2"))
        }
        r.logX = true
        r.settings.append("set key \(key) font \",8\"")
        return r
    }
}
