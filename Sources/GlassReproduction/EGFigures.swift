import Foundation
import GlassDynamics

/// The electron-glass figures (paper Figs. 8-16, Sec. V and Appendix A). Parameters follow
/// MODEL.md's figure table; defaults W = J = 1, r_nn = 1, xi = 0.1. Every run of Figs. 10-15
/// computes the spectrum, so each DOS figure shares its runs with its rate figure.
package enum EGFigures {
    static func eg(n: Int, w: Double = 1, j: Double = 1, t: Double, spectrum: Bool = true,
                   bare: Bool = false, singlePrecision: Bool = false) -> ModelPoint {
        var p = EGParameters()
        p.sites = n
        p.disorder = w
        p.interaction = j
        p.temperature = t
        p.localizationLength = 0.1
        p.computeSpectrum = spectrum
        p.rateModel = bare ? .bare : .millerAbrahams
        p.coulombPrecision = singlePrecision ? .singleBlocked : .double
        return ModelPoint(p)
    }

    package static func all(_ preset: ReproductionPreset) throws -> [FigureDefinition] {
        let q = preset
        // Realization counts: the cost per realization is in docs/performance.md. Where the
        // paper gives no count, `paper` uses 200 (bootstrap error of ln Gamma_min about 0.1,
        // below 0.2).
        let r1000 = q.pick(quick: 60, paper: 200)
        let disorder = [1.0, 5, 10].map { w in
            CurveDefinition(label: "W = \(Judgement.fmt(w))", slug: "w\(Judgement.fmt(w))", x: w,
                            point: eg(n: 1000, w: w, t: w / 10), realizations: r1000)
        }
        let ratios = [1, 17.0.squareRoot(), 97.0.squareRoot()]
        let interactionPlan = SweepPlan(base: eg(n: 1000, t: 0.1), variable: .wOverJ, values: ratios,
                                        constraint: .sumOfSquares(.w, .j, 2))
        let interaction = try zip(ratios, interactionPlan.points()).map { r, p in
            CurveDefinition(label: r == 1 ? "W/J = 1" : "W/J = √\(Int((r * r).rounded()))",
                            slug: "wj\(String(format: "%.3g", r))", x: r, point: p, realizations: r1000)
        }
        // Fig. 9's run is also the N = 1000 curve of Figs. 14-15 (same point, same count).
        let fig9 = q.pick(quick: 100, paper: 1000)
        let sizeCounts: [(Int, Int)] = q.pick(quick: [(10, 600), (100, 150), (1000, fig9)],
                                              paper: [(10, 5000), (100, 1000), (1000, fig9)])
        func sizes(bare: Bool) -> [CurveDefinition] {
            sizeCounts.map { n, r in
                CurveDefinition(label: "N = \(n)", slug: "n\(n)", x: Double(n), point: eg(n: n, t: 0.1, bare: bare),
                                realizations: r)
            }
        }

        return [
            FigureDefinition(
                id: "08", title: "EG DOS: the Coulomb gap", model: .eg,
                paperClaim: "a Coulomb gap at the chemical potential, linear in |E| in 2D (Efros-Shklovskii), filled only within about T",
                paperSetting: "N = 10000, T = 0.05 (e²/r_nn T = 20), W = J = 1; 300 realizations",
                scheme: nil, layout: .dos(scaleByDisorder: false),
                curves: [CurveDefinition(label: "T = 0.05", slug: "t0.05", x: 0.05,
                                         // The paper preset stores the Coulomb matrix in
                                         // single precision and solves with the blocked
                                         // iteration (faster; DOS difference measured in
                                         // docs/performance.md, "Fig. 8").
                                         point: eg(n: 10000, t: 0.05, spectrum: false,
                                                   singlePrecision: q == .paper),
                                         realizations: q.pick(quick: 4, paper: 300))],
                claims: [Claim("the DOS at mu is below a quarter of its maximum", .gapDepth, .below(0.25)),
                         Claim("the gap is linear: DOS ∝ |E|^p with p = 1 ± 0.3 between 2T and 0.3", .dosExponent, .near(1, tolerance: 0.3))],
                alsoReport: [.esSlope, .dosWidth]),
            FigureDefinition(
                id: "09", title: "EG relaxation rates: eigenvalues of the rate matrix", model: .eg,
                paperClaim: "a 1/Gamma law between cutoffs, over a narrower range than the TLS glass's",
                paperSetting: "N = 1000, T = 0.1 (e²/r_nn T = 10), xi = 0.1, W = J = 1; 1000 realizations",
                scheme: nil, layout: .rates(relaxationPanel: true),
                curves: [CurveDefinition(label: "T = 0.1", slug: "t0.1", x: 0.1, point: eg(n: 1000, t: 0.1),
                                         realizations: fig9)],
                claims: [Claim("a plateau of P(ln Gamma) spans more than 4 e-folds", .plateauWidth, .above(4)),
                         Claim("narrower than the TLS glass's plateau (over 25 e-folds in Fig. 3): under 20 e-folds", .plateauWidth, .below(20)),
                         Claim("the plateau is flat (1/Gamma): P(ln Gamma) changes by less than 2% per e-fold over its central half",
                               .plateauTilt, .near(0, tolerance: 0.02))],
                alsoReport: [.fitReducedChiSquare, .lnGammaMin, .medianLnGamma]),
            FigureDefinition(
                id: "10", title: "EG DOS against disorder", model: .eg,
                paperClaim: "with more disorder the DOS broadens and the gap diminishes",
                paperSetting: "N = 1000, W = 1, 5, 10, W/T = 10, J = 1; realizations not given",
                scheme: .w, layout: .dos(scaleByDisorder: true), curves: disorder,
                claims: [Claim("the DOS broadens with W", .dosWidth, .trend(.up)),
                         Claim("the gap diminishes with W", .gapDepth, .trend(.up))]),
            FigureDefinition(
                id: "11", title: "EG rates against disorder", model: .eg,
                paperClaim: "more disorder shifts the rates up: Table I, EG, disorder +",
                paperSetting: "as Fig. 10, xi = 0.1",
                scheme: .w, layout: .rates(relaxationPanel: false), curves: disorder,
                claims: [Claim("ln Gamma_min rises with W", .lnGammaMin, .trend(.up))],
                alsoReport: [.medianLnGamma, .plateauWidth]),
            FigureDefinition(
                id: "12", title: "EG DOS against W/J (W² + J² = 2)", model: .eg,
                paperClaim: "more interaction (smaller W/J) broadens the DOS and deepens the gap",
                paperSetting: "N = 1000, W/J = 1, √17, √97 with W² + J² = 2, T = 0.1; realizations not given",
                scheme: .wOverJ, layout: .dos(scaleByDisorder: false), curves: interaction,
                claims: [Claim("the DOS narrows as W/J grows", .dosWidth, .trend(.down)),
                         Claim("the gap fills in as W/J grows", .gapDepth, .trend(.up))]),
            FigureDefinition(
                id: "13", title: "EG rates against W/J (W² + J² = 2)", model: .eg,
                paperClaim: "more interaction shifts the rates down, opposite to the TLS glass: Table I, EG, interaction -",
                paperSetting: "as Fig. 12, xi = 0.1",
                scheme: .wOverJ, layout: .rates(relaxationPanel: false), curves: interaction,
                claims: [Claim("ln Gamma_min rises as W/J grows (falls with J)", .lnGammaMin, .trend(.up))],
                alsoReport: [.medianLnGamma, .plateauWidth]),
            FigureDefinition(
                id: "14", title: "EG DOS against size", model: .eg,
                paperClaim: "the DOS is wider (and the gap shallower) for fewer sites",
                paperSetting: "N = 10, 100, 1000, T = 0.1, W = J = 1, paper box; realizations not given",
                scheme: .n, layout: .dos(scaleByDisorder: false), curves: sizes(bare: false),
                claims: [Claim("the DOS narrows as N grows", .dosWidth, .trend(.down))],
                alsoReport: [.gapDepth]),
            FigureDefinition(
                id: "15", title: "EG rates against size", model: .eg,
                paperClaim: "a larger N shifts the rates down: Table I, EG, size -",
                paperSetting: "as Fig. 14, xi = 0.1",
                scheme: .n, layout: .rates(relaxationPanel: false), curves: sizes(bare: false),
                claims: [Claim("ln Gamma_min falls as N grows", .lnGammaMin, .trend(.down))],
                alsoReport: [.medianLnGamma, .plateauWidth]),
            FigureDefinition(
                id: "16", title: "Eigenvalues of exp(-r/xi) alone (Appendix A)", model: .eg,
                paperClaim: "without energy factors the rates still shift down with N, a finite-size effect of the NN distances that Eq. A2's scaling removes",
                paperSetting: "N = 10, 100, 1000, xi = 0.1, paper box; realizations not given",
                scheme: .n, layout: .bareSpectrum, curves: sizes(bare: true),
                claims: [Claim("the rates shift down as N grows (median x = -ln(Γ/2) rises)", .medianX, .trend(.up)),
                         Claim("Eq. A2's scaling brings the curves together", .scaledMedianX, .collapses(than: .medianX)),
                         Claim("at N = 1000 the fast modes (x below the law's mode) follow the NN law of Eq. A1: KS distance below 0.05",
                               .nnFastKS, .below(0.05))],
                alsoReport: [.nnSlowKS, .lnGammaMin, .medianLnGamma]),
        ]
    }
}
