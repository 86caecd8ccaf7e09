import Foundation
import Testing
import GlassDynamics

/// The TLS glass's full linear rate matrix A = -Gamma + diag(Gamma chi) f J (issue #11).
@Suite struct LinearDynamicsTLSTests {
    static func solved(n: Int, t: Double, convention: MeanFieldConvention = .paper, sz: SzRule = .meanfield,
                       seed: UInt64 = 7) -> (TLSSystem, [Double], SolverReport) {
        var p = TLSParameters()
        p.sites = n
        p.temperature = t
        p.convention = convention
        p.sz = sz
        let system = TLSSystem(parameters: p, seed: seed, realization: 0)
        let (d, report) = TLSMeanField.solve(system, couplings: system.denseCouplings(threads: 2))
        return (system, d, report)
    }

    /// A against a central finite-difference Jacobian of the nonlinear dynamics
    /// m -> -Gamma (m - m(Delta + f J m)) at the solved fixed point (N = 30, T = 0.1), for the
    /// paper and scripts conventions and the exact <S^z> rule: every element within 1e-7 of
    /// its row's Gamma_i (a wrong chi, f or sign is off by order 1). T = 0.5, so that many TLSs
    /// are thermal and the coupling term is a sizeable part of every row (checked).
    @Test(arguments: [(MeanFieldConvention.paper, SzRule.meanfield), (.scripts, .meanfield), (.paper, .exact), (.scripts, .exact)])
    func rateMatrixIsTheJacobianOfTheMeanFieldDynamics(convention: MeanFieldConvention, sz: SzRule) throws {
        let (system, d, report) = Self.solved(n: 30, t: 0.5, convention: convention, sz: sz)
        #expect(report.converged)
        let lin = TLSLinearization(system: system, equilibrium: d)
        let a = lin.explicitRateMatrix()
        let m0 = lin.equilibriumResponse
        let n = lin.count
        // The fixed point: the velocity vanishes to the solver tolerance.
        let v0 = lin.velocity(m0)
        #expect(zip(v0, lin.rates).allSatisfy { abs($0) <= 1e-6 * $1 })
        let h = 1e-6
        var worst = 0.0, largestOff = 0.0
        for j in 0..<n {
            var mp = m0, mm = m0
            mp[j] += h; mm[j] -= h
            let fp = lin.velocity(mp), fm = lin.velocity(mm)
            for i in 0..<n {
                let fd = (fp[i] - fm[i]) / (2 * h)
                worst = max(worst, abs(fd - a[i, j]) / lin.rates[i])
                if i != j { largestOff = max(largestOff, abs(a[i, j]) / lin.rates[i]) }
            }
        }
        print("TLS FD Jacobian (\(convention), \(sz)): max |A - FD| / Gamma_i = \(worst), largest off-diagonal / Gamma_i = \(largestOff)")
        #expect(worst < 1e-7)
        #expect(largestOff > 1e-2)
    }

    /// The rates (graded route) against an independent non-symmetric route, N = 30, T = 0.1:
    /// dgeev on the explicit A for rates above the splice point and dgeev on A^-1 (by dgesv)
    /// below it, so that each is read where LU/Hessenberg QR resolve it relative to itself.
    /// All eigenvalues real; all 30 rates, spanning 12 decades, agree within 1e-8. dgeev on A
    /// alone is off by up to ~1e-5 on the slowest rates (printed), which is why the reference
    /// takes A^-1 there. The relative change against the diagonal Gamma_i is resolved (> 1e-6,
    /// about 1e4 times the agreement).
    @Test func ratesAgreeWithDgeevOnExplicitMatrix() throws {
        let (system, d, report) = Self.solved(n: 30, t: 0.1)
        #expect(report.converged)
        let lin = TLSLinearization(system: system, equilibrium: d)
        let s = try lin.spectrum(method: .graded)
        #expect(s.stability == .localMinimum)
        try #require(s.rates.count == 30)
        let (re, im) = try Eigenvalues.general(lin.explicitRateMatrix())
        let maxRate = s.rates.last!
        #expect(im.allSatisfy { abs($0) <= 1e-13 * maxRate })
        let inverse = try #require(try LinearAlgebra.inverse(lin.explicitRateMatrix()))
        let (ri, ii) = try Eigenvalues.general(inverse)
        #expect(zip(ri, ii).allSatisfy { abs($1) <= 1e-13 * abs($0) })
        let direct = re.map { -$0 }.sorted(), viaInverse = ri.map { -1 / $0 }.sorted()
        var worst = 0.0, worstDirect = 0.0, change = 0.0
        for k in 0..<30 {
            let reference = viaInverse[k] < s.splice ? viaInverse[k] : direct[k]
            worst = max(worst, abs(reference / s.rates[k] - 1))
            worstDirect = max(worstDirect, abs(direct[k] / s.rates[k] - 1))
            change = max(change, abs(s.rates[k] / s.diagonalRates[k] - 1))
        }
        print("TLS dgeev: max rel diff \(worst) (dgeev on A alone \(worstDirect)) over rates \(s.rates.first!)...\(maxRate); max rel change vs diagonal \(change); route disagreement \(s.routeDisagreement)")
        #expect(worst < 1e-8)
        #expect(change > 1e-6)
        // Rayleigh bounds: lambda_min(M) <= min_i M_ii = min Gamma_i, lambda_max >= max Gamma_i,
        // the latter up to dsyevd's absolute error N eps max Gamma (the fastest TLS here is
        // nearly decoupled, so lambda_max = max Gamma_i to rounding; with one OpenBLAS thread
        // it comes out 1 ulp below).
        #expect(s.rates.first! <= s.diagonalRates.first!)
        #expect(s.rates.last! >= s.diagonalRates.last! * (1 - 30 * Double.ulpOfOne))
        #expect(s.routeDisagreement < 1e-8)
    }

    /// Two TLSs with rates 1e-2 and 1e-14 (12 decades): M = [[G1, -b], [-b, G2]],
    /// b = f sqrt(G1 chi1 G2 chi2) J, has the slow eigenvalue
    /// det / lambda_fast = G1 G2 (1 - f^2 chi1 chi2 J^2) / lambda_fast. The graded route gets it
    /// to 1e-12 (so does dsyevd here: its 2 x 2 case is the closed form). Beyond f^2 chi1 chi2 J^2 = 1 the
    /// fixed point is unstable and is reported so.
    @Test func twoTLSSlowRateIsResolvedAndInstabilityReported() throws {
        let box = PeriodicBox(dimension: 3, side: 5, coordinates: [0, 0, 0, 1, 0, 0])
        let t = 0.1, f = 0.25
        // D = 0.05, 0.02; Delta0 chosen so that Gamma = 1e-2 and 1e-14.
        let d = [0.05, 0.02]
        func d0(for gamma: Double, _ di: Double) -> Double {
            var x = 1e-3
            for _ in 0..<60 {
                let g = TLSMeanField.rate(energy: TLSMeanField.energy(di, tunneling: x), tunneling: x, temperature: t, prefactor: 1)
                x *= (gamma / g).squareRoot()
            }
            return x
        }
        let tunneling = [d0(for: 1e-2, d[0]), d0(for: 1e-14, d[1])]
        for (j, stable) in [(0.5, true), (3.0, false)] {
            let lin = TLSLinearization(box: box, bias: d, equilibrium: d, tunneling: tunneling, temperature: t,
                                       rule: .meanfield, convention: .paper, fieldPrefactor: f, ratePrefactor: 1,
                                       coupling: { i, k in i == k ? 0 : j })
            let g1 = lin.rates[0], g2 = lin.rates[1], c1 = lin.susceptibilities[0], c2 = lin.susceptibilities[1]
            #expect(abs(g2 / 1e-14 - 1) < 1e-9)
            let q = f * f * c1 * c2 * j * j
            #expect((q < 1) == stable)
            let s = try lin.spectrum(method: .graded)
            if stable {
                let b2 = q * g1 * g2
                let fast = 0.5 * (g1 + g2) + (0.25 * (g1 - g2) * (g1 - g2) + b2).squareRoot()
                let slow = g1 * g2 * (1 - q) / fast
                #expect(s.stability == .localMinimum)
                try #require(s.rates.count == 2)
                #expect(abs(s.rates[0] / slow - 1) < 1e-12)
                #expect(abs(s.rates[1] / fast - 1) < 1e-12)
                let plain = try lin.spectrum(method: .symmetric)
                print("TLS 2x2: slow \(slow) graded \(s.rates[0]) symmetric \(plain.rates.first ?? .nan) (q = \(q))")
            } else {
                #expect(s.stability == .notPositiveDefinite)
                #expect(s.rates.isEmpty)
                #expect(try lin.spectrum(method: .symmetric).stability == .positiveEigenvalue)
            }
        }
    }

    /// Aging weights of an asymmetry shift h (N = 40): their sum over all modes is the static
    /// response h^T (chi^-1 - f J)^-1 h = h^T chi^1/2 P^-1 chi^1/2 h, computed by dposv without
    /// eigenvectors; the modes are as many as the sites and their rates are the spectrum's.
    @Test func agingWeightsSumToStaticSusceptibility() throws {
        let (system, d, _) = Self.solved(n: 40, t: 0.1)
        let lin = TLSLinearization(system: system, equilibrium: d)
        var rng = LinearDynamicsRandom(seed: 3)
        let h = (0..<40).map { _ in rng.next() - 0.5 }
        let result = try #require(try lin.modes(perturbation: h))
        #expect(result.modes.count == 40)
        let spectrumRates = result.spectrum.rates
        let modeRates = result.modes.map(\.rate)
        #expect(zip(spectrumRates, modeRates).allSatisfy { abs($0 / $1 - 1) < 1e-12 })
        let total = result.modes.reduce(0) { $0 + $1.weight! }
        let root = lin.susceptibilities.map { $0.squareRoot() }
        let rhs = (0..<40).map { root[$0] * h[$0] }
        let x = try #require(try LinearAlgebra.solvePositiveDefinite(lin.stabilityMatrix(), rhs))
        let expected = zip(rhs, x).reduce(0) { $0 + $1.0 * $1.1 }
        print("TLS weights: sum \(total) static \(expected)")
        #expect(abs(total / expected - 1) < 1e-9)
    }
}
