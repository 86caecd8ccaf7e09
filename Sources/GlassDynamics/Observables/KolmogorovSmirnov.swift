import Foundation

/// The one-sample Kolmogorov-Smirnov test of samples against a continuous distribution.
package enum KolmogorovSmirnov {
    /// D = sup_x |F_n(x) - F(x)| of the samples (any order) against the CDF `cdf`.
    package static func statistic(_ samples: [Double], cdf: (Double) -> Double) -> Double {
        let sorted = samples.sorted()
        let n = Double(sorted.count)
        guard n > 0 else { return .nan }
        var d = 0.0
        for (k, x) in sorted.enumerated() {
            let f = cdf(x)
            d = Swift.max(d, abs(f - Double(k) / n), abs(f - Double(k + 1) / n))
        }
        return d
    }

    /// The critical D at significance `level` for n samples, from the asymptotic law
    /// sqrt(n) D -> Kolmogorov: c(alpha) / sqrt(n), c = sqrt(-ln(alpha / 2) / 2)
    /// (1.628 at alpha = 0.01, 1.358 at 0.05); accurate for n above about 35.
    package static func criticalValue(sampleSize n: Int, level alpha: Double) -> Double {
        (-Foundation.log(alpha / 2) / 2).squareRoot() / Double(n).squareRoot()
    }

    /// The asymptotic p-value of D for n samples, with Stephens' finite-n correction
    /// lambda = (sqrt(n) + 0.12 + 0.11 / sqrt(n)) D and Q(lambda) = 2 sum (-1)^(k-1) e^(-2 k^2 lambda^2).
    package static func pValue(statistic d: Double, sampleSize n: Int) -> Double {
        guard n > 0, d.isFinite else { return .nan }
        let sn = Double(n).squareRoot()
        let lambda = (sn + 0.12 + 0.11 / sn) * d
        if lambda < 0.2 { return 1 }
        var sum = 0.0
        for k in 1...100 {
            let term = Foundation.exp(-2 * Double(k * k) * lambda * lambda)
            sum += (k % 2 == 1 ? 1 : -1) * term
            if term < 1e-16 { break }
        }
        return Swift.min(1, Swift.max(0, 2 * sum))
    }
}
