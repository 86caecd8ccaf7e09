import GlassDynamics

/// The gnuplot scripts of `glassdyn kmc`: one figure per CSV the protocol writes.
package enum KMCPlot {
    package static func scripts(protocol kind: KMCProtocol, model: GlassModel) -> [GnuplotScript] {
        var energy = GnuplotScript.Panel(title: "\(model.title): energy per site", xLabel: "t", yLabel: "E / N", series: [
            .init(file: "relaxation.csv", using: "1:2:3", title: "KMC", style: "yerrorlines pt 7 ps 0.5"),
            .init(file: "relaxation.csv", using: "1:6", title: "mean-field log law (fit)", style: "lines lw 2 dt 2"),
        ])
        energy.logX = true
        var moved = GnuplotScript.Panel(title: "fraction of sites moved", xLabel: "t", yLabel: "moved", series: [
            .init(file: "relaxation.csv", using: "1:4:5", title: "KMC", style: "yerrorlines pt 7 ps 0.5"),
        ])
        moved.logX = true
        var out = [GnuplotScript(name: "relaxation", title: "Kinetic Monte Carlo relaxation (\(kind.rawValue))", panels: [energy, moved])]
        switch kind {
        case .quench: break
        case .response:
            var panel = GnuplotScript.Panel(title: "\(model.title): response after a perturbation held for t_w", xLabel: "t / t_w",
                                            yLabel: "O(t; t_w) per site",
                                            series: [.init(file: "response.csv", using: "3:4:5", title: "KMC (all t_w)", style: "yerrorbars pt 7 ps 0.4")])
            panel.logX = true
            out.append(GnuplotScript(name: "response", title: "Aging response: KMC twins", panels: [panel]))
        case .equilibrium:
            let x = model == .eg ? "E - mu" : "E (signed by the local field)"
            let panel = GnuplotScript.Panel(title: "\(model.title): single-site DOS", xLabel: x, yLabel: "density", series: [
                .init(file: "dos.csv", using: "1:2:3", title: "KMC (exact dynamics)", style: "yerrorlines pt 7 ps 0.4"),
                .init(file: "dos.csv", using: "1:4", title: "mean field", style: "lines lw 2"),
            ])
            out.append(GnuplotScript(name: "dos", title: "Equilibrium DOS: KMC against mean field", panels: [panel]))
        case .aging:
            var panel = GnuplotScript.Panel(title: "\(model.title): C(t_w + t, t_w)", xLabel: "t / t_w", yLabel: "C",
                                            series: [.init(file: "correlation.csv", using: "3:4:5", title: "KMC (all t_w)", style: "yerrorbars pt 7 ps 0.4")])
            panel.logX = true
            out.append(GnuplotScript(name: "correlation", title: "Two-time autocorrelation after the quench", panels: [panel]))
        }
        return out
    }
}
