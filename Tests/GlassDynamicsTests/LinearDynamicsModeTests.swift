import Foundation
import Testing
import GlassDynamics

/// Participation ratio and periodic radius of gyration of relaxation modes (issue #11).
@Suite struct LinearDynamicsModeTests {
    static func box(_ n: Int, side: Double = 10) -> PeriodicBox {
        var rng = LinearDynamicsRandom(seed: 9)
        return PeriodicBox(dimension: 2, side: side, coordinates: (0..<(2 * n)).map { _ in side * rng.next() })
    }

    /// PR = 1 for a vector on one site (any normalisation), N for a uniform one, 2 for two equal sites.
    @Test func participationRatioLimits() {
        let n = 50
        var local = [Double](repeating: 0, count: n); local[17] = -3
        #expect(abs(RelaxationMode.participationRatio(local) - 1) < 1e-15)
        #expect(abs(RelaxationMode.participationRatio([Double](repeating: 0.2, count: n)) - Double(n)) < 1e-12)
        var pair = [Double](repeating: 0, count: n); pair[1] = 1; pair[2] = -1
        #expect(abs(RelaxationMode.participationRatio(pair) - 2) < 1e-15)
    }

    /// Two equal-weight sites straddling the periodic boundary (x = 0.3 and 9.5 in a box of
    /// side 10, and likewise in y): R_g is half their minimum-image distance, not half the
    /// naive one; a single site has R_g = 0.
    @Test func gyrationRadiusAcrossTheBoundary() {
        let box = PeriodicBox(dimension: 2, side: 10, coordinates: [0.3, 9.8, 9.5, 0.4, 5, 5])
        let rg = RelaxationMode.gyrationRadius([1, 1, 0], box: box)
        let half = 0.5 * box.distance(0, 1)
        #expect(abs(half - 0.5 * (0.8 * 0.8 + 0.6 * 0.6).squareRoot()) < 1e-12)
        #expect(abs(rg - half) < 1e-12)
        #expect(RelaxationMode.gyrationRadius([0, 0, 2], box: box) < 1e-12)
        // 3D, unequal weights 1:3 along one axis across the boundary: R_g = d sqrt(p q).
        let b3 = PeriodicBox(dimension: 3, side: 4, coordinates: [3.9, 1, 1, 0.5, 1, 1])
        let w = RelaxationMode.gyrationRadius([1, 3.0.squareRoot()], box: b3)
        // Circular mean of weights 1/4, 3/4 at separation 0.6: centre close to, not exactly at,
        // the arithmetic mean: R_g = 0.25995691 (independent python evaluation) vs 0.6 sqrt(3/16) = 0.25981.
        #expect(abs(w - 0.259_956_907_657_100_3) < 1e-12)
    }

    /// A mode spread evenly over many random sites: PR ~ N and R_g close to the flat value
    /// L sqrt(d / 12).
    @Test func uniformModeFillsTheBox() {
        let n = 4000
        let b = Self.box(n)
        let v = [Double](repeating: 1, count: n)
        let mode = RelaxationMode(rate: 1, vector: v, box: b)
        #expect(abs(mode.participationRatio - Double(n)) < 1e-9)
        #expect(abs(mode.gyrationRadius / (10 * (2.0 / 12).squareRoot()) - 1) < 0.05)
        #expect(mode.lnRate == 0)
    }
}

/// `--modes` with the paper's matrix: the eigenvectors of G = D^-1/2 L D^-1/2 (the direct
/// term's B = I), from the same dsygvd path as the full matrix.
@Suite struct PaperMatrixModeTests {
    @Test func paperMatrixModesCarryTheDefaultRates() throws {
        var p = EGParameters()
        p.sites = 120
        var s = RunSettings()
        s.realizations = 1
        s.quiet = true
        let plain = try EGExperiment(parameters: p, settings: s).realization(0)
        p.computeModes = true
        let withModes = try EGExperiment(parameters: p, settings: s).realization(0)
        let modes = try #require(withModes.linear?.modes)
        // The rates of the run with modes (dsygvd at B = I, vectors) are dsyevd's without vectors.
        #expect(withModes.outcome.rates.count == plain.outcome.rates.count)
        #expect(modes.count == plain.outcome.rates.count)
        for (a, b) in zip(withModes.outcome.rates, plain.outcome.rates) { #expect(abs(a / b - 1) < 1e-9) }
        for (m, g) in zip(modes, plain.outcome.rates) { #expect(abs(m.rate / g - 1) < 1e-9) }
        #expect(modes.allSatisfy { $0.participationRatio >= 1 - 1e-12 && $0.participationRatio <= 120 })
        // Independent route: dsyevd with vectors on the paper's symmetric matrix S = -G / c.
        let system = EGSystem(parameters: p, seed: s.seed, realization: 0)
        let solution = EGMeanField.solve(system, couplings: system.denseCouplings(threads: 1))
        let ma = MillerAbrahams(box: system.box, energies: solution.energies, chemicalPotential: solution.chemicalPotential,
                                temperature: p.temperature, localizationLength: p.localizationLength)
        let (matrix, logScale) = RateMatrixBuilder.build(ma.logRates, form: .symmetric, threads: 1)
        let w = try LinearAlgebra.symmetricEigen(matrix, vectors: true)
        let floor = Double(p.sites) * Double.ulpOfOne * w.map(abs).max()!
        var reference = [(Double, Double)]()
        for k in w.indices where w[k] < -floor {
            let v = (0..<p.sites).map { matrix[$0, k] }
            reference.append((Foundation.log(-w[k]) + logScale, RelaxationMode.participationRatio(v)))
        }
        reference.sort { $0.0 < $1.0 }
        #expect(reference.count == modes.count)
        for (m, r) in zip(modes, reference) {
            #expect(abs(m.lnRate - r.0) < 1e-8)
            #expect(abs(m.participationRatio / r.1 - 1) < 1e-6, "ln Gamma \(m.lnRate): PR \(m.participationRatio) vs \(r.1)")
        }
    }
}
