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
