import Foundation
import GlassDynamics
import Testing

/// The paper's "the relaxation modes are localized": at fixed ln Gamma the participation ratio
/// does not grow with N (a delocalized mode's PR would grow like N). Medians of PR over the
/// modes with ln Gamma in the central half of the N = 250 distribution, N = 250 against
/// N = 1000, through the experiments with `--rate-matrix full --modes`.
@Suite(.serialized)
struct ModeLocalizationTests {
    static func settings(_ realizations: Int) -> RunSettings {
        var s = RunSettings()
        s.realizations = realizations
        s.seed = 3
        s.threads = 2
        s.quiet = true
        return s
    }

    static func median(_ x: [Double]) -> Double {
        let s = x.sorted()
        return s.isEmpty ? .nan : (s.count % 2 == 1 ? s[s.count / 2] : 0.5 * (s[s.count / 2 - 1] + s[s.count / 2]))
    }

    /// (median PR at N = 250, at N = 1000, the window) for the central half of ln Gamma at
    /// N = 250, and the same for its slow tail (quantiles 0.01 to 0.1), where the modes are
    /// the least local; the slow-tail comparison is printed as (a, b, window) in `tail`.
    static func compare(_ modes: (Int) throws -> [RelaxationMode]) throws
        -> (Double, Double, ClosedRange<Double>, tail: (Double, Double, ClosedRange<Double>))
    {
        let small = try modes(250), large = try modes(1000)
        let ln = small.map(\.lnRate).sorted()
        func medians(_ window: ClosedRange<Double>) -> (Double, Double, ClosedRange<Double>) {
            (median(small.filter { window.contains($0.lnRate) }.map(\.participationRatio)),
             median(large.filter { window.contains($0.lnRate) }.map(\.participationRatio)), window)
        }
        let (a, b, w) = medians(ln[ln.count / 4]...ln[3 * ln.count / 4])
        return (a, b, w, medians(ln[ln.count / 100]...ln[ln.count / 10]))
    }

    @Test func electronGlassModesAreLocalized() throws {
        let (a, b, w, tail) = try Self.compare { n in
            var p = EGParameters()
            p.sites = n
            p.rateMatrix = .full
            p.computeModes = true
            let result = try EGExperiment(parameters: p, settings: Self.settings(n == 250 ? 4 : 2)).run()
            return result.realizations.filter(\.isPooled).flatMap { $0.linear?.modes ?? [] }
        }
        print("eg: median PR in ln Gamma [\(w.lowerBound), \(w.upperBound)]: N = 250 \(a), N = 1000 \(b)")
        print("eg: slow tail, median PR in ln Gamma [\(tail.2.lowerBound), \(tail.2.upperBound)]: N = 250 \(tail.0), N = 1000 \(tail.1)")
        #expect(a.isFinite && b.isFinite && tail.0.isFinite && tail.1.isFinite)
        #expect(b < 1.5 * a, "PR grows with N: \(a) -> \(b)")
        #expect(tail.1 < 1.5 * tail.0, "slow-tail PR grows with N: \(tail.0) -> \(tail.1)")
    }

    @Test func tlsModesAreLocalized() throws {
        let (a, b, w, tail) = try Self.compare { n in
            var p = TLSParameters()
            p.sites = n
            p.temperature = 0.1
            p.rateMatrix = .full
            p.computeModes = true
            let result = try TLSExperiment(parameters: p, settings: Self.settings(n == 250 ? 4 : 2)).run()
            return result.linear.filter { $0.outcome.isStable }.flatMap { $0.outcome.modes ?? [] }
        }
        print("tls: median PR in ln Gamma [\(w.lowerBound), \(w.upperBound)]: N = 250 \(a), N = 1000 \(b)")
        print("tls: slow tail, median PR in ln Gamma [\(tail.2.lowerBound), \(tail.2.upperBound)]: N = 250 \(tail.0), N = 1000 \(tail.1)")
        #expect(a.isFinite && b.isFinite && tail.0.isFinite && tail.1.isFinite)
        #expect(b < 1.5 * a, "PR grows with N: \(a) -> \(b)")
        #expect(tail.1 < 1.5 * tail.0, "slow-tail PR grows with N: \(tail.0) -> \(tail.1)")
    }
}
