import Foundation
import Testing
import GlassDynamics

/// Independent restatement of MODEL.md's response functions, so the residual test does not
/// trust the code under test.
private func referenceResponse(_ d: Double, _ d0: Double, _ t: Double, _ p: TLSParameters) -> Double {
    switch (p.sz, p.convention) {
    case (.meanfield, .paper), (.tap, .paper): return tanh(d / (2 * t))
    case (.meanfield, .scripts), (.tap, .scripts):
        let e = (d < 0 ? -1.0 : 1.0) * (d * d + d0 * d0).squareRoot()
        return tanh(e / (2 * t))
    case (.exact, _):
        let e = (d * d + d0 * d0).squareRoot()
        return d / e * tanh(e / (2 * t))
    }
}

/// max_i |D_i - Delta_i - c sum_j J_ij m_j| with J_ij recomputed pair by pair from positions.
private func referenceResidual(_ system: TLSSystem, _ d: [Double]) -> Double {
    let p = system.parameters
    let c = p.convention == .paper ? 0.25 : 1.0
    let m = d.indices.map { referenceResponse(d[$0], system.tunneling[$0], p.temperature, p) }
    var worst = 0.0
    for i in d.indices {
        var field = 0.0
        for j in d.indices where j != i {
            let r = system.box.distance(i, j)
            // J_ij is defined rounded to single precision (TLSPairKernel): round the same way.
            field += Double(Float(p.interaction * system.streams.pairNormal(i, j) / (r * r * r))) * m[j]
        }
        worst = max(worst, abs(d[i] - system.asymmetry[i] - c * field))
    }
    return worst
}

@Suite struct TLSMeanFieldTests {
    static func parameters(n: Int = 300, t: Double = 0.05) -> TLSParameters {
        var p = TLSParameters()
        p.sites = n
        p.temperature = t
        return p
    }

    /// Eq. 4 holds at the solution, for both conventions and both thermal averages, checked with
    /// couplings recomputed independently of the solver's storage.
    @Test(arguments: [MeanFieldConvention.paper, .scripts], [SzRule.meanfield, .exact])
    func convergedSolutionSatisfiesEquation4(convention: MeanFieldConvention, sz: SzRule) throws {
        var p = Self.parameters()
        p.convention = convention
        p.sz = sz
        let system = TLSSystem(parameters: p, seed: 11, realization: 2)
        let (d, report) = TLSMeanField.solve(system, couplings: system.denseCouplings())
        #expect(report.converged)
        #expect(report.residual <= p.resolvedTolerance)
        // Independent summation order differs from BLAS: allow rounding on top of the tolerance.
        #expect(referenceResidual(system, d) <= p.resolvedTolerance + 1e-9)
    }

    @Test func annealedSolutionAlsoSatisfiesEquation4() throws {
        var p = Self.parameters(n: 200)
        p.convention = .scripts
        p.anneal = AnnealProtocol()
        let system = TLSSystem(parameters: p, seed: 5, realization: 0)
        let (d, report) = TLSMeanField.solve(system, couplings: system.denseCouplings())
        #expect(report.converged)
        #expect(report.sweeps > 20)  // 21 solves at least one sweep each
        #expect(referenceResidual(system, d) <= p.resolvedTolerance + 1e-9)
    }

    /// J = 0: the mean field is the bare asymmetry, D_i = Delta_i exactly.
    @Test func withoutInteractionsDEqualsDelta() throws {
        var p = Self.parameters()
        p.interaction = 0
        let system = TLSSystem(parameters: p, seed: 3, realization: 0)
        let (d, report) = TLSMeanField.solve(system, couplings: system.denseCouplings())
        #expect(report.converged)
        #expect(d == system.asymmetry)
    }

    /// Gamma = a Delta0^2 |E| coth(|E| / 2T), its E -> 0 limit 2 a T Delta0^2, and its
    /// high-energy limit a Delta0^2 |E|.
    @Test func rateMatchesEquation12AndItsLimits() throws {
        let t = 0.1, a = 2.5, d0 = 1e-3
        for e in [-3.0, -0.2, 0.05, 1.0] {
            let expected = a * d0 * d0 * abs(e) * cosh(abs(e) / (2 * t)) / sinh(abs(e) / (2 * t))
            #expect(abs(TLSMeanField.rate(energy: e, tunneling: d0, temperature: t, prefactor: a) / expected - 1) < 1e-13)
        }
        #expect(abs(TLSMeanField.rate(energy: 0, tunneling: d0, temperature: t, prefactor: a) / (2 * a * t * d0 * d0) - 1) < 1e-15)
        #expect(abs(TLSMeanField.rate(energy: 50, tunneling: d0, temperature: t, prefactor: a) / (a * d0 * d0 * 50) - 1) < 1e-15)
    }

    @Test func energyCarriesTheSignOfD() throws {
        #expect(TLSMeanField.energy(-3, tunneling: 4) == -5)
        #expect(TLSMeanField.energy(3, tunneling: 4) == 5)
    }

    /// The couplings: u_ij = u_ji exactly, and J_ij r_ij^3 / J has mean 0 and variance 1.
    @Test func couplingsAreSymmetricWithVarianceJSquared() throws {
        var p = Self.parameters(n: 400)
        p.interaction = 0.7
        let system = TLSSystem(parameters: p, seed: 9, realization: 1)
        let k = system.denseCouplings()
        var xs = [Double]()
        for i in 0..<p.sites {
            #expect(k[i, i] == 0)
            for j in (i + 1)..<p.sites {
                #expect(k[i, j] == k[j, i])
                let r = system.box.distance(i, j)
                xs.append(k[i, j] * r * r * r)
            }
        }
        let n = Double(xs.count)
        let mean = xs.reduce(0, +) / n
        let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        #expect(abs(mean) < 5 * 0.7 / n.squareRoot())
        #expect(abs(variance / 0.49 - 1) < 5 * (2 / n).squareRoot())
    }
}
