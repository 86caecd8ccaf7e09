import Foundation

/// The nearest-neighbour distance law of N Poisson sites in a d-dimensional box of side L
/// (paper Eq. A1, valid for r << L):
///
///     p(r) = (V_d / L^d) d (N - 1) r^(d-1) exp(-V_d (N - 1) (r / L)^d),   V_2 = pi, V_3 = 4 pi / 3.
public struct NearestNeighbourLaw: Sendable {
    /// Dimension d of the box.
    public let dimension: Int
    /// Number of sites N.
    public let sites: Int
    /// Side L of the box, in units of r_nn.
    public let side: Double
    /// V_d (N - 1) / L^d: the rate of the exponential law of r^d.
    public let rate: Double

    /// The law of `n` sites in a `d`-dimensional box of side `side`.
    public init(dimension d: Int, sites n: Int, side: Double) {
        dimension = d
        sites = n
        self.side = side
        let vd = Foundation.pow(Double.pi, Double(d) / 2) / Foundation.tgamma(Double(d) / 2 + 1)
        rate = vd * Double(n - 1) / Foundation.pow(side, Double(d))
    }

    /// p(r).
    public func density(_ r: Double) -> Double {
        guard r > 0 else { return 0 }
        let d = Double(dimension)
        return rate * d * Foundation.pow(r, d - 1) * Foundation.exp(-rate * Foundation.pow(r, d))
    }

    /// P(NN distance <= r).
    public func cdf(_ r: Double) -> Double {
        r > 0 ? -Foundation.expm1(-rate * Foundation.pow(r, Double(dimension))) : 0
    }

    /// The most probable distance, ((d - 1) / (d rate))^(1/d).
    public var mode: Double {
        let d = Double(dimension)
        return Foundation.pow((d - 1) / (d * rate), 1 / d)
    }
}
