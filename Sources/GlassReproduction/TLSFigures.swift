import Foundation
import GlassDynamics

/// The TLS-glass figures (paper Figs. 1-7) and the TLS size scheme behind Table I's last
/// column (Fig. S1: the paper states the sign but shows no figure). Parameters follow
/// MODEL.md's figure table; defaults W = J = 1, r_nn = 1.
package enum TLSFigures {
    static func tls(n: Int, w: Double = 1, j: Double = 1, t: Double) -> ModelPoint {
        var p = TLSParameters()
        p.sites = n
        p.disorder = w
        p.interaction = j
        p.temperature = t
        return ModelPoint(p)
    }

    /// The W^2 + J^2 = 2 scheme at the given W/J ratios (the same rule as `sweep --fix-sum`).
    static func interactionScheme(ratios: [Double], n: Int, t: Double, realizations: Int) throws -> [CurveDefinition] {
        let plan = SweepPlan(base: tls(n: n, t: t), variable: .wOverJ, values: ratios,
                             constraint: .sumOfSquares(.w, .j, 2))
        return try zip(ratios, plan.points()).map { r, p in
            CurveDefinition(label: "W/J = \(Judgement.fmt(r))", slug: "wj\(Judgement.fmt(r))", x: r,
                            point: p, realizations: realizations)
        }
    }

    package static func all(_ preset: ReproductionPreset) throws -> [FigureDefinition] {
        let q = preset
        // Realization counts: the cost per realization is in docs/performance.md. Where the
        // paper gives no count, `paper` uses 300 (bootstrap error of ln Gamma_min about 0.03,
        // well below 0.2).
        let small = q.pick(quick: 100, paper: 300)
        let big = q.pick(quick: 8, paper: 300)  // Fig. 1

        let disorder = [1.0, 10, 100].map { w in
            CurveDefinition(label: "W = \(Judgement.fmt(w))", slug: "w\(Judgement.fmt(w))", x: w,
                            point: tls(n: 1000, w: w, t: w / 10), realizations: small)
        }
        let interaction = try interactionScheme(ratios: [1, 3.1, 9.8], n: 1000, t: 0.05, realizations: small)
        // At the paper preset N = 1e4 is Fig. 1's run (same point and count): shared, no cost.
        let sizes: [(Int, Int)] = q.pick(quick: [(100, 300), (1000, 100), (4000, 12)],
                                          paper: [(100, 1000), (1000, 300), (10000, big)])

        return [
            FigureDefinition(
                id: "01", title: "TLS DOS", model: .tls,
                paperClaim: "a dipole gap at E = 0",
                paperSetting: "N = 10000, T = 0.05, W = J = 1; 300 realizations",
                scheme: nil, layout: .dos(scaleByDisorder: false),
                curves: [CurveDefinition(label: "T = 0.05", slug: "t0.05", x: 0.05,
                                         point: tls(n: 10000, t: 0.05), realizations: big)],
                claims: [Claim("the DOS dips at E = 0 to below 3/4 of its maximum", .gapDepth, .below(0.75))],
                alsoReport: [.dosWidth]),
            FigureDefinition(
                id: "02", title: "TLS DOS against temperature", model: .tls,
                paperClaim: "the gap fills in gradually as T rises (T = 0.1, 1, 2)",
                paperSetting: "N = 1000, T = 0.1, 1, 2; realizations not given",
                scheme: .t, layout: .dos(scaleByDisorder: false),
                curves: [0.1, 1, 2].map { t in
                    CurveDefinition(label: "T = \(Judgement.fmt(t))", slug: "t\(Judgement.fmt(t))", x: t,
                                    point: tls(n: 1000, t: t), realizations: small)
                },
                claims: [Claim("the gap fills in as T rises", .gapDepth, .trend(.up)),
                         Claim("at T = 2 the gap has nearly gone (DOS(0) above 80% of the maximum)", .gapDepth, .above(0.8))],
                alsoReport: [.dosWidth]),
            FigureDefinition(
                id: "03", title: "TLS relaxation-rate distribution", model: .tls,
                paperClaim: "a 1/Gamma law (a plateau of P(ln Gamma)) over a very broad range, fitted by A/Gamma above Gamma_min",
                paperSetting: "N = 10000, J/T = 10 (T = 0.1), W = J = 1; 1000 realizations",
                scheme: nil, layout: .rates(relaxationPanel: true),
                curves: [CurveDefinition(label: "T = 0.1", slug: "t0.1", x: 0.1,
                                         point: tls(n: 10000, t: 0.1), realizations: q.pick(quick: 6, paper: 1000))],
                claims: [Claim("the plateau spans more than 10 e-folds", .plateauWidth, .above(10)),
                         Claim("the plateau is flat (1/Gamma): P(ln Gamma) changes by less than 1% per e-fold over its central half",
                               .plateauTilt, .near(0, tolerance: 0.01))],
                alsoReport: [.fitReducedChiSquare, .lnGammaMin, .medianLnGamma]),
            FigureDefinition(
                id: "04", title: "TLS DOS against disorder", model: .tls,
                paperClaim: "with more disorder the DOS broadens and the gap diminishes",
                paperSetting: "N = 1000, W = 1, 10, 100, W/T = 10, J = 1; realizations not given",
                scheme: .w, layout: .dos(scaleByDisorder: true),
                curves: disorder,
                claims: [Claim("the DOS broadens with W", .dosWidth, .trend(.up)),
                         Claim("the gap diminishes with W", .gapDepth, .trend(.up))]),
            FigureDefinition(
                id: "05", title: "TLS DOS against W/J (W² + J² = 2)", model: .tls,
                paperClaim: "with larger W/J the gap and its peaks get narrower and higher: the DOS narrows, the gap fills in",
                paperSetting: "N = 1000, W/J = 1, 3.1, 9.8 with W² + J² = 2, T = 0.05; realizations not given",
                scheme: .wOverJ, layout: .dos(scaleByDisorder: false),
                curves: interaction,
                claims: [Claim("the DOS narrows as W/J grows", .dosWidth, .trend(.down)),
                         Claim("the gap fills in as W/J grows", .gapDepth, .trend(.up))]),
            FigureDefinition(
                id: "06", title: "TLS rates against disorder", model: .tls,
                paperClaim: "more disorder shifts the rates up (Gamma_min rises): Table I, TLS, disorder +",
                paperSetting: "as Fig. 4",
                scheme: .w, layout: .rates(relaxationPanel: false),
                curves: disorder,
                claims: [Claim("ln Gamma_min rises with W", .lnGammaMin, .trend(.up))],
                alsoReport: [.medianLnGamma, .plateauWidth]),
            FigureDefinition(
                id: "07", title: "TLS rates against W/J (W² + J² = 2)", model: .tls,
                paperClaim: "more interaction (smaller W/J) shifts the rates up: Table I, TLS, interaction +",
                paperSetting: "as Fig. 5",
                scheme: .wOverJ, layout: .rates(relaxationPanel: false),
                curves: interaction,
                claims: [Claim("ln Gamma_min falls as W/J grows (rises with J)", .lnGammaMin, .trend(.down))],
                alsoReport: [.medianLnGamma, .plateauWidth]),
            FigureDefinition(
                id: "S1", title: "TLS rates against size (not shown in the paper)", model: .tls,
                paperClaim: "a larger N shifts the rates down, weakly: Table I, TLS, size - (weak)",
                paperSetting: "not shown in the paper; here W = J = 1, T = 0.05 as Fig. 1, paper box (constant density)",
                scheme: .n, layout: .rates(relaxationPanel: false),
                curves: sizes.map { n, r in
                    CurveDefinition(label: "N = \(n)", slug: "n\(n)", x: Double(n), point: tls(n: n, t: 0.05), realizations: r)
                },
                claims: [Claim("ln Gamma_min falls as N grows", .lnGammaMin, .trend(.down))],
                alsoReport: [.medianLnGamma, .plateauWidth]),
        ]
    }
}
