import Foundation
import GlassDynamics

/// The error of `--cutoff r_c`, measured against the exact sum on the same realizations (same
/// positions, asymmetries, tunnelling amplitudes, couplings within r_c and initial state), on the
/// two distributions the runs report: the DOS of E and the histogram of ln Gamma.
///
/// Metrics, each between the pooled exact and cutoff samples:
/// - `dosL1`: sum over bins of |p_exact - p_cutoff| times the bin width (0 = identical, 2 =
///   disjoint), on the DOS bins of `glassdyn tls` (201 bins on +-R);
/// - `lnGammaL1`: the same for ln Gamma on 100 bins spanning the exact range;
/// - `energyKS`, `lnGammaKS`: two-sample Kolmogorov-Smirnov distances (largest CDF gap);
/// - `medianShift`, `p99Shift`: median and 99th percentile of |E_cutoff - E_exact| per site;
/// - `gapDepth`: DOS(0) / DOS(max) of the cutoff run (the exact one is on the reference row).
/// The reference row (`cutoff` nil) compares the two halves of the exact realizations (even
/// against odd indices): the sampling noise of the histograms at half the statistics, the scale
/// against which a cutoff's error is small or not.
public struct CutoffStudy: Sendable {
    public var parameters: TLSParameters
    public var cutoffs: [Double]
    public var realizations = 4
    public var seed: UInt64 = 1
    public var threads = ParallelRunner.availableCores

    public init(parameters: TLSParameters, cutoffs: [Double]) {
        self.parameters = parameters
        self.cutoffs = cutoffs
    }

    public struct Row: Sendable, Codable {
        public var cutoff: Double?
        /// Realizations that did not converge (excluded from the comparison).
        public var notConverged: Int
        public var dosL1: Double
        public var lnGammaL1: Double
        public var energyKS: Double
        public var lnGammaKS: Double
        public var medianShift: Double
        public var p99Shift: Double
        public var gapDepth: Double
        /// Wall seconds per realization (build + solve + rates) and stored neighbours per site.
        public var seconds: Double
        public var pairEvaluations: Double

        enum CodingKeys: String, CodingKey {
            case cutoff, notConverged, dosL1, lnGammaL1, energyKS, lnGammaKS, medianShift, p99Shift, gapDepth
            case seconds = "secondsPerRealization", pairEvaluations = "pairEvaluationsPerRealization"
        }
    }

    struct Samples {
        var energies = [[Double]]()
        var lnRates = [[Double]]()
        var converged = [Bool]()
        var seconds = 0.0
        var pairs = 0.0
    }

    func solve(cutoff: Double?) throws -> Samples {
        var p = parameters
        p.cutoff = cutoff
        var s = RunSettings()
        s.seed = seed
        s.realizations = 1
        s.threads = threads
        s.quiet = true
        let e = TLSExperiment(parameters: p, settings: s)
        try e.validate()
        var out = Samples()
        for r in 0..<realizations {
            let o = try e.realization(r, innerThreads: threads).outcome
            out.converged.append(o.solver.converged)
            out.energies.append(o.energies)
            out.lnRates.append(o.rates.map { Foundation.log($0) })
            out.seconds += o.timings.reduce(0) { $0 + $1.1 } / Double(realizations)
            out.pairs += Double(o.solver.pairEvaluations) / Double(realizations)
        }
        return out
    }

    /// Runs the exact reference and every cutoff; the first row is the noise reference.
    public func run(progress: ((Row) -> Void)? = nil) throws -> [Row] {
        let exact = try solve(cutoff: nil)
        let range = 4 * (parameters.disorder * parameters.disorder + parameters.interaction * parameters.interaction)
            .squareRoot() + 4 * parameters.temperature
        let allLn = exact.lnRates.flatMap { $0 }
        let lnLo = (allLn.min() ?? 0) - 1e-9, lnHi = (allLn.max() ?? 1) + 1e-9
        func dos(_ xs: [Double]) -> Histogram {
            var h = Histogram(lower: -range, upper: range, bins: 201)
            h.add(contentsOf: xs)
            return h
        }
        func rates(_ xs: [Double]) -> Histogram {
            var h = Histogram(lower: lnLo, upper: Swift.max(lnHi, lnLo + 1e-6), bins: 100)
            h.add(contentsOf: xs)
            return h
        }
        func depth(_ h: Histogram) -> Double {
            let d = h.density
            return (d.max() ?? 0) > 0 ? d[d.count / 2] / d.max()! : .nan
        }
        var rows = [Row]()
        // Only realizations whose exact solve converged enter (non-converged ones are counted).
        let usable = (0..<realizations).filter { exact.converged[$0] }
        // Noise reference: even against odd realizations (or the two halves of the sites of a
        // single realization).
        let (e1, e2, l1, l2): ([Double], [Double], [Double], [Double])
        guard let first = usable.first else {
            throw GlassDynamicsError.invalidInput("cutoff study: no exact realization converged")
        }
        if usable.count >= 2 {
            let even = stride(from: 0, to: usable.count, by: 2).map { usable[$0] }
            let odd = stride(from: 1, to: usable.count, by: 2).map { usable[$0] }
            e1 = even.flatMap { exact.energies[$0] }; e2 = odd.flatMap { exact.energies[$0] }
            l1 = even.flatMap { exact.lnRates[$0] }; l2 = odd.flatMap { exact.lnRates[$0] }
        } else {
            let e = exact.energies[first], l = exact.lnRates[first]
            e1 = stride(from: 0, to: e.count, by: 2).map { e[$0] }; e2 = stride(from: 1, to: e.count, by: 2).map { e[$0] }
            l1 = stride(from: 0, to: l.count, by: 2).map { l[$0] }; l2 = stride(from: 1, to: l.count, by: 2).map { l[$0] }
        }
        let exactDOS = dos(usable.flatMap { exact.energies[$0] })
        let reference = Row(cutoff: nil, notConverged: realizations - usable.count, dosL1: Self.l1(dos(e1), dos(e2)), lnGammaL1: Self.l1(rates(l1), rates(l2)),
                            energyKS: Self.ks(e1, e2), lnGammaKS: Self.ks(l1, l2), medianShift: 0, p99Shift: 0,
                            gapDepth: depth(exactDOS), seconds: exact.seconds, pairEvaluations: exact.pairs)
        rows.append(reference)
        progress?(reference)
        for rc in cutoffs {
            let cut = try solve(cutoff: rc)
            let both = usable.filter { cut.converged[$0] }
            guard !both.isEmpty else { continue }
            var shifts = [Double]()
            for r in both {
                for i in exact.energies[r].indices { shifts.append(abs(cut.energies[r][i] - exact.energies[r][i])) }
            }
            shifts.sort()
            let eAll = both.flatMap { exact.energies[$0] }, cAll = both.flatMap { cut.energies[$0] }
            let lAll = both.flatMap { exact.lnRates[$0] }, clAll = both.flatMap { cut.lnRates[$0] }
            let cutDOS = dos(cAll)
            let row = Row(cutoff: rc, notConverged: realizations - cut.converged.filter { $0 }.count, dosL1: Self.l1(exactDOS, cutDOS), lnGammaL1: Self.l1(rates(lAll), rates(clAll)),
                          energyKS: Self.ks(eAll, cAll), lnGammaKS: Self.ks(lAll, clAll),
                          medianShift: shifts[shifts.count / 2], p99Shift: shifts[Swift.min(shifts.count - 1, Int(0.99 * Double(shifts.count)))],
                          gapDepth: depth(cutDOS), seconds: cut.seconds, pairEvaluations: cut.pairs)
            rows.append(row)
            progress?(row)
        }
        return rows
    }

    /// sum |p - q| dx of two histograms on the same bins (densities over the binned range).
    public static func l1(_ a: Histogram, _ b: Histogram) -> Double {
        zip(a.density, b.density).reduce(0) { $0 + abs($1.0 - $1.1) } * a.binWidth
    }

    /// Two-sample Kolmogorov-Smirnov distance sup_x |F_a(x) - F_b(x)|.
    public static func ks(_ a: [Double], _ b: [Double]) -> Double {
        let x = a.sorted(), y = b.sorted()
        var i = 0, j = 0, d = 0.0
        while i < x.count && j < y.count {
            let v = Swift.min(x[i], y[j])
            while i < x.count && x[i] <= v { i += 1 }
            while j < y.count && y[j] <= v { j += 1 }
            d = Swift.max(d, abs(Double(i) / Double(x.count) - Double(j) / Double(y.count)))
        }
        return d
    }
}
