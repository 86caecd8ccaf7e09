import Foundation
import GlassDynamics
import GlassReproduction
import Testing

/// The verdict and Table I logic of `glassdyn reproduce`, fed synthetic measurements.
@Suite struct ReproductionReportTests {
    static func curve(_ x: Double, _ metric: Metric, _ value: Double, error: Double) -> CurveOutcome {
        var p = TLSParameters()
        p.disorder = x
        let def = CurveDefinition(label: "W = \(x)", slug: "w\(x)", x: x, point: ModelPoint(p), realizations: 10)
        return CurveOutcome(definition: def, metrics: CurveMetrics(values: [metric: Measurement(value, error: error)],
                                                                   converged: 10, requested: 10))
    }

    /// Fig. 6 claims ln Gamma_min rises with W.
    static var fig6: FigureDefinition {
        get throws { try FigureDefinition.all(.quick).first { $0.id == "06" }! }
    }

    @Test func contradictingTrendIsDisagree() throws {
        // ln Gamma_min falls by 3 with error bars of 0.1: the paper's + is contradicted.
        let curves = [Self.curve(1, .lnGammaMin, -28, error: 0.1), Self.curve(10, .lnGammaMin, -29.5, error: 0.1),
                      Self.curve(100, .lnGammaMin, -31, error: 0.1)]
        let outcome = FigureOutcome(definition: try Self.fig6, curves: curves)
        #expect(outcome.verdict.verdict == .disagree)
        #expect(outcome.verdict.reason.contains("-3.00"))
    }

    @Test func supportingTrendIsAgreeAndOverlapIsInconclusive() throws {
        let up = [Self.curve(1, .lnGammaMin, -31, error: 0.1), Self.curve(100, .lnGammaMin, -28, error: 0.1)]
        #expect(FigureOutcome(definition: try Self.fig6, curves: up).verdict.verdict == .agree)
        // A change of 0.15 with end-point errors 0.1 + 0.1: the bars overlap.
        let flat = [Self.curve(1, .lnGammaMin, -31, error: 0.1), Self.curve(100, .lnGammaMin, -30.85, error: 0.1)]
        #expect(FigureOutcome(definition: try Self.fig6, curves: flat).verdict.verdict == .inconclusive)
    }

    @Test func unconvergedCurveMakesAClaimInconclusive() throws {
        var dead = Self.curve(100, .lnGammaMin, -28, error: 0.1)
        dead.metrics.converged = 0
        let outcome = FigureOutcome(definition: try Self.fig6, curves: [Self.curve(1, .lnGammaMin, -31, error: 0.1), dead])
        #expect(outcome.verdict.verdict == .inconclusive)
    }

    @Test func boundJudgementsUseTheWholeErrorBar() throws {
        #expect(Judgement.below(Measurement(0.4, error: 0.1), 0.75, what: "g").verdict == .agree)
        #expect(Judgement.below(Measurement(0.9, error: 0.1), 0.75, what: "g").verdict == .disagree)
        #expect(Judgement.below(Measurement(0.7, error: 0.1), 0.75, what: "g").verdict == .inconclusive)
        #expect(Judgement.above(Measurement(12, error: 1), 10, what: "w").verdict == .agree)
        #expect(Judgement.near(Measurement(1.05, error: 0.1), 1, tolerance: 0.3, what: "p").verdict == .agree)
        #expect(Judgement.near(Measurement(1.6, error: 0.1), 1, tolerance: 0.3, what: "p").verdict == .disagree)
        #expect(Judgement.near(Measurement(.nan), 1, tolerance: 0.3, what: "p").verdict == .inconclusive)
        let mixed = Judgement.combine([Judgement(.agree, "a"), Judgement(.inconclusive, "b")])
        #expect(mixed.verdict == .inconclusive)
        #expect(Judgement.combine([mixed, Judgement(.disagree, "c")]).verdict == .disagree)
    }

    @Test func collapseClaimComparesRelativeSpreads() throws {
        let unscaled = [Measurement(7, error: 0.05), Measurement(9, error: 0.05), Measurement(10, error: 0.05)]
        let collapsed = [Measurement(9.8, error: 0.05), Measurement(10, error: 0.05), Measurement(10.1, error: 0.05)]
        #expect(Claim.collapse(collapsed, than: unscaled, what: "s", otherWhat: "u").verdict == .agree)
        #expect(Claim.collapse(unscaled, than: collapsed, what: "s", otherWhat: "u").verdict == .disagree)
    }

    static func trend(_ ys: [Double], error: Double, parameter: String = "W") -> SchemeTrend {
        SchemeTrend(parameter: parameter, x: ys.indices.map { Double($0 + 1) }, y: ys.map { Measurement($0, error: error) })
    }

    /// Table I signs: the paper's + against a measured fall is "disagree"; overlapping error
    /// bars are "inconclusive"; a W/J scheme counts along J, reversed.
    @Test func tableOneSignsAndOverlap() throws {
        let tlsW = TableOneRow.all.first { $0.model == .tls && $0.quantity.contains("W") }!
        #expect(TableOneEntry.judge(row: tlsW, trend: Self.trend([-30, -31.5], error: 0.2)).verdict == .disagree)
        #expect(TableOneEntry.judge(row: tlsW, trend: Self.trend([-31.5, -30], error: 0.2)).verdict == .agree)
        #expect(TableOneEntry.judge(row: tlsW, trend: Self.trend([-31.0, -30.7], error: 0.2)).verdict == .inconclusive)
        // TLS, more J (paper +): Fig. 7 runs W/J up, i.e. J down; ln Gamma_min falling along it is + in J.
        let tlsJ = TableOneRow.all.first { $0.model == .tls && $0.quantity.contains("J") }!
        #expect(tlsJ.reversed)
        #expect(TableOneEntry.judge(row: tlsJ, trend: Self.trend([-31, -32], error: 0.1, parameter: "W/J")).verdict == .agree)
        let egJ = TableOneRow.all.first { $0.model == .eg && $0.quantity.contains("J") }!
        #expect(TableOneEntry.judge(row: egJ, trend: Self.trend([-31, -32], error: 0.1, parameter: "W/J")).verdict == .disagree)
    }

    /// The report of a disputed sign names the choice that restores the paper's sign.
    @Test func reportNamesTheChoiceThatDecidesASign() throws {
        let row = TableOneRow.all.first { $0.model == .tls && $0.quantity.contains("W") }!
        var figure = FigureOutcome(definition: try Self.fig6, curves: [
            Self.curve(1, .lnGammaMin, -28, error: 0.1), Self.curve(100, .lnGammaMin, -31, error: 0.1)])
        figure.curves[0].metrics.values[.medianLnGamma] = Measurement(-17, error: 0.1)
        figure.curves[1].metrics.values[.medianLnGamma] = Measurement(-18, error: 0.1)
        let entry = TableOneEntry(row: row, figure: figure)
        #expect(entry.judgement.verdict == .disagree)
        #expect(entry.sign == .down && entry.medianSign == .down)
        let flip = AlternativeRun(row: row, choice: "--convention scripts", lnGammaMin: Self.trend([-31, -28], error: 0.1),
                                  median: Self.trend([-18, -17], error: 0.1), wallTime: 1, skipped: nil)
        let keep = AlternativeRun(row: row, choice: "--box poisson", lnGammaMin: Self.trend([-28, -31], error: 0.1),
                                  median: nil, wallTime: 1, skipped: nil)
        let result = ReproductionResult(preset: .quick, settings: RunSettings(), figures: [figure], table: [entry],
                                        alternatives: [flip, keep], alternativesTime: 2, wallTime: 3)
        let md = ReproductionReport.markdown(result)
        #expect(md.contains("**disagree**"))
        #expect(md.contains("with `--convention scripts` the sign becomes + as in the paper, so that choice decides it"))
        #expect(md.contains("`--box poisson` leaves the sign at -"))
        #expect(md.contains("## Fig. 6: TLS rates against disorder"))
    }

    @Test func figureSelectionAndIDs() throws {
        let all = try FigureDefinition.all(.quick)
        #expect(all.count == 17)
        #expect(all.map(\.id) == (1...16).map { String(format: "%02d", $0) } + ["S1"])
        #expect(try FigureDefinition.select("1, 9,s1", preset: .quick).map(\.id) == ["01", "09", "S1"])
        #expect(throws: ParameterError.self) { try FigureDefinition.select("17", preset: .quick) }
        #expect(throws: ParameterError.self) { try FigureDefinition.select("", preset: .quick) }
        #expect(throws: ParameterError.self) { try FigureDefinition.select("1,,3", preset: .quick) }
        // The paper preset uses the paper's N and realization counts where it gives them.
        let paper = try FigureDefinition.all(.paper)
        let fig3 = paper.first { $0.id == "03" }!.curves[0]
        #expect(fig3.point.sites == 10000 && fig3.realizations == 1000)
        #expect(paper.first { $0.id == "09" }!.curves[0].realizations == 1000)
        #expect(paper.first { $0.id == "01" }!.curves[0].realizations == 300)
    }
}

/// Tiny runs (the pipeline tests, `--figures` previews) give sparse ln Gamma histograms; the
/// plateau rule must still return finite cutoffs inside the data range.
@Suite struct ReproductionSparseHistogramTests {
    @Test func sparseHistogramGivesFiniteCutoffs() throws {
        var h = Histogram(lower: -10, upper: 0, bins: 100)
        // One value in each of bins 10-89 except the three around the plateau's centre: the
        // scan starts in an empty bin next to an empty bin.
        for k in 10..<90 where !(49...51).contains(k) { h.add(-10 + (Double(k) + 0.5) * 0.1) }
        let c = PlateauCutoffs(histogram: h)!
        #expect(c.lnGammaMin.isFinite && c.lnGammaMax.isFinite)
        #expect(c.lnGammaMin >= -10 && c.lnGammaMax <= 0 && c.lnGammaMin <= c.lnGammaMax)
    }
}
