import Foundation
import Testing
import GlassDynamics
import GlassDynamicsTestSupport

/// The electron glass's linear-response prediction of the KMC response protocol (issue #12,
/// section 3): O(t; t_w) = (1/N) sum_k w_k (1 - e^{-Gamma_k t_w}) e^{-Gamma_k t} for the
/// paper's matrix -L D^-1 and the full one -L (D^-1 + C/T).
@Suite struct EGResponsePredictionTests {
    /// A small solved realization where every mode is resolvable and the direct term is stable.
    static func solved(e2: Double = 1) -> (EGSystem, EGMeanField.Solution) {
        LinearDynamicsElectronGlassTests.solved(n: 8, t: 0.2, xi: 0.5, e2: e2, seed: 3)
    }

    static func curve(_ m: (rates: [Double], weights: [Double]), sites: Int, tw: Double, t: Double) -> Double {
        LinearResponsePrediction.curve(m, sites: sites, waitingTime: tw, times: [t])[0]
    }

    /// Independent route: d dn/dt = A dn - L delta phi / T with A the explicit matrix
    /// (``EGLinearization/explicitRateMatrix(threads:)``) and L assembled here from the same
    /// ln gamma0, integrated by RK4 through the protocol (field on for t_w from dn = 0, then
    /// off); -(1/N) delta phi . dn(t_w + t) equals the mode sum to 1e-8 of its size, for the
    /// paper's and the full matrix, at several t.
    @Test func modeSumEqualsIntegratedLinearDynamicsThroughTheProtocol() throws {
        let (system, solution) = Self.solved()
        #expect(solution.report.converged)
        let n = system.parameters.sites, temperature = system.parameters.temperature
        let h = 0.05
        let phi = system.responsePotential(strength: h)
        let prediction = try EGResponsePrediction(system: system, solution: solution, strength: h)
        #expect(prediction.fullStability == .localMinimum && prediction.paperStability == .localMinimum)
        #expect(prediction.unresolved.paper == 0 && prediction.unresolved.full == 0)
        let full = try #require(prediction.full)
        #expect(full.rates.count == n - 1 && prediction.paper.rates.count == n - 1)
        let slowest = full.rates.min()!, fastest = full.rates.max()!
        let tw = 1 / (slowest * fastest).squareRoot()
        let times = [0, tw / 3, tw, 3 * tw]
        var worst = 0.0, worstGap = 0.0
        for (direct, modes) in [(false, prediction.paper), (true, full)] {
            let lin = EGLinearization(system: system, solution: solution, includeDirectTerm: direct)
            let (a, logScale) = lin.explicitRateMatrix()
            let c = exp(logScale)
            // -(L / c) phi / T, L_ij = -gamma0_ij, L_ii = sum_k gamma0_ik.
            var drive = [Double](repeating: 0, count: n)
            for i in 0..<n {
                for j in 0..<n where j != i {
                    let g = exp(lin.rates.logCoupling(i, j) - logScale)
                    drive[i] -= g * (phi[i] - phi[j]) / temperature
                }
            }
            // Scaled time tau = c t; step 0.02 / (fastest / c).
            let maxStep = 0.02 * c / max(fastest, modes.rates.max()!)
            func integrate(_ x0: [Double], _ tau: Double, _ on: Bool) -> [Double] {
                guard tau > 0 else { return x0 }
                return ForcedLinearRK4.integrate(x0, over: tau, steps: Int((tau / maxStep).rounded(.up)),
                                                 drive: on ? drive : nil) { a[$0, $1] }
            }
            var x = integrate([Double](repeating: 0, count: n), c * tw, true)
            var previous = 0.0
            for t in times {
                x = integrate(x, c * (t - previous), false)
                previous = t
                #expect(abs(x.reduce(0, +)) < 1e-12 * x.reduce(0) { $0 + abs($1) }, "particle number conserved")
                let integrated = -zip(phi, x).reduce(0) { $0 + $1.0 * $1.1 } / Double(n)
                let predicted = Self.curve(modes, sites: n, tw: tw, t: t)
                worst = max(worst, abs(predicted / integrated - 1))
                #expect(abs(predicted - integrated) < 1e-8 * abs(integrated), "direct \(direct) t \(t): \(predicted) \(integrated)")
            }
            if direct {
                worstGap = times.map { abs(Self.curve(modes, sites: n, tw: tw, t: $0) / Self.curve(prediction.paper, sites: n, tw: tw, t: $0) - 1) }.max()!
            }
        }
        print("EG response: RK4 vs modes max relative residual \(worst); full vs paper up to \(worstGap); rates \(slowest)...\(fastest)")
        // The direct term must change the prediction, or the full-matrix check tests nothing new.
        #expect(worstGap > 1e-2)
    }

    /// e^2 = 0: the equilibrium and the dynamics lose the Coulomb term and both predictions
    /// coincide; on a Coulomb equilibrium the full prediction approaches the paper's linearly
    /// in the direct coupling (e^2 = 1e-3 and 1e-5 differ from it by a factor 100).
    @Test func fullPredictionReducesToThePapersWithoutDirectCoupling() throws {
        let (free, freeSolution) = Self.solved(e2: 0)
        let none = try EGResponsePrediction(system: free, solution: freeSolution, strength: 0.05)
        let noneFull = try #require(none.full)
        #expect(noneFull.rates == none.paper.rates && noneFull.weights == none.paper.weights)

        let (system, solution) = Self.solved()
        let p = system.parameters
        let ma = MillerAbrahams(box: system.box, energies: solution.energies, chemicalPotential: solution.chemicalPotential,
                                temperature: p.temperature, localizationLength: p.localizationLength)
        let phi = system.responsePotential(strength: 0.05)
        func gap(_ e2: Double) throws -> Double {
            let q = try EGResponsePrediction(rates: ma.logRates, box: system.box, chargeSquared: e2, temperature: p.temperature, potential: phi)
            let full = try #require(q.full)
            let tw = 1 / full.rates[full.rates.count / 2]
            return Self.curve(full, sites: p.sites, tw: tw, t: tw / 2) - Self.curve(q.paper, sites: p.sites, tw: tw, t: tw / 2)
        }
        let ratio = try gap(1e-3) / gap(1e-5)
        print("EG response: (full - paper) at e^2 = 1e-3 over e^2 = 1e-5: \(ratio)")
        #expect(abs(ratio / 100 - 1) < 0.02)
    }

    /// t_w -> infinity, t -> 0: the mode sum is the static response -(1/N) delta phi . dn_eq of
    /// the particle-conserving equilibrium shift, (D^-1 + C/T) dn_eq = -delta phi / T + lambda 1,
    /// 1 . dn_eq = 0 (C = 0 for the paper's matrix), solved as one bordered system by LAPACK
    /// dgesv without any eigenvector.
    @Test func longFieldResponseIsTheStaticParticleConservingShift() throws {
        let (system, solution) = Self.solved()
        let p = system.parameters
        let n = p.sites, t = p.temperature
        let phi = system.responsePotential(strength: 0.05)
        let prediction = try EGResponsePrediction(system: system, solution: solution, strength: 0.05)
        let occupation = solution.occupations(temperature: t)
        for (e2, modes) in [(0.0, prediction.paper), (p.chargeSquared, try #require(prediction.full))] {
            let m = ColumnMajorMatrix(count: n + 1)
            for j in 0...n { for i in 0...n { m[i, j] = 0 } }
            for i in 0..<n {
                m[i, i] = 1 / (occupation[i] * (1 - occupation[i]))
                for j in 0..<n where j != i { m[i, j] = e2 / (t * system.box.distance(i, j)) }
                m[i, n] = -1
                m[n, i] = 1
            }
            let inverse = try #require(try LinearAlgebra.inverse(m))
            let dn = (0..<n).map { i in (0..<n).reduce(0) { $0 - inverse[i, $1] * phi[$1] / t } }
            #expect(abs(dn.reduce(0, +)) < 1e-12 * dn.reduce(0) { $0 + abs($1) })
            let expected = -zip(phi, dn).reduce(0) { $0 + $1.0 * $1.1 } / Double(n)
            let slowest = modes.rates.min()!, fastest = modes.rates.max()!
            let long = Self.curve(modes, sites: n, tw: 1e3 / slowest, t: 0)
            let early = Self.curve(modes, sites: n, tw: 1e3 / slowest, t: 1e-9 / fastest)
            print("EG response static (e^2 = \(e2)): modes \(long), bordered solve \(expected)")
            #expect(expected > 0)
            #expect(abs(long / expected - 1) < 1e-10)
            #expect(abs(early / expected - 1) < 1e-8)
            #expect(AgingResponse.relaxation(rates: modes.rates, weights: modes.weights, time: 0) / Double(n) == long)
        }
    }
    /// The report's route (a realization's mean-field outcome, energies E - mu, as `glassdyn
    /// kmc eg` holds it) gives the prediction of the solved system itself (N = 60): the same
    /// sites, potential and rates, to rounding.
    @Test func predictionFromARunsOutcomeIsThatOfItsSolvedSystem() throws {
        var p = EGParameters()
        p.sites = 60
        p.temperature = 0.1
        p.localizationLength = 0.3
        p.computeSpectrum = false
        var settings = RunSettings()
        settings.seed = 7
        let experiment = EGExperiment(parameters: p, settings: settings)
        let outcome = try experiment.realization(2).outcome
        let route = try #require(try EGResponsePrediction(experiment: experiment, outcome: outcome, strength: 0.05))
        let system = EGSystem(parameters: p, seed: 7, realization: 2)
        let solution = EGMeanField.solve(system, couplings: system.denseCouplings(threads: 1))
        let direct = try EGResponsePrediction(system: system, solution: solution, strength: 0.05)
        #expect(route.fullStability == direct.fullStability && route.paper.rates.count == direct.paper.rates.count)
        let full = try #require(route.full), fullDirect = try #require(direct.full)
        for tw in [1.0, 1e2, 1e4] {
            for (a, b) in [(route.paper, direct.paper), (full, fullDirect)] {
                let x = Self.curve(a, sites: p.sites, tw: tw, t: tw / 3), y = Self.curve(b, sites: p.sites, tw: tw, t: tw / 3)
                #expect(abs(x / y - 1) < 1e-9, "t_w \(tw): \(x) \(y)")
            }
        }
    }
}
