/// Bootstrap over realizations: resample whole realizations with replacement, re-pool their
/// histograms and recompute a statistic; its spread is the error bar of a pooled estimate.
///
/// Resampling draws come from the run's Philox generator (purpose `.bootstrap`), so the error
/// bars are as reproducible as the data.
package enum Bootstrap {
    /// Mean and standard deviation over `replicates` resamples of `statistic`, applied to the
    /// pooled histogram of a resample. Resamples where the statistic is nil are skipped.
    package static func standardError(
        of histograms: [Histogram], replicates: Int = 200, seed: UInt64,
        statistic: (Histogram) -> Double?
    ) -> (mean: Double, standardError: Double) {
        guard let first = histograms.first, histograms.count > 1 else { return (.nan, .nan) }
        let streams = RealizationStreams(seed: seed, realization: Int(UInt32.max))
        var values = [Double]()
        for b in 0..<replicates {
            var pooled = Histogram(lower: first.lower, upper: first.upper, bins: first.binCount)
            var weights = [Int](repeating: 0, count: histograms.count)
            for k in 0..<histograms.count {
                let u = streams.uniform(.bootstrap, index: k, slot: b)
                weights[Swift.min(Int(u * Double(histograms.count)), histograms.count - 1)] += 1
            }
            for (k, w) in weights.enumerated() where w > 0 { pooled.merge(histograms[k], weight: w) }
            if let v = statistic(pooled), v.isFinite { values.append(v) }
        }
        guard values.count > 1 else { return (.nan, .nan) }
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
        return (mean, variance.squareRoot())
    }
}

extension Bootstrap {
    /// The mean over realizations of each column of `rows` (one row per realization) and its
    /// bootstrap standard error (resampling whole realizations, as for the histograms). A NaN
    /// in a column (a truncated trajectory) makes that column's mean NaN: never dropped silently.
    package static func columnMeans(_ rows: [[Double]], replicates: Int = 200, seed: UInt64) -> (mean: [Double], error: [Double]) {
        guard let first = rows.first else { return ([], []) }
        let m = first.count, n = rows.count
        func mean(_ weights: [Int]) -> [Double] {
            var s = [Double](repeating: 0, count: m)
            for (k, w) in weights.enumerated() where w > 0 { for c in 0..<m { s[c] += Double(w) * rows[k][c] } }
            return s.map { $0 / Double(n) }
        }
        let center = mean([Int](repeating: 1, count: n))
        guard n > 1 else { return (center, [Double](repeating: .nan, count: m)) }
        let streams = RealizationStreams(seed: seed, realization: Int(UInt32.max))
        var sum = [Double](repeating: 0, count: m), sum2 = sum
        for b in 0..<replicates {
            var weights = [Int](repeating: 0, count: n)
            for k in 0..<n {
                let u = streams.uniform(.bootstrap, index: k, slot: b)
                weights[Swift.min(Int(u * Double(n)), n - 1)] += 1
            }
            let x = mean(weights)
            for c in 0..<m { sum[c] += x[c]; sum2[c] += x[c] * x[c] }
        }
        let r = Double(replicates)
        let error = (0..<m).map { c in (Swift.max(0, sum2[c] / r - (sum[c] / r) * (sum[c] / r)) * r / (r - 1)).squareRoot() }
        return (center, error)
    }

    /// Standard error of the change `statistic(b) - statistic(a)` between two runs on the same
    /// realizations (`a[k]` and `b[k]` from realization k): each resample draws whole
    /// realizations once and re-pools both runs with the same draws, so what the runs share
    /// (the disorder) cancels. The draws are those of `standardError(of:replicates:seed:statistic:)`.
    package static func pairedStandardError(
        of a: [Histogram], _ b: [Histogram], replicates: Int = 200, seed: UInt64,
        statistic: (Histogram) -> Double?
    ) -> Double {
        precondition(a.count == b.count, "one histogram per realization in both runs")
        guard let fa = a.first, let fb = b.first, a.count > 1 else { return .nan }
        let streams = RealizationStreams(seed: seed, realization: Int(UInt32.max))
        var values = [Double]()
        for r in 0..<replicates {
            var pa = Histogram(lower: fa.lower, upper: fa.upper, bins: fa.binCount)
            var pb = Histogram(lower: fb.lower, upper: fb.upper, bins: fb.binCount)
            var weights = [Int](repeating: 0, count: a.count)
            for k in 0..<a.count {
                let u = streams.uniform(.bootstrap, index: k, slot: r)
                weights[Swift.min(Int(u * Double(a.count)), a.count - 1)] += 1
            }
            for (k, w) in weights.enumerated() where w > 0 { pa.merge(a[k], weight: w); pb.merge(b[k], weight: w) }
            if let x = statistic(pa), let y = statistic(pb), x.isFinite, y.isFinite { values.append(y - x) }
        }
        guard values.count > 1 else { return .nan }
        let mean = values.reduce(0, +) / Double(values.count)
        return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)).squareRoot()
    }
}
