import Foundation
import Testing
import GlassDynamics

/// `--cutoff r_c`: the truncated couplings are the exact ones inside r_c and zero outside, and
/// the error they cause stays within the bound documented in docs/performance.md.
@Suite struct CutoffTests {
    /// Cell lists find exactly the pairs closer than r_c, with the exact kernel's values.
    @Test func truncatedCouplingsAreTheExactOnesInsideTheCutoff() throws {
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

    @Test func cutoffBeyondHalfTheBoxIsRefused() throws {
        var p = TLSParameters()
        p.sites = 1000  // L = 9
        p.cutoff = 4.6
        #expect(throws: ParameterError.self) { try p.validate() }
        p.cutoff = 0
        #expect(throws: ParameterError.self) { try p.validate() }
        p.cutoff = 4.4
        #expect(throws: Never.self) { try p.validate() }
    }
}
