import Foundation

/// Appendix A's comparison: the rates Gamma of the bare matrix exp(-r_ij / xi) against the
/// nearest-neighbour distance law (Eq. A1), through x = -ln(Gamma / 2) and r = xi x.
///
/// The argument: for r_nn >> xi an isolated nearest-neighbour pair at distance r relaxes at
/// Gamma = 2 exp(-r / xi), so x = r / xi. That holds for the fast modes, pairs much closer
/// than the typical spacing: below the law's mode x* = r_mode / xi the shape of the x
/// distribution is the NN law's (and about 0.6 of the sites sit in such pairs), up to a
/// systematic KS distance of about 0.02 from clusters of three or more close sites (some with
/// Gamma > 2, x < 0) and pairs that are not isolated. The slow
/// modes are different: they join clusters across the widest gaps of the site pattern
/// (their x follow the long edges of the minimum spanning tree, not NN distances) and lie far
/// beyond the law's tail. Both halves are tested and reported, each with a one-sample
/// Kolmogorov-Smirnov statistic against the law conditioned on the same window.
public struct NearestNeighbourComparison: Sendable {
    /// Histogram of x (unit area over all modes) for nn.csv.
    public var histogram: Histogram
    /// The law of x: xi p(xi x), unit area, at the bin centres.
    public var prediction: [Double]
    /// Eq. A1 for the run's N and box side L (one realization's sites).
    public var law: NearestNeighbourLaw
    /// xi, which maps x to a distance r = xi x.
    public var localizationLength: Double
    /// x* = r_mode / xi, the boundary between the fast and the slow window.
    public var modeX: Double
    /// The fast modes, x <= x*, against the law conditioned on r <= r_mode.
    public var fast: Window
    /// The slow modes, x > x*, against the law conditioned on r > r_mode.
    public var slow: Window
    /// The realizations' actual NN distances against Eq. A1 (checks the geometry and the law);
    /// each distance of a mutual pair enters twice, so the test counts half the samples.
    public var geometry: Window?

    /// A KS comparison on one window of x.
    public struct Window: Sendable {
        /// Values in the window.
        public var samples: Int
        /// The KS statistic D = sup |F_n - F| (NaN for an empty window).
        public var statistic: Double
        /// Asymptotic KS p-value of D (NaN for an empty window).
        public var pValue: Double
        /// Critical statistic at the 1% level.
        public var critical: Double
        /// Samples in the window per site, beside the law's probability of the window.
        public var fractionPerSite: Double
        /// The law's probability of the window.
        public var lawFraction: Double

        /// True when the window has samples and its KS statistic is below the 1% critical value.
        public var passes1Percent: Bool { samples > 0 && statistic <= critical }
    }

    /// `rates`: the resolvable rates of every realization pooled; `sites`: sites times
    /// realizations; `nearestNeighbourDistances`: optional, pooled, for the geometry check.
    public init(rates: [Double], sites: Int, law: NearestNeighbourLaw, localizationLength xi: Double,
                nearestNeighbourDistances: [Double]? = nil, bins: Int = 80) {
        self.law = law
        localizationLength = xi
        let xs = rates.map { -Foundation.log($0 / 2) }
        let xStar = law.mode / xi
        modeX = xStar
        let lower = Swift.min(0, (xs.min() ?? 0).rounded(.down))
        let upper = Swift.max(lower + 1, (xs.max() ?? 1).rounded(.up), (3 * xStar).rounded(.up))
        var h = Histogram(lower: lower, upper: upper, bins: bins)
        h.add(contentsOf: xs)
        histogram = h
        prediction = (0..<bins).map { xi * law.density(xi * h.center($0)) }

        let fStar = law.cdf(xi * xStar)
        let perSite = Double(Swift.max(sites, 1))
        // `multiplicity`: how many times one independent value can enter the sample; the
        // test then has at least count / multiplicity independent samples.
        func window(_ sample: [Double], total: Double, lawFraction: Double, multiplicity: Int = 1,
                    cdf: (Double) -> Double) -> Window {
            let d = KolmogorovSmirnov.statistic(sample, cdf: cdf)
            let effective = Swift.max(sample.count / multiplicity, 1)
            return Window(samples: sample.count, statistic: d,
                          pValue: KolmogorovSmirnov.pValue(statistic: d, sampleSize: effective),
                          critical: KolmogorovSmirnov.criticalValue(sampleSize: effective, level: 0.01),
                          fractionPerSite: Double(sample.count) / total, lawFraction: lawFraction)
        }
        fast = window(xs.filter { $0 <= xStar }, total: perSite, lawFraction: fStar) {
            law.cdf(xi * $0) / fStar
        }
        slow = window(xs.filter { $0 > xStar }, total: perSite, lawFraction: 1 - fStar) {
            (law.cdf(xi * $0) - fStar) / (1 - fStar)
        }
        if let r = nearestNeighbourDistances {
            // Mutual nearest neighbours share their distance, so a value enters at most twice.
            geometry = window(r, total: perSite, lawFraction: 1, multiplicity: 2) { law.cdf($0) }
        }
    }

    /// nn.csv: x, density, prediction.
    public var table: CSVTable {
        var t = CSVTable(columns: ["x", "density", "prediction"])
        let d = histogram.density
        for k in 0..<histogram.binCount { t.append([histogram.center(k), d[k], prediction[k]]) }
        return t
    }

    /// The nnLaw block of summary.json.
    public var summary: Summary { Summary(self) }

    /// The nnLaw block of summary.json, as a value.
    public struct Summary: Codable, Sendable {
        /// A KS comparison on one window, as summary.json reports it.
        public struct WindowSummary: Codable, Sendable {
            /// Values in the window.
            public var samples: Int
            /// The KS statistic D (NaN for an empty window).
            public var ksStatistic: Double
            /// Asymptotic KS p-value of D (NaN for an empty window).
            public var ksPValue: Double
            /// The critical D at the 1% level.
            public var ksCritical1Percent: Double
            /// True when the window has samples and D is at most the critical value.
            public var passes1Percent: Bool
            /// Samples in the window per site.
            public var fractionPerSite: Double
            /// The law's probability of the window.
            public var lawFraction: Double

            init(_ w: Window) {
                samples = w.samples
                ksStatistic = w.statistic
                ksPValue = w.pValue
                ksCritical1Percent = w.critical
                passes1Percent = w.passes1Percent
                fractionPerSite = w.fractionPerSite
                lawFraction = w.lawFraction
            }
        }

        /// What x is, in words.
        public var x = "-ln(Gamma/2), compared with r/xi for r from Eq. A1"
        /// x* = r_mode / xi, the boundary between the fast and the slow window.
        public var modeX: Double
        /// The fast modes (x <= modeX) against the law's shape on that window.
        public var fastModes: WindowSummary
        /// The slow modes (x > modeX) against the law's tail.
        public var slowModes: WindowSummary
        /// The sites' actual nearest-neighbour distances against Eq. A1 (nil when they were not
        /// recorded).
        public var siteNearestNeighbourDistances: WindowSummary?
        /// What the two windows show, in words.
        public var note = "fast modes (x <= modeX) are close nearest-neighbour pairs and follow the law's shape; slow modes join clusters across wide gaps and do not"

        init(_ c: NearestNeighbourComparison) {
            modeX = c.modeX
            fastModes = WindowSummary(c.fast)
            slowModes = WindowSummary(c.slow)
            siteNearestNeighbourDistances = c.geometry.map(WindowSummary.init)
        }
    }
}
