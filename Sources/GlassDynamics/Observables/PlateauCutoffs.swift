/// The cutoffs Gamma_min and Gamma_max of a 1/Gamma law, read off a histogram of ln Gamma.
///
/// A 1/Gamma distribution of rates is a flat plateau in the density of ln Gamma. The rule, the
/// one documented in the README and MODEL.md:
/// 1. the plateau level is the median density over the bins whose centres lie in the central
///    part of the data, between the `centralLow` and `centralHigh` quantiles of ln Gamma
///    (default the quartiles);
/// 2. ln Gamma_min is where the density, scanned from the plateau's centre down, first falls
///    below half that level (interpolated linearly between bin centres); ln Gamma_max likewise
///    scanning up.
///
/// The plateau level is c' of the logarithmic relaxation: for a pure 1/Gamma law of unit mass
/// between the cutoffs, the density of ln Gamma is 1 / ln(Gamma_max / Gamma_min).
public struct PlateauCutoffs: Sendable, Equatable, Codable {
    /// ln Gamma_min: the low edge of the plateau (the histogram's lower edge when the density
    /// never falls below half the level).
    public var lnGammaMin: Double
    /// ln Gamma_max: the high edge of the plateau (the histogram's upper edge when the density
    /// never falls below half the level).
    public var lnGammaMax: Double
    /// Density of ln Gamma on the plateau (per unit ln Gamma, all rates counted in the mass).
    public var level: Double

    /// Gamma_min, in rate units (a or Gamma0).
    public var gammaMin: Double { exp(lnGammaMin) }
    /// Gamma_max, in rate units (a or Gamma0).
    public var gammaMax: Double { exp(lnGammaMax) }
    /// Width of the plateau in e-folds.
    public var width: Double { lnGammaMax - lnGammaMin }

    /// Cutoffs given directly.
    public init(lnGammaMin: Double, lnGammaMax: Double, level: Double) {
        self.lnGammaMin = lnGammaMin
        self.lnGammaMax = lnGammaMax
        self.level = level
    }

    /// Applies the rule to a histogram of ln Gamma; nil when it has no counts.
    public init?(histogram h: Histogram, centralLow: Double = 0.25, centralHigh: Double = 0.75) {
        guard h.inRange > 0 else { return nil }
        // Density per unit ln Gamma as a fraction of all rates (values outside the binned range
        // still count in the mass, so the level is the c' of the relaxation sum).
        let norm = Double(h.total) * h.binWidth
        let density = h.counts.map { Double($0) / norm }
        let lo = h.quantile(centralLow), hi = h.quantile(centralHigh)
        var central = [Double]()
        var centralIndices = [Int]()
        for k in 0..<h.binCount where h.center(k) >= lo && h.center(k) <= hi {
            central.append(density[k])
            centralIndices.append(k)
        }
        if central.isEmpty {
            // A very narrow distribution: use the bin holding the median.
            let k = Swift.min(Swift.max(Int((h.quantile(0.5) - h.lower) / h.binWidth), 0), h.binCount - 1)
            central = [density[k]]
            centralIndices = [k]
        }
        central.sort()
        let m = central.count
        let level = m % 2 == 1 ? central[m / 2] : 0.5 * (central[m / 2 - 1] + central[m / 2])
        let half = 0.5 * level
        let start = centralIndices[centralIndices.count / 2]

        func crossing(from k0: Int, step: Int) -> Double {
            var k = k0
            while true {
                let next = k + step
                if next < 0 || next >= h.binCount {
                    return step < 0 ? h.lower : h.upper
                }
                if density[next] < half {
                    // Linear interpolation between the centres of bins k and next (clamped: in
                    // a sparse histogram the start bin itself can lie below half the level,
                    // and two equal densities would divide by zero).
                    let drop = density[k] - density[next]
                    let f = drop > 0 ? Swift.min(Swift.max((density[k] - half) / drop, 0), 1) : 0
                    return h.center(k) + Double(step) * f * h.binWidth
                }
                k = next
            }
        }
        self.init(lnGammaMin: crossing(from: start, step: -1),
                  lnGammaMax: crossing(from: start, step: +1),
                  level: level)
    }
}

import Foundation
