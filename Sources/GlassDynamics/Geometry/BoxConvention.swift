import Foundation

/// How the side L of the periodic box follows from N and the dimension.
///
/// The DOS and the rates depend visibly on this choice (it sets the site density and with it the
/// typical coupling), so it is an explicit parameter and is written to every summary.
public enum BoxConvention: Sendable, Hashable {
    /// L = r_nn (N^(1/d) - 1): the paper's numerical convention (its Appendix A and its
    /// authors' scripts). Density about 1 / r_nn^d.
    case paper
    /// L such that the mean nearest-neighbour distance of a Poisson process is r_nn:
    /// n = 0.169995 / r_nn^3 in 3D (Gamma(4/3)^3 * 3 / (4 pi)), n = 0.25 / r_nn^2 in 2D.
    case poisson
    /// A site density n given directly (sites per unit volume, r_nn = 1).
    case density(Double)

    /// Side of the d-dimensional periodic box holding `n` sites.
    public func side(sites n: Int, dimension d: Int) -> Double {
        switch self {
        case .paper:
            return Foundation.pow(Double(n), 1 / Double(d)) - 1
        case .poisson:
            return Foundation.pow(Double(n) / BoxConvention.poissonDensity(dimension: d), 1 / Double(d))
        case .density(let rho):
            return Foundation.pow(Double(n) / rho, 1 / Double(d))
        }
    }

    /// The density at which a Poisson process has mean nearest-neighbour distance 1:
    /// <r_nn> = Gamma(1 + 1/d) / (n V_d)^(1/d).
    public static func poissonDensity(dimension d: Int) -> Double {
        let vd = Foundation.pow(Double.pi, Double(d) / 2) / Foundation.tgamma(Double(d) / 2 + 1)
        return Foundation.pow(Foundation.tgamma(1 + 1 / Double(d)), Double(d)) / vd
    }

    /// The name used on the command line and in summaries.
    public var name: String {
        switch self {
        case .paper: return "paper"
        case .poisson: return "poisson"
        case .density(let rho): return "density=\(rho)"
        }
    }
}

extension BoxConvention: Codable {
    /// `"paper"`, `"poisson"`, or the density as a number.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .paper, .poisson: try c.encode(name)
        case .density(let rho): try c.encode(rho)
        }
    }

    /// Reads what ``encode(to:)`` writes: "paper", "poisson" or a number (the density).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let rho = try? c.decode(Double.self) {
            self = .density(rho)
        } else {
            switch try c.decode(String.self) {
            case "paper": self = .paper
            case "poisson": self = .poisson
            case let other:
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "unknown box convention \(other)")
            }
        }
    }
}
