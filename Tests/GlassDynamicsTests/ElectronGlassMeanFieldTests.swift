import Foundation
import Testing
import GlassDynamics

/// Eq. 20 of the electron glass: the solution, half filling, the flat DOS without
/// interactions and the Coulomb gap with them.
@Suite struct ElectronGlassMeanFieldTests {
    static func parameters(n: Int = 1000, t: Double = 0.1, j: Double = 1) -> EGParameters {
        var p = EGParameters()
        p.sites = n
        p.temperature = t
        p.interaction = j
        return p
    }

    static func experiment(_ p: EGParameters, realizations: Int, threads: Int = 2) -> EGExperiment {
        var s = RunSettings()
        s.realizations = realizations
        s.threads = threads
        s.quiet = true
        return EGExperiment(parameters: p, settings: s)
    }

    /// The solution satisfies Eq. 20 checked by a plain double loop (no solver machinery):
    /// max_i |E_i - eps_i + (1/2) sum_j (J / r_ij) tanh((E_j - mu) / 2T)| <= tol, and half
    /// filling holds to 1e-9, at T = 0.1 and at T = 0.02.
    @Test(arguments: [0.1, 0.02])
    func solutionSatisfiesEquationTwentyAtHalfFilling(t: Double) throws {
        let p = Self.parameters(t: t)
        let system = EGSystem(parameters: p, seed: 11, realization: 2)
        let s = EGMeanField.solve(system, couplings: system.denseCouplings(threads: 2))
        #expect(s.report.converged)
        #expect(abs(s.fillingError) < 1e-9)
        let occupied = s.occupations(temperature: t).reduce(0, +)
        #expect(abs(occupied - 500) < 1e-9)
        let m = s.energies.map { tanh(($0 - s.chemicalPotential) / (2 * t)) }
        var worst = 0.0
        for i in 0..<p.sites {
            var field = 0.0
            for j in 0..<p.sites where j != i { field += m[j] / system.box.distance(i, j) }
            worst = max(worst, abs(s.energies[i] - system.bareEnergies[i] + 0.5 * p.interaction * field))
        }
        #expect(worst <= 1.001 * p.resolvedTolerance)
    }

    /// The chemical potential by the bracketed root finder: half filling to 1e-9 for energies
    /// spread over decades, at temperatures from 10 down to 1e-4 (a near step function),
    /// and the same mu whatever the starting guess (to the root's tolerance).
    @Test func chemicalPotentialFixesHalfFilling() throws {
        let streams = RealizationStreams(seed: 5, realization: 0)
        let e = (0..<2000).map { k -> Double in
            let u = streams.uniform(.siteEnergy, index: k)
            return (u - 0.5) * (k % 7 == 0 ? 40 : 1)
        }
        for t in [10.0, 0.1, 0.01, 1e-4] {
            let mu = HalfFilling.chemicalPotential(e, temperature: t)
            #expect(abs(HalfFilling.fillingError(e, chemicalPotential: mu, temperature: t)) < 1e-9)
            let other = HalfFilling.chemicalPotential(e, temperature: t, guess: 3)
            #expect(abs(HalfFilling.fillingError(e, chemicalPotential: other, temperature: t)) < 1e-9)
        }
        // A decreasing function and a bracket endpoint that is the root.
        let r = BracketedRoot.solve(lower: 0, upper: 2, tolerance: 1e-14) { x in (2 - x * x, -2 * x) }
        #expect(r.converged && abs(r.root - 2.0.squareRoot()) < 1e-14)
        let edge = BracketedRoot.solve(lower: 1, upper: 3, tolerance: 0) { x in (x - 1, 1) }
        #expect(edge.root == 1)
    }

    /// J = 0: E_i = eps_i exactly, and the DOS of E - mu is flat at 1/W. Goodness of fit of
    /// the dos histogram's bins inside |E| < 0.4 W (where the random mu ~ W / sqrt(N) cannot
    /// reach an edge) to 1/W: chi-square below its 0.1% critical value (Wilson-Hilferty);
    /// and the pooled energies there pass Kolmogorov-Smirnov against the uniform law at 1%.
    @Test func withoutInteractionsTheDOSIsFlat() throws {
        var p = Self.parameters(j: 0)
        p.disorder = 1
        let result = try Self.experiment(p, realizations: 8).run()
        for r in result.realizations {
            #expect(r.outcome.solver.converged)
            let system = EGSystem(parameters: p, seed: 1, realization: r.outcome.index)
            // E - mu + mu = eps to the rounding of the subtraction.
            for i in 0..<p.sites { #expect(abs(r.outcome.energies[i] + r.chemicalPotential - system.bareEnergies[i]) < 1e-15) }
            #expect(abs(r.chemicalPotential) < 5 * 0.5 / Double(p.sites).squareRoot())
        }
        let dos = result.analysis.dos
        let total = Double(dos.total)
        var chi2 = 0.0, bins = 0
        for k in 0..<dos.binCount where abs(dos.center(k)) + dos.binWidth / 2 <= 0.4 {
            let expected = total * dos.binWidth / p.disorder
            let d = Double(dos.counts[k]) - expected
            chi2 += d * d / expected
            bins += 1
        }
        let z = 3.090   // 0.1% upper quantile of the standard normal
        let k = Double(bins)
        let critical = k * pow(1 - 2 / (9 * k) + z * (2 / (9 * k)).squareRoot(), 3)
        #expect(bins > 50)
        #expect(chi2 < critical, "chi2 = \(chi2) on \(bins) bins, 0.1% critical value \(critical)")
        let inner = result.outcomes.flatMap { $0.energies }.filter { abs($0) < 0.4 }
        let ks = KolmogorovSmirnov.statistic(inner) { ($0 + 0.4) / 0.8 }
        #expect(ks < KolmogorovSmirnov.criticalValue(sampleSize: inner.count, level: 0.01))
    }

    /// The Coulomb gap at J = W = 1, T = 0.02, N = 1000 (8 realizations): the DOS within T of
    /// mu is below a tenth of the J = 0 value 1/W, and between 2T and 0.3 the DOS grows
    /// linearly in |E|: the free line a + b|E| on ten bins passes through the origin within
    /// 3 sigma, and its slope agrees with the through-origin slope s within 3 sigma. (With
    /// hundreds of realizations a slight thermal rounding near 2T becomes visible: intercept
    /// -0.004 +- 0.002 at 200.) The slope per unit area is reported beside the ES value 2/pi.
    @Test func coulombGapIsLinearAtLowTemperature() throws {
        let result = try Self.experiment(Self.parameters(t: 0.02), realizations: 8).run()
        #expect(result.outcomes.allSatisfy { $0.solver.converged })
        let g = try #require(result.coulombGap)
        #expect(g.dosWithinT < 0.1 * 1.0)
        #expect(abs(g.intercept) <= 3 * g.interceptError, "intercept \(g.intercept) +- \(g.interceptError)")
        #expect(g.freeSlope > 0)
        #expect(abs(g.freeSlope - g.slope) <= 3 * (g.slopeError * g.slopeError + g.freeSlopeError * g.freeSlopeError).squareRoot())
        #expect(g.slopePerArea > 0.3 && g.slopePerArea < 1.5)
        #expect(abs(g.efrosShklovskii - 2 / Double.pi) < 1e-15)
        // The gap is a gap: DOS(0) is far below the DOS at 0.3.
        #expect(result.analysis.gapDepth < 0.1)
    }

    /// The scripts convention (E from [-10, 10], tolerance 1e-5) with the heat-and-cool
    /// protocol converges to a solution of the same equation at half filling.
    @Test func scriptsConventionWithAnnealingConverges() throws {
        var p = Self.parameters(n: 300, t: 0.1)
        p.convention = .scripts
        p.anneal = AnnealProtocol()
        #expect(p.resolvedTolerance == 1e-5 && p.resolvedInitialHalfWidth == 10)
        let system = EGSystem(parameters: p, seed: 4, realization: 0)
        let couplings = system.denseCouplings()
        let s = EGMeanField.solve(system, couplings: couplings)
        #expect(s.report.converged)
        #expect(abs(s.fillingError) < 1e-9)
        let eq = EGMeanField.equations(for: system, temperature: p.temperature)
        #expect(eq.residual(s.energies, shift: s.chemicalPotential, couplings: couplings) <= 1e-5)
    }
}
