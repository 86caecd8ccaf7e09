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
