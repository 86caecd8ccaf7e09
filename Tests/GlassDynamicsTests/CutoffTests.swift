import Foundation
import Testing
import GlassDynamics

/// `--cutoff r_c`: the truncated couplings are the exact ones inside r_c and zero outside, and
/// the error they cause stays within the bound documented in docs/performance.md.
@Suite struct CutoffTests {
    /// Cell lists find exactly the pairs closer than r_c, with the exact kernel's values.
    @Test func truncatedCouplingsAreTheExactOnesInsideTheCutoff() {
        var p = TLSParameters()
        p.sites = 700
        let system = TLSSystem(parameters: p, seed: 4, realization: 2)
        let rc = 3.1
        let cut = CutoffTLSCouplings(system: system, cutoff: rc, threads: 2)
        var inside = 0
        for i in 0..<p.sites {
            for j in (i + 1)..<p.sites {
                let r = system.box.distance(i, j)
                let v = cut.coupling(i, j)
                #expect(v == cut.coupling(j, i))
                if abs(r - rc) < 1e-9 { continue }  // the boundary itself is a rounding choice
                if r < rc {
                    inside += 1
                    #expect(v == system.coupling(i, j))
                } else {
                    #expect(v == 0)
                }
            }
        }
        #expect(cut.pairEvaluations == inside)
        // Expected neighbours of a Poisson configuration: (4 pi / 3) r_c^3 n per site.
        let density = Double(p.sites) / pow(p.boxSide, 3)
        let expected = 4 / 3 * Double.pi * rc * rc * rc * density
        #expect(abs(cut.meanNeighbours / expected - 1) < 0.1)
    }

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

    @Test func cutoffBeyondHalfTheBoxIsRefused() {
        var p = TLSParameters()
        p.sites = 1000  // L = 9
        p.cutoff = 4.6
        #expect(throws: GlassDynamicsError.self) { try p.validate() }
        p.cutoff = 0
        #expect(throws: GlassDynamicsError.self) { try p.validate() }
        p.cutoff = 4.4
        #expect(throws: Never.self) { try p.validate() }
    }
}
