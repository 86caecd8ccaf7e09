import Foundation

/// The pooled observables of a run: the DOS, the ln Gamma distribution with its plateau
/// cutoffs (bootstrap error bars over realizations), the linear window with its A/Gamma fit,
/// and the relaxation curve beside its E1 prediction.
///
/// Only converged realizations enter; the caller passes the converged outcomes and reports
/// the others. Histogram edges are fixed from the pooled data before binning, so the result
/// does not depend on the order realizations finished in.
public struct DistributionAnalysis: Sendable {
    public var dos: Histogram
    public var lnRates: Histogram
    public var cutoffs: PlateauCutoffs?
    public var lnGammaMinError: Double
    public var lnGammaMaxError: Double
    public var medianLnGamma: Double
    public var linearWindow: LinearWindow?
    public var relaxation: RelaxationCurve?
    /// DOS at E = 0 (the bin centred on zero) over the DOS maximum: the depth of the gap.
    public var gapDepth: Double

    public struct Options: Sendable {
        /// Bins of the DOS; odd, so one bin is centred on E = 0.
        public var dosBins = 201
        /// Half-width R of the DOS range [-R, R]; nil takes the 99th percentile of |E|. Models
        /// pass a range from their parameters: the 1/r^3 couplings give the TLS DOS heavy
        /// (Cauchy-like) tails, and a data-driven range would make the bins wider than T and
        /// hide the gap. Values outside are counted (`dosFractionInRange`).
        public var energyRange: Double? = nil
        public var rateBins = 100
        public var bootstrapReplicates = 200
        public init() {}
    }

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
        public var lnGammaMin: Double?
        public var lnGammaMinError: Double
        public var lnGammaMax: Double?
        public var lnGammaMaxError: Double
        public var plateauWidth: Double?
        public var plateauLevel: Double?
        public var medianLnGamma: Double
        public var linearFitAmplitude: Double?
        public var linearFitReducedChiSquare: Double?
        public var dosAtZero: Double
        public var dosMax: Double?
        public var gapDepth: Double
        public var dosRange: [Double]
        public var dosFractionInRange: Double
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
