import Foundation
import GlassDynamics

/// What one run of the section "Beyond the paper's approximations" measured: Fig. 9's
/// metrics (``CurveMetrics``, with their bootstrap errors), the pooled ln Gamma quantiles,
/// the electron glass's floor counts, and the relaxation modes when computed.
package struct BeyondRunDigest: Sendable {
    package var slug: String
    package var label: String
    package var model: GlassModel
    package var sites: Int
    /// ln Gamma_min, median ln Gamma, plateau width and the plateau tilt, as the figures measure them.
    package var metrics: CurveMetrics
    /// The plateau tilt measured by ``PlateauTiltStudy/tilt(outcomes:seed:replicates:)`` (equal to
    /// `metrics[.plateauTilt]`: the same histograms and the same bootstrap).
    package var tilt: Measurement
    /// Pooled ln Gamma of the kept realizations at ``BeyondRunDigest/quantileLevels``.
    package var quantiles: [Double]
    /// The smallest pooled ln Gamma.
    package var slowest: Double
    /// Rates pooled.
    package var rateCount: Int
    /// Electron glass: eigenvalues dsyevd dropped below its floor N eps max|lambda| (summed
    /// over the converged realizations); nil for the TLS glass.
    package var belowFloor: Int?
    /// Electron glass with the accurate rates: modes left unresolved (summed).
    package var unresolved: Int?
    /// The relaxation modes of the kept realizations (runs with modes only).
    package var modes: [RelaxationMode]
    /// Realizations excluded by the full matrix (saddles or wrong-sign rates).
    package var unstable: Int
    package var wallTime: Double
    /// Each converged realization's histogram of ln Gamma on the run's own bins, by
    /// realization index (for changes between runs on the same realizations).
    package var histograms: [Int: Histogram]

    /// The quantile levels of ``quantiles``.
    package static let quantileLevels = [0.001, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95]

    /// Digests a finished run of `point`.
    package init(slug: String, label: String, point: ModelPoint, result: any ModelRunResult, seed: UInt64) {
        self.slug = slug
        self.label = label
        model = point.model
        sites = point.sites
        metrics = CurveMetrics.measure(result, point: point, seed: seed)
        let used = result.outcomes.filter { $0.solver.converged }
        tilt = PlateauTiltStudy.tilt(outcomes: used, seed: seed)
        let edges = result.analysis.lnRates
        histograms = Dictionary(uniqueKeysWithValues: used.map { o -> (Int, Histogram) in
            var h = Histogram(lower: edges.lower, upper: edges.upper, bins: edges.binCount)
            for g in o.rates { h.add(Foundation.log(g)) }
            return (o.index, h)
        })
        let ln = used.flatMap { $0.rates.map { Foundation.log($0) } }.sorted()
        quantiles = Self.quantileLevels.map { DirectTermStudy.quantile(ln, $0) }
        slowest = ln.first ?? .nan
        rateCount = ln.count
        wallTime = result.wallTime
        if let eg = result as? EGRunResult {
            let converged = eg.realizations.filter { $0.outcome.solver.converged }
            belowFloor = converged.reduce(0) { $0 + ($1.spectrum?.belowFloor ?? 0) }
            unresolved = converged.reduce(0) { $0 + ($1.spectrum?.unresolved ?? 0) }
            modes = eg.realizations.filter(\.isPooled).flatMap { $0.linear?.modes ?? [] }
            unstable = converged.filter { !($0.linear?.isStable ?? true) }.count
        } else if let tls = result as? TLSRunResult {
            belowFloor = nil
            unresolved = nil
            modes = tls.linear.filter { $0.outcome.isStable }.flatMap { $0.outcome.modes ?? [] }
            unstable = tls.linear.filter { !$0.outcome.isStable }.count
        } else {
            belowFloor = nil
            unresolved = nil
            modes = []
            unstable = 0
        }
    }

    /// The pooled ln Gamma quantile at `level` (one of ``quantileLevels``).
    package func quantile(_ level: Double) -> Double {
        Self.quantileLevels.firstIndex(of: level).map { quantiles[$0] } ?? .nan
    }

    /// Realizations converged / requested.
    package var convergedText: String { "\(metrics.converged)/\(metrics.requested)" }

    /// A metric's change from run `a` to run `b` on the same realizations: the value is the
    /// difference of the two runs' measurements, the error the paired bootstrap's
    /// (``Bootstrap/pairedStandardError(of:_:replicates:seed:statistic:)``) over the
    /// realizations both kept.
    package static func change(_ metric: Metric, from a: BeyondRunDigest, to b: BeyondRunDigest, seed: UInt64) -> Measurement {
        let value = b.metrics[metric].value - a.metrics[metric].value
        let common = a.histograms.keys.filter { b.histograms[$0] != nil }.sorted()
        let statistic: (Histogram) -> Double?
        switch metric {
        case .lnGammaMin: statistic = { PlateauCutoffs(histogram: $0)?.lnGammaMin }
        case .plateauWidth: statistic = { PlateauCutoffs(histogram: $0)?.width }
        case .medianLnGamma: statistic = { $0.inRange > 0 ? $0.quantile(0.5) : nil }
        case .plateauTilt: statistic = CurveMetrics.plateauTilt
        default: return Measurement(value)
        }
        let error = Bootstrap.pairedStandardError(of: common.map { a.histograms[$0]! }, common.map { b.histograms[$0]! },
                                                  seed: seed, statistic: statistic)
        return Measurement(value, error: error)
    }
}
