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

    /// (median PR at N = 250, at N = 1000, the window).
    static func compare(_ modes: (Int) throws -> [RelaxationMode]) throws -> (Double, Double, ClosedRange<Double>) {
        let small = try modes(250), large = try modes(1000)
        let ln = small.map(\.lnRate).sorted()
        let window = ln[ln.count / 4]...ln[3 * ln.count / 4]
        let a = median(small.filter { window.contains($0.lnRate) }.map(\.participationRatio))
        let b = median(large.filter { window.contains($0.lnRate) }.map(\.participationRatio))
        return (a, b, window)
    }

    @Test func electronGlassModesAreLocalized() throws {
        let (a, b, w) = try Self.compare { n in
            var p = EGParameters()
            p.sites = n
            p.rateMatrix = .full
            p.computeModes = true
            let result = try EGExperiment(parameters: p, settings: Self.settings(n == 250 ? 4 : 2)).run()
            return result.realizations.filter(\.isPooled).flatMap { $0.linear?.modes ?? [] }
        }
        print("eg: median PR in ln Gamma [\(w.lowerBound), \(w.upperBound)]: N = 250 \(a), N = 1000 \(b)")
        #expect(a.isFinite && b.isFinite)
        #expect(b < 1.5 * a, "PR grows with N: \(a) -> \(b)")
    }

    @Test func tlsModesAreLocalized() throws {
        let (a, b, w) = try Self.compare { n in
            var p = TLSParameters()
            p.sites = n
            p.temperature = 0.1
            p.rateMatrix = .full
            p.computeModes = true
            let result = try TLSExperiment(parameters: p, settings: Self.settings(n == 250 ? 4 : 2)).run()
            return result.linear.filter { $0.outcome.isStable }.flatMap { $0.outcome.modes ?? [] }
        }
        print("tls: median PR in ln Gamma [\(w.lowerBound), \(w.upperBound)]: N = 250 \(a), N = 1000 \(b)")
        #expect(a.isFinite && b.isFinite)
        #expect(b < 1.5 * a, "PR grows with N: \(a) -> \(b)")
    }
}
