import Foundation
import GlassDynamics
import Testing

/// `--rate-matrix full`: a realization that is a saddle (or has a wrong-sign rate) is counted
/// and left out of every pooled output, never kept. Real realizations with their stability
/// overwritten, pooled by the experiments' own `finish`, against pooling the others alone.
@Suite
struct RateMatrixPoolingTests {
    static func settings(_ realizations: Int) -> RunSettings {
        var s = RunSettings()
        s.realizations = realizations
        s.threads = 1
        s.quiet = true
        return s
    }

    static func texts(_ a: DistributionAnalysis) -> [String] { a.tables().map { $0.table.text } }

    @Test func electronGlassSaddleIsCountedAndExcluded() throws {
        var p = EGParameters()
        p.sites = 60
        p.rateMatrix = .full
        p.computeModes = true
        let e = EGExperiment(parameters: p, settings: Self.settings(4))
        var xs = try (0..<4).map { try e.realization($0) }
        #expect(xs.allSatisfy { $0.linear?.isStable == true })
        xs[1].linear!.stability = .notPositiveDefinite
        xs[1].spectrum = nil
        xs[3].linear!.stability = .positiveEigenvalue
        let all = e.finish(xs, wallTime: 0)
        let kept = e.finish([xs[0], xs[2]], wallTime: 0)
        let block = try #require(all.linearSummary)
        #expect(block.saddleRealizations == 1 && block.saddleIndices == [1])
        #expect(block.positiveEigenvalueRealizations == 1 && block.positiveEigenvalueIndices == [3])
        #expect(block.realizationsKept == 2 && block.realizationsLinearised == 4)
        #expect(Self.texts(all.analysis) == Self.texts(kept.analysis))
        let realizationsInModes = Set(try #require(all.modesTable).rows.map { $0[0] })
        #expect(realizationsInModes == ["0", "2"])
    }

    @Test func tlsSaddleIsCountedAndExcluded() throws {
        var p = TLSParameters()
        p.sites = 60
        p.temperature = 0.1
        p.rateMatrix = .full
        let e = TLSExperiment(parameters: p, settings: Self.settings(3))
        var xs = try (0..<3).map { try e.realization($0) }
        #expect(xs.allSatisfy { $0.linear?.isStable == true })
        xs[2].linear!.stability = .notPositiveDefinite
        let all = e.finish(xs, wallTime: 0)
        let kept = e.finish([xs[0], xs[1]], wallTime: 0)
        let block = try #require(all.linearSummary)
        #expect(block.saddleIndices == [2] && block.realizationsKept == 2)
        #expect(Self.texts(all.analysis) == Self.texts(kept.analysis))
        // The relative change is over the kept realizations only.
        #expect(block.relativeChangeQuantiles == kept.linearSummary?.relativeChangeQuantiles)
    }

    /// run.json written before the options existed (no rateMatrix / modes keys) decodes to the
    /// defaults; the keys are written only when not default, and read back.
    @Test func parametersDecodeWithoutTheNewKeys() throws {
        let tlsOld = try JSONFormat.encode(TLSParameters())
        #expect(!String(decoding: tlsOld, as: UTF8.self).contains("rateMatrix"))
        #expect(try JSONFormat.decode(TLSParameters.self, from: tlsOld).rateMatrix == .diagonal)
        var t = TLSParameters()
        t.rateMatrix = .full
        t.computeModes = true
        let back = try JSONFormat.decode(TLSParameters.self, from: try JSONFormat.encode(t))
        #expect(back == t && back.rateMatrix == .full && back.computeModes)
        let egOld = try JSONFormat.encode(EGParameters())
        #expect(!String(decoding: egOld, as: UTF8.self).contains("modes"))
        #expect(try JSONFormat.decode(EGParameters.self, from: egOld) == EGParameters())
        var e = EGParameters()
        e.rateMatrix = .full
        #expect(try JSONFormat.decode(EGParameters.self, from: try JSONFormat.encode(e)).rateMatrix == .full)
        // Setting the default explicitly is the same value as leaving it alone.
        var d = EGParameters()
        d.rateMatrix = .paper
        #expect(d == EGParameters())
    }

    /// The run's pooled full rates and the TLS block against DirectTermStudy, which solves
    /// and linearises the same realizations through its own loop.
    @Test func runsAgreeWithTheDirectTermStudy() throws {
        var t = TLSParameters()
        t.sites = 120
        t.temperature = 0.1
        t.rateMatrix = .full
        let tls = try TLSExperiment(parameters: t, settings: Self.settings(3)).run()
        let study = try DirectTermStudy.tlsGlass(parameters: t, seed: 1, realizations: 0..<3)
        let block = try #require(tls.linearSummary)
        #expect(study.used == 3 && block.realizationsKept == 3)
        let q = try #require(block.relativeChangeQuantiles)
        for k in 0..<3 { #expect(abs(q[k] - study.absoluteRelativeChange[k]) <= 1e-12 * max(1e-300, study.absoluteRelativeChange[k])) }
        #expect(abs(block.largestRelativeChange! - study.maxAbsoluteRelativeChange) <= 1e-12)
        #expect(abs(block.meanLnSlowestChange! - (study.meanLnSlowestFull - study.meanLnSlowestDiagonal)) <= 1e-9)

        var e = EGParameters()
        e.sites = 100
        e.rateMatrix = .full
        let eg = try EGExperiment(parameters: e, settings: Self.settings(3)).run()
        let egStudy = try DirectTermStudy.electronGlass(parameters: e, seed: 1, realizations: 0..<3)
        let pooled = eg.realizations.filter(\.isPooled).flatMap { $0.outcome.rates }.map { Foundation.log($0) }.sorted()
        for (k, level) in egStudy.quantileLevels.enumerated() {
            #expect(abs(DirectTermStudy.quantile(pooled, level) - egStudy.lnGammaWith[k]) <= 1e-9)
        }
    }
}
