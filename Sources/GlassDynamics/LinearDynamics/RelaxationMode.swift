import Foundation

/// One relaxation mode of a linearised glass: its rate, how many sites it involves, and how
/// far it extends in the periodic box (issue #11).
///
/// The vector it is computed from is the normalised eigenvector in the symmetric
/// representation (`EGLinearization.modes(potential:threads:)`,
/// `TLSLinearization.modes(perturbation:method:)`); the vector itself is not stored.
public struct RelaxationMode: Sendable, Codable, Equatable {
    /// Gamma (units of Gamma0 or a).
    public var rate: Double
    /// ln Gamma.
    public var lnRate: Double
    /// PR = 1 / sum_i v_i^4 (v normalised): 1 for a mode on one site, N for a uniform one.
    public var participationRatio: Double
    /// Radius of gyration in the periodic box with weights v_i^2
    /// (`RelaxationMode.gyrationRadius(_:box:)`, package API).
    public var gyrationRadius: Double
    /// The aging weight w_k of the perturbation asked for (nil if none).
    public var weight: Double?

    /// A mode of the given values; a nil `lnRate` means ln(`rate`).
    public init(rate: Double, lnRate: Double? = nil, participationRatio: Double, gyrationRadius: Double, weight: Double? = nil) {
        self.rate = rate
        self.lnRate = lnRate ?? Foundation.log(rate)
        self.participationRatio = participationRatio
        self.gyrationRadius = gyrationRadius
        self.weight = weight
    }

    /// The mode of eigenvector `vector` (normalised here) on the sites of `box`.
    package init(rate: Double, vector: [Double], box: PeriodicBox, weight: Double? = nil) {
        self.init(rate: rate, participationRatio: Self.participationRatio(vector),
                  gyrationRadius: Self.gyrationRadius(vector, box: box), weight: weight)
    }

    /// PR = (sum v_i^2)^2 / sum v_i^4 (= 1 / sum v_i^4 for a normalised v).
    public static func participationRatio(_ v: [Double]) -> Double {
        var s2 = 0.0, s4 = 0.0
        for x in v { let q = x * x; s2 += q; s4 += q * q }
        return s4 > 0 ? s2 * s2 / s4 : 0
    }

    /// Radius of gyration on the torus with weights p_i = v_i^2 / sum v^2.
    ///
    /// Per dimension the centre is the circular mean: theta_i = 2 pi x_i / L, centre
    /// xbar = L arg(sum_i p_i e^{i theta_i}) / 2 pi; then
    /// R_g^2 = sum_i p_i |wrap(x_i - xbar)|^2 (minimum image, summed over dimensions). For two
    /// equal-weight sites this is half their minimum-image distance wherever the boundary
    /// falls; for a mode spread uniformly round a dimension the centre is arbitrary and R_g
    /// approaches the flat-distribution value L / sqrt(12) per dimension.
    package static func gyrationRadius(_ v: [Double], box: PeriodicBox) -> Double {
        let d = box.dimension, l = box.side
        var total = 0.0
        for x in v { total += x * x }
        guard total > 0 else { return 0 }
        var r2 = 0.0
        for k in 0..<d {
            var c = 0.0, s = 0.0
            for i in v.indices {
                let p = v[i] * v[i] / total
                let theta = 2 * Double.pi * box.coordinate(i, k) / l
                c += p * Foundation.cos(theta); s += p * Foundation.sin(theta)
            }
            let centre = Foundation.atan2(s, c) * l / (2 * Double.pi)
            for i in v.indices {
                let p = v[i] * v[i] / total
                let dx = box.wrap(box.coordinate(i, k) - centre)
                r2 += p * dx * dx
            }
        }
        return r2.squareRoot()
    }
}
