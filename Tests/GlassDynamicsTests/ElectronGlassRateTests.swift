import Foundation
import Testing
import GlassDynamics

/// The electron glass's rate matrix (Eq. 21-23): detailed balance, conservation, the
/// spectrum's sign structure, the two eigensolvers, and the stable logarithms it is built from.
@Suite struct ElectronGlassRateTests {
    /// A solved realization (N sites, T, xi = 0.1) and its Miller-Abrahams rates.
    static func solved(n: Int, t: Double, seed: UInt64 = 3) -> (EGSystem, EGMeanField.Solution, MillerAbrahams) {
        var p = EGParameters()
        p.sites = n
        p.temperature = t
        let system = EGSystem(parameters: p, seed: seed, realization: 0)
        let solution = EGMeanField.solve(system, couplings: system.denseCouplings(threads: 2))
        let rates = MillerAbrahams(box: system.box, energies: solution.energies,
                                   chemicalPotential: solution.chemicalPotential,
                                   temperature: t, localizationLength: p.localizationLength)
        return (system, solution, rates)
    }

    /// Detailed balance gamma_ij = gamma_ji (relative 1e-10) for every pair at T = 0.05,
    /// xi = 0.1, N = 1000, where the rates span hundreds of decades; every log-rate is
    /// finite, and each matches the closed form of the symmetric element,
    /// gamma_ij / sqrt(D_i D_j) = exp(-r/xi) / (2 sinh(|E_i - E_j| / 2T)), an independent
    /// formula without occupations.
    @Test func detailedBalanceHoldsAcrossHundredsOfDecades() throws {
        let t = 0.05
        let (system, solution, ma) = Self.solved(n: 1000, t: t)
        #expect(solution.report.converged)
        let n = 1000
        var worst = 0.0, worstClosed = 0.0
        var lo = Double.infinity, hi = -Double.infinity
        let lnD = ma.logRates.logWeights
        for i in 0..<n {
            for j in (i + 1)..<n {
                let a = ma.logRate(from: i, to: j), b = ma.logRate(from: j, to: i)
                #expect(a.isFinite && b.isFinite)
                worst = max(worst, abs(expm1(a - b)))
                lo = min(lo, a); hi = max(hi, a)
                let z = abs(solution.energies[i] - solution.energies[j]) / t
                let closed = -system.box.distance(i, j) / 0.1 - (0.5 * z + log(-expm1(-z)))
                let built = a - 0.5 * (lnD[i] + lnD[j])
                worstClosed = max(worstClosed, abs(expm1(built - closed)))
            }
        }
        #expect(worst < 1e-10)
        #expect(worstClosed < 1e-10)
        // More than 200 decades between the slowest and the fastest hop.
        #expect((hi - lo) / log(10) > 200)
    }

    /// The general form is A itself: every column sums to zero (to rounding of its diagonal),
    /// off-diagonal elements are positive, and the symmetric form is its symmetrisation,
    /// S_ij^2 = A_ij A_ji with the same diagonal.
    @Test func columnsSumToZeroAndSymmetricFormMatchesA() throws {
        let (_, _, ma) = Self.solved(n: 400, t: 0.1)
        let (a, lnA) = RateMatrixBuilder.build(ma.logRates, form: .general, threads: 2)
        let (s, lnS) = RateMatrixBuilder.build(ma.logRates, form: .symmetric, threads: 1)
        #expect(lnA == lnS)
        let n = 400
        var largest = 0.0
        for j in 0..<n {
            var sum = 0.0, magnitude = 0.0
            for i in 0..<n {
                sum += a[i, j]
                magnitude += abs(a[i, j])
                if i != j { #expect(a[i, j] >= 0) }
                largest = max(largest, i == j ? 0 : a[i, j])
            }
            #expect(abs(sum) <= Double(n) * Double.ulpOfOne * magnitude)
            #expect(s[j, j] == a[j, j])
            // (Where all three are normal numbers; elsewhere one of them underflowed, harmlessly.)
            for i in (j + 1)..<n where a[i, j] > 1e-150 && a[j, i] > 1e-150 {
                #expect(abs(s[i, j] * s[i, j] / (a[i, j] * a[j, i]) - 1) < 1e-12)
            }
        }
        // Scaled so that the largest off-diagonal rate is exactly 1.
        #expect(abs(largest - 1) < 1e-15)
    }

    /// N = 1000, T = 0.1, xi = 0.1: exactly one eigenvalue at numerical zero, every other one
    /// negative and above the floor.
    @Test func exactlyOneZeroEigenvalueAndTheRestNegative() throws {
        let (_, _, ma) = Self.solved(n: 1000, t: 0.1)
        let (m, lnC) = RateMatrixBuilder.build(ma.logRates, form: .symmetric, threads: 2)
        let lambda = try Eigenvalues.symmetric(m)
        let spectrum = RateSpectrum(scaledEigenvalues: lambda, logScale: lnC, routine: .dsyevd)
        #expect(spectrum.zeroEigenvalues == 1)
        #expect(spectrum.belowFloor == 0)
        #expect(spectrum.positive == 0)
        #expect(spectrum.rates.count == 999)
        #expect(spectrum.rates.allSatisfy { $0 > spectrum.floor })
        // The largest eigenvalue is the zero mode; the next is clearly negative.
        #expect(abs(lambda[999]) <= 1000 * Double.ulpOfOne * abs(lambda[0]))
        #expect(lambda[998] < -1000 * Double.ulpOfOne * abs(lambda[0]))
    }

    /// Two sites: the spectrum is known in closed form. Miller-Abrahams: 0 and
    /// -(G/D_1 + G/D_2); bare: 0 and -2 exp(-r/xi).
    @Test func twoSiteSpectraAreExact() throws {
        let box = PeriodicBox(dimension: 2, side: 10, coordinates: [1, 1, 1.3, 1.4])   // r = 0.5
        let ma = MillerAbrahams(box: box, energies: [0.13, -0.07], chemicalPotential: 0.01,
                                temperature: 0.05, localizationLength: 0.1)
        let r = ma.logRates
        let g = r.logCoupling(1, 0)
        let expected = -(exp(g - r.logWeights[0]) + exp(g - r.logWeights[1]))
        for form in [RateMatrixBuilder.Form.symmetric, .general] {
            let (m, lnC) = RateMatrixBuilder.build(r, form: form)
            let s = form == .symmetric
                ? RateSpectrum(scaledEigenvalues: try Eigenvalues.symmetric(m), logScale: lnC, routine: .dsyevd)
                : RateSpectrum(scaledEigenvalues: try Eigenvalues.general(m).real, logScale: lnC, routine: .dgeev)
            #expect(s.zeroEigenvalues == 1)
            #expect(s.rates.count == 1)
            #expect(abs(s.rates[0] / -expected - 1) < 1e-13)
        }
        let (m, lnC) = RateMatrixBuilder.build(.bare(box: box, localizationLength: 0.1), form: .symmetric)
        let s = RateSpectrum(scaledEigenvalues: try Eigenvalues.symmetric(m), logScale: lnC, routine: .dsyevd)
        #expect(abs(s.rates[0] / (2 * exp(-5.0)) - 1) < 1e-13)
    }

    /// dsyevd on D^-1/2 G D^-1/2 and dgeev on A agree on every resolvable eigenvalue
    /// (relative 1e-6), and dgeev's imaginary parts are rounding noise.
    @Test func symmetricAndGeneralEigensolversAgree() throws {
        let (_, _, ma) = Self.solved(n: 300, t: 0.1)
        let (s, lnS) = RateMatrixBuilder.build(ma.logRates, form: .symmetric)
        let (a, lnA) = RateMatrixBuilder.build(ma.logRates, form: .general)
        let sym = RateSpectrum(scaledEigenvalues: try Eigenvalues.symmetric(s), logScale: lnS, routine: .dsyevd)
        let (re, im) = try Eigenvalues.general(a)
        let gen = RateSpectrum(scaledEigenvalues: re, imaginary: im, logScale: lnA, routine: .dgeev)
        #expect(sym.rates.count == 299)
        #expect(gen.rates.count == sym.rates.count)
        #expect(gen.zeroEigenvalues == 1 && gen.positive == 0)
        var worst = 0.0
        try #require(sym.rates.count == gen.rates.count)
        for (x, y) in zip(sym.rates, gen.rates) { worst = max(worst, abs(x / y - 1)) }
        #expect(worst < 1e-6)
        #expect(gen.largestImaginaryPart < 1e-10)
    }

    /// The logarithms against direct evaluation where that is accurate, and against the
    /// asymptotic forms where it under- or overflows.
    @Test func thermalLogarithmsAreAccurateEverywhere() throws {
        for x in [-30.0, -3, -0.5, 0, 0.7, 4, 25] {
            #expect(abs(ThermalLogs.logFermi(x) - log(1 / (exp(x) + 1))) < 1e-14 * max(1, abs(x)))
        }
        #expect(ThermalLogs.logFermi(1000) == -1000)        // -x - ln(1 + e^-x)
        #expect(ThermalLogs.logFermi(-1000) == -exp(-1000.0))
        for z in [1e-12, 1e-3, 0.5, 0.999, 1.0, 3, 30] {
            // Small z: the series -ln z - z/2 - z^2/24 + O(z^4) (e^z - 1 itself cancels there).
            let reference = z < 0.01 ? -log(z) - z / 2 - z * z / 24 : log(1 / (exp(z) - 1))
            #expect(abs(ThermalLogs.logBose(z) - reference) < 1e-13 * max(1, abs(reference)))
            #expect(abs(ThermalLogs.logBosePlusOne(z) - (reference + z)) < 1e-13 * max(1, abs(reference)))
        }
        #expect(ThermalLogs.logBose(800) == -800)
        #expect(ThermalLogs.logBosePlusOne(800) == 0)
        // Equal energies: large but finite.
        #expect(ThermalLogs.logPhononFactor(0, temperature: 0.1).isFinite)
        // ln(N + 1) - ln N = |dE| / T for every dE: emission over absorption is e^(|dE|/T).
        for d in [1e-9, 0.01, 0.3, 2.0] {
            let t = 0.05
            let ratio = ThermalLogs.logPhononFactor(d, temperature: t) - ThermalLogs.logPhononFactor(-d, temperature: t)
            #expect(abs(ratio - d / t) < 1e-12 * max(1, d / t))
        }
    }
}
