import Foundation
import Testing
import GlassDynamics

/// The electron glass with `--coulomb-precision single`: the stored couplings are the double
/// ones rounded, and the mean-field solution and its DOS differ from the double run only by
/// that rounding (or by which of the nearby minima the blocked iteration settles in).
@Suite struct SinglePrecisionCouplingTests {
    /// Every stored K_ij is exactly Float(e^2 / r_ij) of the double path, K is symmetric with a
    /// zero diagonal, and the canonical product agrees with a plain double loop to 1e-12.
    @Test func storedCouplingsAreTheDoubleOnesRounded() throws {
        var p = EGParameters()
        p.sites = 203
        let system = EGSystem(parameters: p, seed: 3, realization: 1)
        let k = system.singlePrecisionCouplings(threads: 2)
        var m = [Double](repeating: 0, count: p.sites)
        for i in 0..<p.sites {
            m[i] = sin(Double(i))
            for j in 0..<p.sites {
                #expect(k.coupling(i, j) == (i == j ? 0 : Double(Float(system.coupling(i, j)))))
            }
        }
        let h = k.multiply(m)
        for i in 0..<p.sites {
            var s = 0.0
            for j in 0..<p.sites { s += k.coupling(i, j) * m[j] }
            #expect(abs(h[i] - s) < 1e-12)
        }
    }

    /// N = 1000, T = 0.05, 2 realizations, plain Gauss-Seidel on both (`single`): the rounding
    /// alone moves no energy E - mu by more than 1e-5 (measured: median 7e-8, max 3e-6) and
    /// leaves the sweep count unchanged. The blocked iteration (`single-blocked`) settles in
    /// other nearby minima (median |Delta E| about 0.01), with the same DOS: the pooled
    /// histograms (60 bins over [-1.5, 1.5]) differ by less than 0.15 in L1 (measured 0.087;
    /// two independent samples of 2000 energies differ by about 0.2).
    @Test func singlePrecisionMovesTheEnergiesByTheRoundingOnly() throws {
        var p = EGParameters()
        p.sites = 1000
        p.temperature = 0.05
        var blocked = [Double](), double = [Double]()
        for r in 0..<2 {
            let system = EGSystem(parameters: p, seed: 8, realization: r)
            let k = system.singlePrecisionCouplings(threads: 2)
            let a = EGMeanField.solve(system, couplings: UnbatchedCouplings(k))
            let b = EGMeanField.solve(system, couplings: system.denseCouplings(threads: 2))
            let c = EGMeanField.solve(system, couplings: k)
            #expect(a.report.converged && b.report.converged && c.report.converged)
            #expect(a.report.sweeps == b.report.sweeps)
            let ea = a.energies.map { $0 - a.chemicalPotential }, eb = b.energies.map { $0 - b.chemicalPotential }
            #expect(zip(ea, eb).map { abs($0 - $1) }.max()! < 1e-5)
            blocked += c.energies.map { $0 - c.chemicalPotential }
            double += eb
        }
        func histogram(_ e: [Double]) -> [Double] {
            var h = [Double](repeating: 0, count: 60)
            for x in e where abs(x) < 1.5 { h[min(59, Int((x + 1.5) / 0.05))] += 1 }
            return h.map { $0 / Double(e.count) }
        }
        let l1 = zip(histogram(blocked), histogram(double)).reduce(0) { $0 + abs($1.0 - $1.1) }
        #expect(l1 < 0.15)
    }
}
