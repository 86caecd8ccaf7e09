import Foundation
import GlassDynamics

/// Fig. 9's disagreement (issue #11): the electron glass's P(ln Gamma) is not flat across its
/// plateau (about 6% per e-fold at the default box). The study measures the tilt, exactly as
/// Fig. 9's verdict does, for each documented choice that could flatten it (box convention,
/// xi, T, the full rate matrix, the resolved slow modes), on the same realizations, and names
/// the choice closest to a flat 1/lambda plateau.
package struct PlateauTiltStudy: Sendable {
    /// Fig. 9's tolerance: flat means |tilt| below 2% per e-fold.
    package static let flatTolerance = 0.02

    /// The plateau tilt of a set of realizations, as Fig. 9 measures it
    /// (``CurveMetrics/plateauTilt(_:)``): the least-squares slope of the density of ln Gamma
    /// over the bins inside the interquartile range, divided by the mean density there (per
    /// e-fold), on the run's own histogram (``DistributionAnalysis``, 100 bins over the pooled
    /// range), with the bootstrap error over whole realizations (200 resamples).
    package static func tilt(outcomes: [RealizationOutcome], seed: UInt64, replicates: Int = 200) -> Measurement {
        guard !outcomes.isEmpty else { return Measurement(.nan) }
        let edges = DistributionAnalysis(outcomes: outcomes, seed: seed).lnRates
        let hists = outcomes.map { o -> Histogram in
            var h = Histogram(lower: edges.lower, upper: edges.upper, bins: edges.binCount)
            for g in o.rates { h.add(Foundation.log(g)) }
            return h
        }
        let value = CurveMetrics.plateauTilt(edges) ?? .nan
        let error = Bootstrap.standardError(of: hists, replicates: replicates, seed: seed,
                                            statistic: CurveMetrics.plateauTilt).standardError
        return Measurement(value, error: error)
    }

    /// One choice: its run and its tilt.
    package struct Row: Sendable {
        package var label: String
        package var slug: String
        package var tilt: Measurement
        package var lnGammaMin: Measurement
        package var plateauWidth: Measurement
        package var median: Measurement
        package var converged: String
        /// Change of the tilt from the default, paired bootstrap error (same realizations).
        package var change: Measurement

        package init(label: String, slug: String, tilt: Measurement, lnGammaMin: Measurement, plateauWidth: Measurement,
                     median: Measurement, converged: String, change: Measurement = Measurement(.nan)) {
            self.change = change
            self.label = label
            self.slug = slug
            self.tilt = tilt
            self.lnGammaMin = lnGammaMin
            self.plateauWidth = plateauWidth
            self.median = median
            self.converged = converged
        }
    }

    /// The choices, the default first.
    package var rows: [Row]

    package init(_ digests: [BeyondRunDigest], seed: UInt64) {
        rows = digests.map { d in
            Row(label: d.label, slug: d.slug, tilt: d.tilt, lnGammaMin: d.metrics[.lnGammaMin],
                plateauWidth: d.metrics[.plateauWidth], median: d.metrics[.medianLnGamma], converged: d.convergedText,
                change: digests.first.map { base in BeyondRunDigest.change(.plateauTilt, from: base, to: d, seed: seed) }
                    ?? Measurement(.nan))
        }
    }

    /// The choice with the smallest |tilt| (nil when none was measured).
    package var flattest: Row? {
        rows.filter { $0.tilt.value.isFinite }.min { abs($0.tilt.value) < abs($1.tilt.value) }
    }

    /// Fig. 9's claim (flat within 2% per e-fold) judged on the flattest choice, with the
    /// default's tilt beside it.
    package var judgement: Judgement {
        guard let best = flattest, let base = rows.first else { return Judgement(.inconclusive, "no tilt was measured") }
        let j = Judgement.near(best.tilt, 0, tolerance: Self.flatTolerance, what: "tilt with \(best.label)")
        return Judgement(j.verdict, "default tilt \(base.tilt.formatted(3)) per e-fold; flattest: \(best.label), "
                         + j.reason)
    }
}
