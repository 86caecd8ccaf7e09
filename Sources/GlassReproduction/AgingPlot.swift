import Foundation
import GlassDynamics

/// The gnuplot script of `glassdyn aging`: the response against t / t_w, one curve per t_w,
/// with the closed form of the 1/Gamma law (dashed) and simple aging c' ln(1 + t_w / t).
package enum AgingPlot {
    package static func script(waitingTimes: [Double], model: GlassModel) -> GnuplotScript {
        var series = [GnuplotScript.Series]()
        for tw in waitingTimes {
            let select = "($2 == \(tw) ? $%d : 1/0)"
            let label = String(format: "%g", tw)
            series.append(GnuplotScript.Series(file: "aging.csv", using: "($1/$2):" + String(format: select, 3),
                                               title: "t_w = \(label)", style: "linespoints pt 7 ps 0.5"))
            series.append(GnuplotScript.Series(file: "aging.csv", using: "($1/$2):" + String(format: select, 4),
                                               title: "closed form, t_w = \(label)", style: "lines lw 1 dt 2"))
        }
        // A function of t / t_w alone: drawn once, from the rows of the first t_w.
        let first = waitingTimes.first ?? 1
        series.append(GnuplotScript.Series(file: "aging.csv", using: "($1/$2):($2 == \(first) ? $5 : 1/0)", title: "c' ln(1 + t_w/t)",
                                           style: "lines lw 2 lc rgb 'black' dt 3"))
        var panel = GnuplotScript.Panel(title: "\(model.title): aging response", xLabel: "t / t_w",
                                        yLabel: "O(t; t_w) per site", series: series)
        panel.logX = true
        return GnuplotScript(name: "aging", title: "Aging after a perturbation held for t_w", panels: [panel])
    }
}
