import Foundation
import GlassDynamics
import GlassReproduction
import Testing

@Suite struct SmallSystemsSectionTests {
    /// The quick section: the TLS mean-field error falls with exponent 2 in J/T, TAP below it,
    /// and the report shows the verdict with the numbers.
    @Test func quickSectionFindsTheSecondOrderAndRendersIt() throws {
        let s = try SmallSystemsSection.run(preset: .quick, seed: 1, threads: 2)
        #expect(abs(s.tlsExponent - 2) < 0.5, "\(s.tlsExponent)")
        #expect(s.tapExponent > s.tlsExponent)
        #expect(s.verdict == "agree")
        #expect(s.markdown.hasPrefix("## Small systems: exact against mean field"))
        #expect(s.markdown.contains("Verdict: **agree**"))
        var result = ReproductionResult(preset: .quick, settings: RunSettings(), figures: [], table: [], alternatives: [],
                                        alternativesTime: 0, wallTime: 0)
        #expect(!ReproductionReport.markdown(result).contains("Small systems"))
        result.smallSystems = s
        #expect(ReproductionReport.markdown(result).contains("## Small systems: exact against mean field"))
        #expect(ReportHTML.page(result, svg: { _ in nil }).contains("<section id=\"small-systems\">"))
    }
}
