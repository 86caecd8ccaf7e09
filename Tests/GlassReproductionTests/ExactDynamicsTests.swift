import Foundation
import GlassDynamics
import GlassDynamicsTestSupport
import GlassReproduction
import Testing

@Suite struct ExactDynamicsVerdictTests {
    static let grid = (0...30).map { 1e-2 * Foundation.pow(10, Double($0) / 5) }

    /// Realizations of a curve with independent Gaussian-like noise (sum of uniforms, seeded).
    static func noisy(_ curve: [Double], realizations: Int, noise: Double, seed: UInt64 = 3) -> [[Double]] {
        var state = seed
        func u() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        return (0..<realizations).map { _ in curve.map { $0 + noise * ((0..<12).reduce(0) { a, _ in a + u() } - 6) } }
    }

    @Test func anExactLogLawAgreesWithItsSlope() {
        let energies = Self.noisy(Self.grid.map { -0.5 - 0.02 * Foundation.log($0) }, realizations: 8, noise: 1e-3)
        let l = LogLawWindow(times: Self.grid, energies: energies, gammaMin: 1e-5, gammaMax: 1, seed: 1)
        #expect(l.window == 1...1e4)
        #expect(abs(l.slope.value + 0.02) < 3 * l.slope.error + 1e-4, "\(l.slope)")
        #expect(l.judgement.verdict == .agree, "\(l.judgement.reason)")
        #expect(abs(l.intercept + 0.5) < 1e-3)
    }

    @Test func aBentRelaxationDisagreesAndAShortWindowIsInconclusive() {
        // Exponential relaxation: steep at first, flat at the end of the window.
        let bent = Self.noisy(Self.grid.map { -0.5 + 0.2 * Foundation.exp(-$0 / 100) }, realizations: 8, noise: 1e-3)
        let l = LogLawWindow(times: Self.grid, energies: bent, gammaMin: 1e-5, gammaMax: 1, seed: 1)
        #expect(l.judgement.verdict == .disagree, "\(l.judgement.reason)")
        let short = LogLawWindow(times: Self.grid, energies: bent, gammaMin: 1 / 50.0, gammaMax: 1 / 10.0, seed: 1)
        #expect(short.judgement.verdict == .inconclusive)
        // A rising energy is no relaxation.
        let rising = Self.noisy(Self.grid.map { 0.01 * Foundation.log($0) }, realizations: 8, noise: 1e-4)
        #expect(LogLawWindow(times: Self.grid, energies: rising, gammaMin: 1e-5, gammaMax: 1, seed: 1).judgement.verdict == .disagree)
    }

    @Test func aResponseOnThePredictionNeverPartsAndAnOffsetOneDoes() {
        let prediction = Self.grid.map { 1e-4 * Foundation.exp(-$0 / 300) }
        let error = prediction.map { _ in 5e-6 }
        // Within one error bar of the prediction everywhere.
        let kmc = zip(prediction, Self.grid.indices).map { $0 + ($1 % 2 == 0 ? 4e-6 : -4e-6) }
        let same = ResponseParting(label: "full", waitingTime: 10, times: Self.grid, kmc: kmc, error: error, prediction: prediction)
        #expect(same.partingTime == nil)
        #expect(same.judgement.verdict == .agree)
        // Twice the prediction once t > 100: parts at the first grid time beyond 100 where the gap exceeds 3 sigma.
        let twice = zip(Self.grid, prediction).map { $0 > 100 ? 2 * $1 : $1 }
        let parted = ResponseParting(label: "full", waitingTime: 10, times: Self.grid, kmc: twice, error: error, prediction: prediction)
        func beyond(_ k: Int) -> Bool { Self.grid[k] > 100 && prediction[k] > 15e-6 }
        let expected = Self.grid.indices.dropLast().first { beyond($0) && beyond($0 + 1) }.map { Self.grid[$0] }
        #expect(expected != nil)
        #expect(parted.partingTime == expected)
        #expect(parted.judgement.verdict == .disagree)
        #expect(abs(parted.kmcThere / parted.predictionThere - 2) < 1e-12)
        // A single 4-sigma excursion is chance, not a parting.
        var once = prediction
        once[10] += 4 * error[10]
        let single = ResponseParting(label: "full", waitingTime: 10, times: Self.grid, kmc: once, error: error, prediction: prediction)
        #expect(single.partingTime == nil && abs(single.largestPull - 4) < 1e-9)
    }

    /// The electron glass's verdict: a prediction the KMC resolves and follows agrees, one
    /// within 3 error bars of zero everywhere is inconclusive even though the curves never
    /// part, and KMC far above such a prediction still disagrees.
    @Test func aPredictionTheKMCCannotResolveIsInconclusive() {
        let error = Self.grid.map { _ in 5e-6 }
        func parting(_ prediction: [Double], _ kmc: [Double]) -> ResponseParting {
            ResponseParting(label: "full", waitingTime: 10, times: Self.grid, kmc: kmc, error: error, prediction: prediction)
        }
        let big = Self.grid.map { 1e-4 * Foundation.exp(-$0 / 300) }
        let tiny = big.map { $0 * 1e-3 }
        let cases = [parting(big, big), parting(tiny, tiny.map { $0 + 2e-6 }), parting(tiny, tiny.map { $0 + 5e-5 })]
        let c = EGResponseComparison(partings: cases, kept: 1, realizations: 1, unresolvedPaper: 0, unresolvedFull: 0)
        #expect(c.judgements.map(\.verdict) == [.agree, .inconclusive, .disagree])
        #expect(abs(cases[0].predictionPull - big[0] / 5e-6) < 1e-9)
    }

    @Test func aPerfectTOverTwScalingCollapsesAndATimeTranslationInvariantOneDoesNot() {
        let tws = [10.0, 100, 1000]
        let aged = tws.map { tw in Self.grid.map { Foundation.exp(-Foundation.pow($0 / tw, 0.4)) } }
        let errors = tws.map { _ in Self.grid.map { _ in 0.005 } }
        let a = AgingScaling(waitingTimes: tws, t: Self.grid, mean: aged, error: errors)
        #expect(a.deviation.value < 1e-12)
        #expect(a.judgement.verdict == .agree, "\(a.judgement.reason)")
        #expect(a.deviationAgainstT > 0.3)
        let stationary = tws.map { _ in Self.grid.map { Foundation.exp(-Foundation.pow($0 / 30, 0.4)) } }
        let s = AgingScaling(waitingTimes: tws, t: Self.grid, mean: stationary, error: errors)
        #expect(s.judgement.verdict == .disagree, "\(s.judgement.reason)")
        #expect(s.deviationAgainstT < 1e-12)
    }

    @Test func gapShapeOfAKnownDensityAndTheComparison() throws {
        // 41 bins of 0.1 centred on -2.0 ... 2.0 (the middle one on 0).
        let centers: [Double] = (0..<41).map { k in Double(k - 20) / 10 }
        // Linear gap |E| up to |E| = 1, flat 1 beyond: depth ~ 0, half maximum at |E| = 0.5.
        let gapped: [Double] = centers.map { x in Swift.min(abs(x), 1.0) }
        let shape = try #require(GapComparison.shape(centers: centers, density: gapped, core: 0.16))
        #expect(shape.depth < 0.1)
        #expect(abs(shape.width - 0.5) < 0.06, "\(shape.width)")
        let flat: [Double] = centers.map { _ in 1.0 }
        #expect(GapComparison.shape(centers: centers, density: flat, core: 0.16)!.depth == 1)
        let same = GapComparison(model: .eg, centers: centers, kmc: [gapped, gapped, gapped], meanField: [gapped, gapped, gapped],
                                 core: 0.16, seed: 1)
        #expect(same.depthChange.value == 0 && same.widthChange.value == 0)
        #expect(same.judgement.verdict == .agree, "\(same.judgement.reason)")
        let filled = GapComparison(model: .eg, centers: centers, kmc: [gapped, gapped, gapped], meanField: [flat, flat, flat],
                                   core: 0.16, seed: 1)
        #expect(filled.depthChange.value > 0.8)
        #expect(filled.judgement.verdict == .disagree)
    }
}

@Suite struct LinearResponsePredictionTests {
    static func linearisation(coupling j: Double, d: [Double]) -> TLSLinearization {
        let box = PeriodicBox(dimension: 3, side: 2, coordinates: [0, 0, 0, 0.5, 0, 0, 0, 0.5, 0].prefix(3 * d.count).map { $0 })
        return TLSLinearization(box: box, bias: d, equilibrium: d, tunneling: d.map { _ in 0.3 }, temperature: 0.2, rule: .meanfield,
                                convention: .paper, fieldPrefactor: 0.25, ratePrefactor: 1, coupling: { i, k in i == k ? 0 : j })
    }

    /// Uncoupled sites: each a two-state system whose occupation relaxes at Gamma_i to
    /// tanh((D + h)/2T) while the field is on and back afterwards, so
    /// O = (h/N) sum_i [tanh((D_i + h)/2T) - tanh(D_i/2T)] (1 - e^{-Gamma t_w}) e^{-Gamma t} to first order in h.
    @Test func uncoupledSitesFollowTheAnalyticTwoStateRelaxation() throws {
        let d = [0.05, -0.3]
        let lin = Self.linearisation(coupling: 0, d: d)
        let h = 1e-4, t = 0.2
        let p = try LinearResponsePrediction(lin, strength: h)
        let full = try #require(p.full)
        for (tw, time) in [(1.0, 0.5), (10.0, 3.0), (0.3, 0.0)] {
            var analytic = 0.0
            for i in d.indices {
                let gamma = TLSMeanField.rate(energy: TLSMeanField.energy(d[i], tunneling: 0.3), tunneling: 0.3, temperature: t, prefactor: 1)
                let step = Foundation.tanh((d[i] + h) / (2 * t)) - Foundation.tanh(d[i] / (2 * t))
                analytic += h * step * (1 - Foundation.exp(-gamma * tw)) * Foundation.exp(-gamma * time) / Double(d.count)
            }
            let diag = LinearResponsePrediction.curve(p.diagonal, sites: 2, waitingTime: tw, times: [time])[0]
            let fullValue = LinearResponsePrediction.curve(full, sites: 2, waitingTime: tw, times: [time])[0]
            #expect(abs(diag - analytic) < 1e-3 * analytic, "\(diag) \(analytic)")
            #expect(abs(fullValue - analytic) < 1e-3 * analytic, "\(fullValue) \(analytic)")
        }
    }

    /// Coupled sites: the full matrix's prediction equals the linear dynamics
    /// d dm/dt = A dm + Gamma chi h integrated step by step (RK4 on the explicit A), and the
    /// diagonal prediction differs from it.
    @Test func coupledSitesMatchTheIntegratedLinearDynamics() throws {
        let d = [0.05, -0.1, 0.2]
        let lin = Self.linearisation(coupling: 0.8, d: d)
        let h = 0.01
        let p = try LinearResponsePrediction(lin, strength: h)
        let full = try #require(p.full)
        let a = lin.explicitRateMatrix()
        let n = d.count
        let drive = (0..<n).map { lin.rates[$0] * lin.susceptibilities[$0] * h }
        func integrate(_ m0: [Double], _ time: Double, _ on: Bool) -> [Double] {
            ForcedLinearRK4.integrate(m0, over: time, steps: 20_000, drive: on ? drive : nil) { a[$0, $1] }
        }
        let tw = 2.0, time = 1.5
        let held = integrate([Double](repeating: 0, count: n), tw, true)
        let after = integrate(held, time, false)
        let integrated = h * after.reduce(0, +) / Double(n)
        let predicted = LinearResponsePrediction.curve(full, sites: n, waitingTime: tw, times: [time])[0]
        #expect(abs(predicted - integrated) < 1e-6 * abs(integrated), "\(predicted) \(integrated)")
        let diagonal = LinearResponsePrediction.curve(p.diagonal, sites: n, waitingTime: tw, times: [time])[0]
        #expect(abs(diagonal - integrated) > 1e-3 * abs(integrated))
    }
}

@Suite struct ExactDynamicsSectionTests {
    static func job(_ root: URL, exact: ExactDynamicsPlan?) throws -> Reproduction {
        var settings = RunSettings()
        settings.quiet = true
        settings.threads = 2
        var job = Reproduction(preset: .quick, figures: [], settings: settings)
        job.alternativesBudget = 0
        job.exactDynamics = exact
        return job
    }

    @Test func sectionAppearsInBothReportsWithEveryFigureAndVerdict() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("glassdyn-exact-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let job = try Self.job(root, exact: ExactDynamicsPlan.tiny())
        try job.validate()
        let result = try job.run(in: OutputDirectory(path: root.path, force: false))
        let e = try #require(result.exactDynamics)
        #expect(e.gaps.count == 2 && e.gaps.allSatisfy { $0.kmcWidth.value.isFinite && $0.meanFieldDepth.value.isFinite })
        #expect(e.logLaw != nil)
        #expect(e.partings.count == 2 * ExactDynamicsPlan.tiny().responseWaitingTimes.count)
        #expect(e.aging?.waitingTimes == ExactDynamicsPlan.tiny().agingWaitingTimes)
        let eg = try #require(e.egResponse)
        #expect(eg.partings.count == 2 * ExactDynamicsPlan.tiny().egResponseWaitingTimes.count)
        #expect(eg.kept > 0 && eg.kept <= eg.realizations)
        let table = try String(contentsOf: root.appendingPathComponent("exact-dynamics/eg-response-prediction.csv"), encoding: .utf8)
        #expect(table.hasPrefix("tw,t,tOverTw,kmc,kmcError,paperMatrix,fullMatrix"))
        let md = try String(contentsOf: root.appendingPathComponent("REPORT.md"), encoding: .utf8)
        let html = try String(contentsOf: root.appendingPathComponent("REPORT.html"), encoding: .utf8)
        if let dump = ProcessInfo.processInfo.environment["EXACT_DUMP"] { try? md.write(toFile: dump, atomically: true, encoding: .utf8) }
        #expect(md.contains("## Mean field against exact dynamics"))
        #expect(html.contains("<section id=\"exact-dynamics\">") && html.contains("href=\"#exact-dynamics\""))
        let blocks = ExactDynamicsReport.blocks(e)
        #expect(blocks.count == 5)
        for block in blocks {
            #expect(md.contains("### \(block.title)"))
            #expect(md.contains("**Verdict: \(block.verdict.rawValue).**"))
            #expect(html.contains("id=\"\(block.id)\"") && html.contains("href=\"#\(block.id)\""))
        }
        try expectSectionFigures(e.figures, names: ExactDynamicsFigures.titles.map(\.0), blocks: blocks,
                                 root: root, markdown: md, html: html)
        let timing = try String(contentsOf: root.appendingPathComponent("timing.json"), encoding: .utf8)
        #expect(timing.contains("exactDynamicsSeconds"))
    }

    @Test func sectionIsAbsentUnlessAskedAndAloneItIsEnough() throws {
        let empty = Reproduction(preset: .quick, figures: [], settings: RunSettings())
        #expect(throws: ParameterError.self) { try empty.validate() }
        var alone = empty
        alone.exactDynamics = ExactDynamicsPlan.tiny()
        try alone.validate()
        let result = ReproductionResult(preset: .quick, settings: RunSettings(), figures: [], table: [], alternatives: [],
                                        alternativesTime: 0, wallTime: 0)
        #expect(!ReproductionReport.markdown(result).contains("exact dynamics"))
        #expect(!ReportHTML.page(result, svg: { _ in nil }).contains("exact-dynamics"))
    }

    /// The exact small-system comparison now sits under the section as its block (5).
    @Test func smallSystemsAreTheSectionsFifthBlock() throws {
        let s = try SmallSystemsSection.run(preset: .quick, seed: 1, threads: 2)
        #expect(abs(s.tlsExponent - 2) < 0.5, "\(s.tlsExponent)")
        #expect(s.tapExponent > s.tlsExponent)
        #expect(s.verdict == "agree")
        var o = ExactDynamicsOutcome(plan: .tiny(), gaps: [], logLaw: nil, partings: [], responseKept: 0, aging: nil)
        o.smallSystems = s
        let md = ExactDynamicsReport.markdown(o)
        #expect(md.contains("### (5) Small systems: exact against mean field"))
        #expect(md.contains("- **agree**: TLS Eq. 4 error exponent"))
    }
}
