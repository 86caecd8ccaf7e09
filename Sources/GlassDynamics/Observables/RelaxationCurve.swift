import Foundation

/// The linear relaxation |delta sigma|(t) = (1/N) sum_i exp(-Gamma_i t) (MODEL.md, Eq. 13-17
/// with uniform c_i), beside the prediction of a 1/Gamma law between fitted cutoffs,
/// c' [E1(Gamma_min t) - E1(Gamma_max t)].
public struct RelaxationCurve: Sendable {
    /// Log-spaced times t from 0.01 / Gamma_max to 100 / Gamma_min, in units of 1 / (a or Gamma0).
    public var times: [Double]
    /// |delta sigma|(t) = (1/N) sum_i exp(-Gamma_i t), normalised to 1 at t = 0.
    public var deltaSigma: [Double]
    /// c' [E1(Gamma_min t) - E1(Gamma_max t)] with c' the plateau level.
    public var e1Prediction: [Double]

    /// Evaluates the sum on `points` log-spaced times from 0.01/Gamma_max to 100/Gamma_min.
    ///
    /// Terms with Gamma t > 60 (exp < 1e-26) are dropped: rates are sorted once, so each time
    /// sums only the slow part. `rates` must be positive.
    public init(rates: [Double], cutoffs: PlateauCutoffs, points: Int = 121) {
        let sorted = rates.sorted()
        let n = Double(sorted.count)
        let t0 = 0.01 / cutoffs.gammaMax, t1 = 100 / cutoffs.gammaMin
        let logStep = points > 1 ? log(t1 / t0) / Double(points - 1) : 0
        times = (0..<points).map { t0 * exp(Double($0) * logStep) }
        var sums = [Double]()
        var predictions = [Double]()
        for t in times {
            let limit = 60 / t
            var s = 0.0
            for g in sorted {
                if g > limit { break }
                s += exp(-g * t)
            }
            sums.append(n > 0 ? s / n : 0)
            predictions.append(cutoffs.level * (exponentialIntegralE1(cutoffs.gammaMin * t)
                                                - exponentialIntegralE1(cutoffs.gammaMax * t)))
        }
        deltaSigma = sums
        e1Prediction = predictions
    }
}
