import Foundation

/// The pooled observables of a run: the DOS, the ln Gamma distribution with its plateau
/// cutoffs (bootstrap error bars over realizations), the linear window with its A/Gamma fit,
/// and the relaxation curve beside its E1 prediction.
///
/// Only converged realizations enter; the caller passes the converged outcomes and reports
/// the others. Histogram edges are fixed from the pooled data before binning, so the result
/// does not depend on the order realizations finished in.
public struct DistributionAnalysis: Sendable {
    /// Histogram of the pooled energies on [-R, R] (TLS: E_i of Eq. 6; electron glass:
    /// E - mu), in units of J; its ``Histogram/density`` is the DOS.
    public var dos: Histogram
    /// Histogram of the pooled ln Gamma (rates in units of a or Gamma0), spanning the range of
    /// the data.
    public var lnRates: Histogram
    /// Gamma_min, Gamma_max and the plateau level of ``lnRates`` (``PlateauCutoffs``); nil
    /// when there are no rates.
    public var cutoffs: PlateauCutoffs?
    /// Bootstrap standard error of ln Gamma_min over realizations (NaN with fewer than two
    /// realizations, or when fewer than two resamples have a plateau).
    public var lnGammaMinError: Double
    /// Bootstrap standard error of ln Gamma_max, as for ``lnGammaMinError``.
    public var lnGammaMaxError: Double
    /// Median of the pooled ln Gamma (NaN when there are no rates).
    public var medianLnGamma: Double
    /// The distribution of Gamma on [Gamma_min, 20 Gamma_min] with its A / Gamma fit; nil
    /// without cutoffs.
    public var linearWindow: LinearWindow?
    /// The relaxation curve beside its E1 prediction; nil without cutoffs.
    public var relaxation: RelaxationCurve?
    /// DOS at E = 0 (the bin centred on zero) over the DOS maximum: the depth of the gap.
    public var gapDepth: Double

    /// How the pooled histograms are binned and how many bootstrap resamples give the errors.
    public struct Options: Sendable {
        /// Bins of the DOS; odd, so one bin is centred on E = 0.
        public var dosBins = 201
        /// Half-width R of the DOS range [-R, R]; nil takes the 99th percentile of |E|. Models
        /// pass a range from their parameters: the 1/r^3 couplings give the TLS DOS heavy
        /// (Cauchy-like) tails, and a data-driven range would make the bins wider than T and
        /// hide the gap. Values outside are counted (`dosFractionInRange`).
        public var energyRange: Double? = nil
        /// Bins of the ln Gamma histogram.
        public var rateBins = 100
        /// Resamples of the realizations behind each bootstrap error bar.
        public var bootstrapReplicates = 200
        /// 201 DOS bins on a range from the 99th percentile of |E|, 100 ln Gamma bins, 200
        /// resamples.
        public init() {}
    }

    /// Pools `outcomes` (pass only the converged ones); `seed`, the run's seed, drives the
    /// bootstrap resampling, so the error bars are reproducible.
    public init(outcomes: [RealizationOutcome], seed: UInt64, options: Options = Options()) {
        let allE = outcomes.flatMap { $0.energies }
        var range = options.energyRange ?? 0
        if options.energyRange == nil {
            let mags = allE.map(abs).sorted()
            range = mags.isEmpty ? 1 : mags[Swift.min(Int(0.99 * Double(mags.count)), mags.count - 1)]
            range = DistributionAnalysis.roundUp(range)
        }
        if !(range > 0) { range = 1 }
        let dosBins = options.dosBins | 1
        var dos = Histogram(lower: -range, upper: range, bins: dosBins)
        dos.add(contentsOf: allE)
        self.dos = dos
        let d = dos.density
        let peak = d.max() ?? 0
        gapDepth = peak > 0 ? d[dosBins / 2] / peak : .nan

        let lnAll = outcomes.flatMap { $0.rates.map { log($0) } }
        let lo = lnAll.min() ?? 0, hi = lnAll.max() ?? 1
        let span = Swift.max(hi - lo, 1e-6)
        let lower = lo - 1e-9 * span, upper = hi + 1e-9 * span
        let perRealization = outcomes.map { o -> Histogram in
            var h = Histogram(lower: lower, upper: upper, bins: options.rateBins)
            for g in o.rates { h.add(log(g)) }
            return h
        }
        var pooled = Histogram(lower: lower, upper: upper, bins: options.rateBins)
        for h in perRealization { pooled.merge(h) }
        lnRates = pooled
        medianLnGamma = lnAll.isEmpty ? .nan : pooled.quantile(0.5)
        cutoffs = PlateauCutoffs(histogram: pooled)
        lnGammaMinError = Bootstrap.standardError(of: perRealization, replicates: options.bootstrapReplicates, seed: seed) {
            PlateauCutoffs(histogram: $0)?.lnGammaMin
        }.standardError
        lnGammaMaxError = Bootstrap.standardError(of: perRealization, replicates: options.bootstrapReplicates, seed: seed) {
            PlateauCutoffs(histogram: $0)?.lnGammaMax
        }.standardError
        if let c = cutoffs, !lnAll.isEmpty {
            let rates = outcomes.flatMap { $0.rates }
            linearWindow = LinearWindow(rates: rates, gammaMin: c.gammaMin)
            relaxation = RelaxationCurve(rates: rates, cutoffs: c)
        }
    }

    /// Rounds up to two significant digits, for readable histogram edges.
    static func roundUp(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return 1 }
        let scale = pow(10, floor(log10(x)) - 1)
        return ceil(x / scale) * scale
    }

    /// The tables every model writes: dos.csv, then (when `includeRates`; a run without rates
    /// writes only the DOS) rates.csv, rates_linear.csv and relaxation.csv.
    public func tables(includeRates: Bool = true) -> [(name: String, table: CSVTable)] {
        var dosTable = CSVTable(columns: ["E", "density"])
        for (k, v) in dos.density.enumerated() { dosTable.append([dos.center(k), v]) }
        guard includeRates else { return [("dos.csv", dosTable)] }

        var rateTable = CSVTable(columns: ["lnGamma", "density"])
        for (k, v) in lnRates.density.enumerated() { rateTable.append([lnRates.center(k), v]) }

        var linear = CSVTable(columns: ["Gamma", "density", "fit"])
        if let w = linearWindow {
            for k in w.gamma.indices { linear.append([w.gamma[k], w.density[k], w.fit[k]]) }
        }

        var relax = CSVTable(columns: ["t", "deltaSigma", "e1Prediction"])
        if let r = relaxation {
            for k in r.times.indices { relax.append([r.times[k], r.deltaSigma[k], r.e1Prediction[k]]) }
        }
        return [("dos.csv", dosTable), ("rates.csv", rateTable), ("rates_linear.csv", linear), ("relaxation.csv", relax)]
    }

    /// The observables block of summary.json.
    public var summary: Summary { Summary(self) }

    /// The observables block of summary.json, as a value.
    public struct Summary: Codable, Sendable {
        /// ln Gamma_min of the pooled histogram, where the ln Gamma density first falls below half
        /// the plateau level (nil when there are no rates).
        public var lnGammaMin: Double?
        /// Bootstrap standard error of `lnGammaMin` over realizations (NaN with fewer than two).
        public var lnGammaMinError: Double
        /// ln Gamma_max of the pooled histogram, the same rule scanning up (nil when there are no
        /// rates).
        public var lnGammaMax: Double?
        /// Bootstrap standard error of `lnGammaMax` over realizations (NaN with fewer than two).
        public var lnGammaMaxError: Double
        /// ln(Gamma_max / Gamma_min): the width of the 1/Gamma law in e-folds (nil without rates).
        public var plateauWidth: Double?
        /// Density of ln Gamma on the plateau as a fraction of all rates: c' of the logarithmic
        /// relaxation (nil without rates).
        public var plateauLevel: Double?
        /// Median of the pooled ln Gamma (NaN without rates).
        public var medianLnGamma: Double
        /// A of the A / Gamma fit on [Gamma_min, 20 Gamma_min] (nil without rates).
        public var linearFitAmplitude: Double?
        /// Reduced chi-square of that fit (nil without rates; NaN with fewer than two filled bins).
        public var linearFitReducedChiSquare: Double?
        /// The DOS in the bin centred on E = 0, per unit energy (unit area over `dosRange`).
        public var dosAtZero: Double
        /// The largest bin of the DOS, per unit energy.
        public var dosMax: Double?
        /// `dosAtZero / dosMax`: near 0 for a deep gap, 1 for none (NaN when there are no
        /// energies).
        public var gapDepth: Double
        /// [-R, R], the binned energy range of dos.csv, in units of J.
        public var dosRange: [Double]
        /// Fraction of the pooled energies inside `dosRange`.
        public var dosFractionInRange: Double
        /// The cutoff rule, in words (``PlateauCutoffs``).
        public var plateauRule = "level = median density of ln Gamma over bins inside the interquartile range; Gamma_min/max = where the density first falls below half the level, scanning out from the plateau centre"

        init(_ a: DistributionAnalysis) {
            lnGammaMin = a.cutoffs?.lnGammaMin
            lnGammaMinError = a.lnGammaMinError
            lnGammaMax = a.cutoffs?.lnGammaMax
            lnGammaMaxError = a.lnGammaMaxError
            plateauWidth = a.cutoffs?.width
            plateauLevel = a.cutoffs?.level
            medianLnGamma = a.medianLnGamma
            linearFitAmplitude = a.linearWindow?.amplitude
            linearFitReducedChiSquare = a.linearWindow?.reducedChiSquare
            dosAtZero = a.dos.density[a.dos.binCount / 2]
            dosMax = a.dos.density.max()
            gapDepth = a.gapDepth
            dosRange = [a.dos.lower, a.dos.upper]
            dosFractionInRange = a.dos.fractionInRange
        }
    }
}
