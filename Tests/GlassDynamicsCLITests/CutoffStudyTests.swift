import Foundation
import GlassBenchmarks
import GlassDynamics
import Testing

/// The error of `--cutoff` measured by the benchmark's cutoff study.
@Suite struct CutoffStudyTests {
    /// The documented bound (docs/performance.md, "Cutoff error"): at r_c = 4, N = 2000,
    /// T = 0.05, the pooled E and ln Gamma distributions stay within Kolmogorov-Smirnov
    /// distance 0.01 of the exact ones and the DOS within L1 distance 0.25, and the median
    /// per-site shift of E is within a factor 1.5 of 0.49 J (n / r_c^3)^(1/2).
    @Test func cutoffErrorStaysWithinTheDocumentedBound() throws {
        var p = TLSParameters()
        p.sites = 2000
        let rc = 4.0
        var study = CutoffStudy(parameters: p, cutoffs: [rc])
        study.realizations = 4
        study.threads = 2
        let rows = try study.run()
        let row = try #require(rows.last)
        #expect(row.cutoff == rc)
        #expect(row.energyKS <= 0.01)
        #expect(row.lnGammaKS <= 0.01)
        #expect(row.dosL1 <= 0.25)
        let density = Double(p.sites) / pow(p.boxSide, 3)
        let law = 0.49 * (density / (rc * rc * rc)).squareRoot()
        #expect(row.medianShift > law / 1.5 && row.medianShift < law * 1.5)
    }
}
