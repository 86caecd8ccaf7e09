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
