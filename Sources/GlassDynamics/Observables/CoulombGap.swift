import Foundation

/// The Coulomb gap of the electron glass's DOS g(E), E measured from mu, against the
/// Efros-Shklovskii law in 2D, g(E) = (2 / pi) |E| / e^4 per unit area (e^2 = J r_nn).
///
/// - Near mu: the DOS within T of mu, g(|E| < T) = (states with |E| < T) / (N 2T), beside the
///   J = 0 value 1/W.
/// - The linear window 2T <= |E| <= `upper` (default 0.3): if g = s |E| there, the fraction of
///   states in the window is s (upper^2 - (2T)^2), which gives s without binning; its error
///   is the bootstrap over realizations. s times the site density is the slope per unit area,
///   reported beside 2/(pi e^4) (a comparison: mean field is not bound to the ES value).
/// - Linearity: a weighted least-squares line a + b |E| on `bins` bins of |E| in the window
///   (Poisson errors); "linear through the origin within error" means |a| <= 3 sigma_a, and
///   the reduced chi-square of the fit s |E| says whether a straight line describes the bins.
public struct CoulombGap: Sendable {
    /// The temperature T of the run, in units of J.
    public var temperature: Double
    /// The linear window of |E - mu|: from 2T to `upper` (default 0.3), in units of J.
    public var window: (lower: Double, upper: Double)
    /// g(|E| < T) = (states with |E - mu| < T) / (N 2T), per site and unit energy; compare
    /// with 1/W, its value at J = 0.
    public var dosWithinT: Double
    /// The Poisson (counting) error of ``dosWithinT``.
    public var dosWithinTError: Double
    /// Slope s of g = s |E| per site (g normalised to unit area over all energies).
    public var slope: Double
    /// Bootstrap standard error of ``slope`` over realizations (NaN with fewer than two).
    public var slopeError: Double
    /// s times the site density: the slope of g per unit area.
    public var slopePerArea: Double
    /// ``slopeError`` times the site density.
    public var slopePerAreaError: Double
    /// 2 / (pi e^4), the Efros-Shklovskii slope per unit area (infinite at J = 0).
    public var efrosShklovskii: Double
    /// The free line a + b |E| on the window's bins.
    public var intercept: Double
    /// Standard error of the intercept a of the free line.
    public var interceptError: Double
    /// The slope b of the free line a + b |E|.
    public var freeSlope: Double
    /// Standard error of the slope b of the free line.
    public var freeSlopeError: Double
    /// Reduced chi-square of the through-origin line s |E| on the bins.
    public var reducedChiSquare: Double
    /// Centres of the bins of |E - mu| in the window.
    public var binCenters: [Double]
    /// g at those |E|, per site and unit energy (the counts of both signs of E, halved).
    public var binDensities: [Double]

    /// `energies`: E - mu of each realization (one array per realization).
    ///
    /// nil when the window is empty (2T >= `upper`) or there are no energies. `siteDensity` is
    /// N / L^2, `chargeSquared` is e^2 = J r_nn, and `seed` (the run's) drives the bootstrap.
    public init?(energies: [[Double]], temperature t: Double, siteDensity: Double, chargeSquared e2: Double,
                 upper: Double = 0.3, bins: Int = 10, seed: UInt64) {
        let lower = 2 * t
        guard upper > lower, !energies.isEmpty else { return nil }
        temperature = t
        window = (lower, upper)
        let total = Double(energies.reduce(0) { $0 + $1.count })
        guard total > 0 else { return nil }
        var near = 0
        for es in energies { for e in es where abs(e) < t { near += 1 } }
        dosWithinT = Double(near) / (total * 2 * t)
        dosWithinTError = Double(near).squareRoot() / (total * 2 * t)

        // Per-realization histograms of |E| on the window (values outside still count in the
        // total), for the slope and its bootstrap.
        let perRealization = energies.map { es -> Histogram in
            var h = Histogram(lower: lower, upper: upper, bins: bins)
            h.add(contentsOf: es.map { abs($0) })
            return h
        }
        var pooled = Histogram(lower: lower, upper: upper, bins: bins)
        for h in perRealization { pooled.merge(h) }
        let span = upper * upper - lower * lower
        func slopeOf(_ h: Histogram) -> Double? { h.total > 0 ? Double(h.inRange) / (Double(h.total) * span) : nil }
        slope = slopeOf(pooled) ?? .nan
        slopeError = Bootstrap.standardError(of: perRealization, seed: seed, statistic: slopeOf).standardError
        slopePerArea = slope * siteDensity
        slopePerAreaError = slopeError * siteDensity
        efrosShklovskii = e2 > 0 ? 2 / (Double.pi * e2 * e2) : .infinity

        // Binned densities: g(|E|) = count / (N_total * 2 * width) per unit E on each side.
        let width = pooled.binWidth
        binCenters = (0..<bins).map { pooled.center($0) }
        binDensities = pooled.counts.map { Double($0) / (total * 2 * width) }
        let sigmas = pooled.counts.map { Swift.max(Double($0), 1).squareRoot() / (total * 2 * width) }
        // Weighted least squares for a + b x.
        var sw = 0.0, sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0
        for k in 0..<bins {
            let w = 1 / (sigmas[k] * sigmas[k])
            let x = binCenters[k], y = binDensities[k]
            sw += w; sx += w * x; sy += w * y; sxx += w * x * x; sxy += w * x * y
        }
        let det = sw * sxx - sx * sx
        intercept = (sxx * sy - sx * sxy) / det
        freeSlope = (sw * sxy - sx * sy) / det
        interceptError = (sxx / det).squareRoot()
        freeSlopeError = (sw / det).squareRoot()
        var chi2 = 0.0
        for k in 0..<bins {
            let r = (binDensities[k] - slope * binCenters[k]) / sigmas[k]
            chi2 += r * r
        }
        reducedChiSquare = bins > 1 ? chi2 / Double(bins - 1) : .nan
    }

    /// The coulombGap block of summary.json.
    public var summary: Summary { Summary(self) }

    /// The coulombGap block of summary.json, as a value.
    public struct Summary: Codable, Sendable {
        /// g(|E| < T) per site and unit energy (``CoulombGap/dosWithinT``).
        public var dosWithinT: Double
        /// Its Poisson error.
        public var dosWithinTError: Double
        /// [2T, upper]: the window of |E - mu| the slope is measured on.
        public var linearWindow: [Double]
        /// Slope s of g = s |E| per site, from the fraction of states in the window.
        public var slope: Double
        /// Bootstrap standard error of `slope` (NaN with fewer than two realizations).
        public var slopeError: Double
        /// s times the site density N / L^2.
        public var slopePerUnitArea: Double
        /// Bootstrap standard error of `slopePerUnitArea`.
        public var slopePerUnitAreaError: Double
        /// 2 / (pi e^4), the Efros-Shklovskii slope per unit area (infinite at J = 0).
        public var efrosShklovskiiSlopePerUnitArea: Double
        /// Intercept a of the weighted least-squares line a + b |E| on the bins.
        public var lineIntercept: Double
        /// Standard error of a; |a| <= 3 errors means the DOS is linear through the origin.
        public var lineInterceptError: Double
        /// Slope b of that line.
        public var lineSlope: Double
        /// Standard error of b.
        public var lineSlopeError: Double
        /// Reduced chi-square of s |E| on the bins (NaN with one bin).
        public var throughOriginReducedChiSquare: Double
        /// How the slope is measured, in words.
        public var rule = "g(E) = s|E| on 2T <= |E| <= upper: s = (fraction of states in the window) / (upper^2 - 4T^2); per unit area = s N/L^2; ES 2D: 2/(pi e^4)"

        init(_ g: CoulombGap) {
            dosWithinT = g.dosWithinT
            dosWithinTError = g.dosWithinTError
            linearWindow = [g.window.lower, g.window.upper]
            slope = g.slope
            slopeError = g.slopeError
            slopePerUnitArea = g.slopePerArea
            slopePerUnitAreaError = g.slopePerAreaError
            efrosShklovskiiSlopePerUnitArea = g.efrosShklovskii
            lineIntercept = g.intercept
            lineInterceptError = g.interceptError
            lineSlope = g.freeSlope
            lineSlopeError = g.freeSlopeError
            throughOriginReducedChiSquare = g.reducedChiSquare
        }
    }
}
