import Foundation
import Testing
import GlassDynamics

/// The electron glass's full linearised rate matrix A = -L (D^-1 + C/T) (issue #11).
@Suite struct LinearDynamicsElectronGlassTests {
    static func solved(n: Int, t: Double, xi: Double, e2: Double = 1, seed: UInt64 = 5) -> (EGSystem, EGMeanField.Solution) {
        var p = EGParameters()
        p.sites = n
        p.interaction = e2
        p.temperature = t
        p.localizationLength = xi
        let system = EGSystem(parameters: p, seed: seed, realization: 0)
        let solution = EGMeanField.solve(system, couplings: system.denseCouplings(threads: 2))
        return (system, solution)
    }

    /// e^2 = 0 in the direct term only: dsygvd (itype 2, B = I) gives today's dsyevd rates
    /// (N = 400, T = 0.1, xi = 0.1): same counts of resolved, zero and floor modes, and every
    /// rate equal to 1e-12 of the fastest.
    @Test func withoutDirectTermRatesEqualTodaysDsyevdRates() throws {
        let (system, solution) = Self.solved(n: 400, t: 0.1, xi: 0.1)
        #expect(solution.report.converged)
        let lin = EGLinearization(system: system, solution: solution, includeDirectTerm: false)
        let (stability, full) = try lin.spectrum()
        let s1 = try #require(full)
        #expect(stability == .localMinimum)
        let (m, logScale) = RateMatrixBuilder.build(lin.rates, form: .symmetric)
        let s0 = RateSpectrum(scaledEigenvalues: try Eigenvalues.symmetric(m), logScale: logScale, routine: .dsyevd)
        #expect(s0.rates.count == s1.rates.count)
        #expect(s0.zeroEigenvalues == s1.zeroEigenvalues && s0.belowFloor == s1.belowFloor)
        var worst = 0.0
        for k in 0..<min(s0.rates.count, s1.rates.count) { worst = max(worst, abs(s0.rates[k] - s1.rates[k])) }
        print("EG K=0: \(s0.rates.count) rates, max |dGamma| / Gamma_max = \(worst / s0.largestRate), below floor \(s0.belowFloor)")
        #expect(worst <= 1e-12 * s0.largestRate)
    }

    /// With the direct term (N = 120, T = 0.1, xi = 0.3 so that every mode is resolvable):
    /// columns of the explicit A sum to zero; exactly one zero mode and none below the floor;
    /// dgeev on the explicit non-symmetric A gives real eigenvalues equal to the dsygvd rates.
    @Test func fullMatrixAgreesWithDgeevAndConservesParticles() throws {
        let (system, solution) = Self.solved(n: 120, t: 0.1, xi: 0.3)
        #expect(solution.report.converged)
        let lin = EGLinearization(system: system, solution: solution)
        let (stability, full) = try lin.spectrum()
        #expect(stability == .localMinimum)
        let s = try #require(full)
        #expect(s.zeroEigenvalues == 1)
        #expect(s.belowFloor == 0 && s.positive == 0)
        #expect(s.rates.count == 119)

        let (a, logScale) = lin.explicitRateMatrix()
        let n = lin.count
        var worstColumn = 0.0
        for j in 0..<n {
            var sum = 0.0, abssum = 0.0
            for i in 0..<n { sum += a[i, j]; abssum += abs(a[i, j]) }
            worstColumn = max(worstColumn, abs(sum) / abssum)
        }
        #expect(worstColumn < 1e-13)

        // The direct term must matter here, or the comparison below tests nothing new.
        let paper = try #require(try EGLinearization(system: system, solution: solution, includeDirectTerm: false).spectrum().spectrum)
        let shift = zip(paper.rates, s.rates).map { abs(log($1 / $0)) }.max()!
        #expect(shift > 0.05)

        let (re, im) = try Eigenvalues.general(a)
        let g = RateSpectrum(scaledEigenvalues: re, imaginary: im, logScale: logScale, routine: .dgeev)
        #expect(g.largestImaginaryPart < 1e-12)
        #expect(g.zeroEigenvalues == 1 && g.positive == 0)
        #expect(g.rates.count == s.rates.count)
        var worst = 0.0, worstAbove = 0.0
        for k in 0..<min(g.rates.count, s.rates.count) {
            let r = abs(g.rates[k] / s.rates[k] - 1)
            worst = max(worst, r)
            if s.rates[k] > 1e-6 * s.largestRate { worstAbove = max(worstAbove, r) }
        }
        print("EG dgeev: column sums \(worstColumn), max |Im|/max|lambda| \(g.largestImaginaryPart), max rel diff \(worst) (rates > 1e-6 Gmax: \(worstAbove)), direct-term shift max |d ln Gamma| \(shift), slowest \(s.rates[0]) fastest \(s.largestRate)")
        #expect(worstAbove < 1e-9)
        #expect(worst < 1e-6)
    }

    /// Two sites at distance r with E = mu +- delta (n(1-n) = D for both): A = -L (D^-1 + C/T)
    /// has the one rate Gamma = 2 gamma0 (1/D - e^2/(T r)) and B = I + K has the eigenvalue
    /// 1 - D e^2 / (T r): above T_c = D e^2 / r the rate matches, below it the Cholesky factor
    /// fails and the saddle is reported.
    @Test func twoSiteRateAndSaddleAreAnalytic() throws {
        let box = PeriodicBox(dimension: 2, side: 10, coordinates: [1, 1, 2, 1])
        let e2 = 1.0, r = 1.0, delta = 0.05, xi = 0.5
        for (t, stable) in [(0.4, true), (0.26, true), (0.2, false), (0.1, false)] {
            let ma = MillerAbrahams(box: box, energies: [delta, -delta], chemicalPotential: 0, temperature: t, localizationLength: xi)
            let lin = EGLinearization(rates: ma.logRates, box: box, directCoupling: e2, temperature: t)
            let d = exp(ma.logRates.logWeights[0])
            let tc = d * e2 / r
            #expect((t > tc) == stable)
            let (stability, spectrum) = try lin.spectrum()
            if stable {
                #expect(stability == .localMinimum)
                let gamma0 = exp(ma.logRate(from: 0, to: 1))
                let expected = 2 * gamma0 * (1 / d - e2 / (t * r))
                let s = try #require(spectrum)
                #expect(s.rates.count == 1)
                #expect(abs(s.rates[0] / expected - 1) < 1e-12)
            } else {
                #expect(stability == .notPositiveDefinite)
                #expect(spectrum == nil)
            }
        }
    }

    /// Aging weights of a site-potential perturbation (N = 80, xi = 0.3, all modes resolved):
    /// their sum is the static particle-conserving response
    /// [p^T B^-1 p - (p^T B^-1 u)^2 / (u^T B^-1 u)] / T, p = D^1/2 delta phi, u = D^1/2 1,
    /// computed by dposv without any eigenvector.
    @Test func agingWeightsSumToStaticResponse() throws {
        let (system, solution) = Self.solved(n: 80, t: 0.1, xi: 0.3)
        let lin = EGLinearization(system: system, solution: solution)
        let n = lin.count
        var rng = LinearDynamicsRandom(seed: 11)
        let phi = (0..<n).map { _ in rng.next() - 0.5 }
        let result = try #require(try lin.modes(potential: phi))
        #expect(result.stability == .localMinimum)
        #expect(result.modes.count == n - 1)
        let total = result.modes.reduce(0) { $0 + $1.weight! }
        let sqrtD = lin.rates.logWeights.map { exp(0.5 * $0) }
        let p = (0..<n).map { sqrtD[$0] * phi[$0] }
        let x = try #require(try LinearAlgebra.solvePositiveDefinite(lin.directTermMatrix(), p + sqrtD))
        let bp = Array(x[0..<n]), bu = Array(x[n..<(2 * n)])
        func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
        let expected = (dot(p, bp) - dot(p, bu) * dot(p, bu) / dot(sqrtD, bu)) / lin.temperature
        print("EG weights: sum \(total) static \(expected)")
        #expect(abs(total / expected - 1) < 1e-9)
        #expect(result.modes.allSatisfy { $0.participationRatio >= 1 - 1e-12 && $0.participationRatio <= Double(n) + 1e-9 })
    }
}

/// A tiny deterministic generator for test vectors.
struct LinearDynamicsRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53)
    }
}
