import Foundation

/// The distribution of Gamma on a linear scale in the window [Gamma_min, factor * Gamma_min],
/// with the least-squares fit of A / Gamma (the paper's "normal scale" panels).
public struct LinearWindow: Sendable {
    /// Bin centres on [Gamma_min, factor Gamma_min], in rate units (a or Gamma0).
    public var gamma: [Double]
    /// Density per unit Gamma, as a fraction of all rates.
    public var density: [Double]
    /// The fitted A / Gamma at the bin centres.
    public var fit: [Double]
    /// The fitted amplitude A of A / Gamma (equals c' for an exact 1/Gamma law).
    public var amplitude: Double
    /// Reduced chi-square of the fit with Poisson errors on the counts (bins with counts only).
    public var reducedChiSquare: Double

    /// Bins the pooled `rates` on [gammaMin, factor gammaMin] (default 20 Gamma_min, 40 bins)
    /// and fits A / Gamma by weighted least squares.
    public init(rates: [Double], gammaMin: Double, factor: Double = 20, bins: Int = 40) {
        let upper = gammaMin * factor
        var h = Histogram(lower: gammaMin, upper: upper, bins: bins)
        for g in rates where g >= gammaMin && g <= upper { h.add(g) }
        let norm = Double(max(rates.count, 1)) * h.binWidth
        gamma = (0..<bins).map { h.center($0) }
        density = h.counts.map { Double($0) / norm }
        // Weighted least squares for A with sigma_k = sqrt(count_k) / norm.
        var num = 0.0, den = 0.0
        for k in 0..<bins where h.counts[k] > 0 {
            let w = norm * norm / Double(h.counts[k])
            num += w * density[k] / gamma[k]
            den += w / (gamma[k] * gamma[k])
        }
        let a = den > 0 ? num / den : 0
        amplitude = a
        fit = gamma.map { a / $0 }
        var chi2 = 0.0, used = 0
        for k in 0..<bins where h.counts[k] > 0 {
            let sigma = Double(h.counts[k]).squareRoot() / norm
            let r = (density[k] - fit[k]) / sigma
            chi2 += r * r
            used += 1
        }
        reducedChiSquare = used > 1 ? chi2 / Double(used - 1) : .nan
    }
}
