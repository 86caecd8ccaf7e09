/// Counts on fixed, uniform bins.
///
/// Histograms are kept as integer counts on edges fixed before binning, so histograms of
/// separate realizations add exactly, in any order (thread count and shard split cannot change
/// a pooled result), and bootstrap resampling over realizations is a sum of counts.
public struct Histogram: Sendable, Equatable, Codable {
    /// Lower edge of the first bin.
    public let lower: Double
    /// Upper edge of the last bin.
    public let upper: Double
    /// Values counted in each bin.
    public private(set) var counts: [Int]
    /// Values that fell below `lower` (kept so nothing is dropped silently).
    public private(set) var below = 0
    /// Values that fell above `upper`.
    public private(set) var above = 0

    /// An empty histogram of `bins` equal bins on [lower, upper]; traps unless bins > 0 and
    /// upper > lower.
    public init(lower: Double, upper: Double, bins: Int) {
        precondition(bins > 0 && upper > lower, "a histogram needs bins > 0 and upper > lower")
        self.lower = lower
        self.upper = upper
        counts = [Int](repeating: 0, count: bins)
    }

    /// A histogram with these counts (a checkpoint's restore); traps as ``init(lower:upper:bins:)``.
    package init(lower: Double, upper: Double, counts: [Int], below: Int, above: Int) {
        self.init(lower: lower, upper: upper, bins: counts.count)
        self.counts = counts
        self.below = below
        self.above = above
    }

    /// Number of bins.
    public var binCount: Int { counts.count }
    /// Width of every bin.
    public var binWidth: Double { (upper - lower) / Double(counts.count) }
    /// Values counted inside [lower, upper].
    public var inRange: Int { counts.reduce(0, +) }
    /// Every value added, inside the range or not.
    public var total: Int { inRange + below + above }

    /// Center of bin k.
    public func center(_ k: Int) -> Double { lower + (Double(k) + 0.5) * binWidth }

    /// Adds one value; NaN is a programming error upstream and traps.
    public mutating func add(_ x: Double) {
        precondition(!x.isNaN, "NaN added to a histogram")
        if x < lower { below += 1; return }
        if x > upper { above += 1; return }
        let k = Swift.min(Int((x - lower) / binWidth), counts.count - 1)
        counts[k] += 1
    }

    /// Adds every value of `values`.
    public mutating func add<S: Sequence>(contentsOf values: S) where S.Element == Double {
        for x in values { add(x) }
    }

    /// Adds another histogram on the same bins.
    public mutating func merge(_ other: Histogram, weight: Int = 1) {
        precondition(other.lower == lower && other.upper == upper && other.binCount == binCount,
                     "merging histograms with different bins")
        for k in counts.indices { counts[k] += weight * other.counts[k] }
        below += weight * other.below
        above += weight * other.above
    }

    /// Probability density normalised to unit area over the binned range.
    public var density: [Double] {
        let n = Double(inRange)
        guard n > 0 else { return counts.map { _ in 0 } }
        return counts.map { Double($0) / (n * binWidth) }
    }

    /// Fraction of all added values that lie inside the binned range.
    public var fractionInRange: Double { total == 0 ? 0 : Double(inRange) / Double(total) }

    /// The value below which a fraction `q` of the binned counts lie (linear within a bin).
    public func quantile(_ q: Double) -> Double {
        let target = q * Double(inRange)
        var cumulative = 0.0
        for k in counts.indices {
            let next = cumulative + Double(counts[k])
            if next >= target && counts[k] > 0 {
                return lower + (Double(k) + (target - cumulative) / Double(counts[k])) * binWidth
            }
            cumulative = next
        }
        return upper
    }
}
