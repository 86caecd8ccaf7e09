import Foundation
import GlassDynamics

/// Bootstrap over realizations of a statistic of the column means of one or more row sets
/// (one row per realization; sets paired: row k of every set is realization k). The draws are
/// those of ``Bootstrap`` (purpose `.bootstrap`), so error bars are as reproducible as the data.
package enum RowBootstrap {
    /// Column means of `rows`.
    package static func means(_ rows: [[Double]]) -> [Double] {
        guard let m = rows.first?.count else { return [] }
        return (0..<m).map { c in rows.reduce(0) { $0 + $1[c] } / Double(rows.count) }
    }

    /// The statistic of the full means and its standard error over `replicates` resamples
    /// (resamples where it is nil or not finite are skipped).
    package static func measure(_ sets: [[[Double]]], seed: UInt64, replicates: Int = 200,
                                statistic: ([[Double]]) -> Double?) -> Measurement {
        guard let n = sets.first?.count, n > 0, sets.allSatisfy({ $0.count == n }) else { return Measurement(.nan) }
        func means(_ weights: [Int]) -> [[Double]] {
            sets.map { rows in
                var s = [Double](repeating: 0, count: rows[0].count)
                for (k, w) in weights.enumerated() where w > 0 { for c in s.indices { s[c] += Double(w) * rows[k][c] } }
                return s.map { $0 / Double(n) }
            }
        }
        let value = statistic(means([Int](repeating: 1, count: n))) ?? .nan
        guard n > 1 else { return Measurement(value) }
        let streams = RealizationStreams(seed: seed, realization: Int(UInt32.max))
        var values = [Double]()
        for b in 0..<replicates {
            var weights = [Int](repeating: 0, count: n)
            for k in 0..<n { weights[Swift.min(Int(streams.uniform(.bootstrap, index: k, slot: b) * Double(n)), n - 1)] += 1 }
            if let v = statistic(means(weights)), v.isFinite { values.append(v) }
        }
        guard values.count > 1 else { return Measurement(value) }
        let mean = values.reduce(0, +) / Double(values.count)
        let sd = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)).squareRoot()
        return Measurement(value, error: sd)
    }
}

/// Item 1: the gap at E = 0 of a single-site DOS, exact (KMC) against mean field.
///
/// Depth: the density averaged over the bins with |E| < `core` (the gap's floor) over the
/// density's maximum (1 = no gap, 0 = a hard gap). Width: the smallest |E| at which the
/// symmetrised density (g(E) + g(-E)) / 2 reaches half its maximum (linear between bin
/// centres). Both from the mean DOS over realizations, with bootstrap errors over them.
package struct GapComparison: Sendable {
    package var model: GlassModel
    package var kmcDepth, kmcWidth, meanFieldDepth, meanFieldWidth: Measurement
    /// Mean field minus exact, paired bootstrap (the same resampled realizations on both sides).
    package var depthChange, widthChange: Measurement
    /// |E| below which the depth is averaged.
    package var core: Double

    /// Depth agreement: |depth change| below this (in units of the maximum density).
    package static let depthTolerance = 0.1
    /// Width agreement: |width change| below this fraction of the exact width.
    package static let widthTolerance = 0.25

    /// Depth and width of a density on symmetric bin centres.
    package static func shape(centers: [Double], density: [Double], core: Double) -> (depth: Double, width: Double)? {
        // The maximum and the half-maximum crossing from a 3-bin running mean (a single noisy
        // bin would bias the maximum up); the floor from the raw bins within the core.
        let smooth = density.indices.map { k in
            let r = Swift.max(0, k - 1)...Swift.min(density.count - 1, k + 1)
            return density[r].reduce(0, +) / Double(r.count)
        }
        guard centers.count == density.count, let peak = smooth.max(), peak > 0 else { return nil }
        let floor = centers.indices.filter { abs(centers[$0]) < core }.map { density[$0] }
        guard !floor.isEmpty else { return nil }
        // Symmetrise on |E|: pair bin k with its mirror (centres symmetric about 0).
        let n = centers.count
        let half = (n / 2..<n).map { k in (abs(centers[k]), 0.5 * (smooth[k] + smooth[n - 1 - k])) }
        let top = half.map(\.1).max() ?? 0
        var width = Double.nan
        for k in half.indices where half[k].1 >= 0.5 * top {
            if k == 0 { width = half[0].0 } else {
                let (x0, y0) = half[k - 1], (x1, y1) = half[k]
                width = x0 + (0.5 * top - y0) / (y1 - y0) * (x1 - x0)
            }
            break
        }
        return (floor.reduce(0, +) / Double(floor.count) / peak, width)
    }

    /// The comparison from per-realization normalised densities (`kmc[k]`, `meanField[k]`:
    /// realization k, on the bins `centers`).
    package init(model: GlassModel, centers: [Double], kmc: [[Double]], meanField: [[Double]], core: Double, seed: UInt64) {
        self.model = model
        self.core = core
        func one(_ pick: @escaping ((depth: Double, width: Double)) -> Double, _ side: Int) -> Measurement {
            RowBootstrap.measure([kmc, meanField], seed: seed) { m in Self.shape(centers: centers, density: m[side], core: core).map(pick) }
        }
        func change(_ pick: @escaping ((depth: Double, width: Double)) -> Double) -> Measurement {
            RowBootstrap.measure([kmc, meanField], seed: seed) { m in
                guard let a = Self.shape(centers: centers, density: m[0], core: core),
                      let b = Self.shape(centers: centers, density: m[1], core: core) else { return nil }
                return pick(b) - pick(a)
            }
        }
        kmcDepth = one(\.depth, 0)
        kmcWidth = one(\.width, 0)
        meanFieldDepth = one(\.depth, 1)
        meanFieldWidth = one(\.width, 1)
        depthChange = change(\.depth)
        widthChange = change(\.width)
    }

    /// "agree" when mean field's depth is within ``depthTolerance`` and its width within
    /// ``widthTolerance`` of the exact gap's (error bars included), "disagree" when either
    /// lies wholly outside.
    package var judgement: Judgement {
        let gap = model == .eg ? "Coulomb gap" : "dipole gap"
        return Judgement.combine([
            Judgement.near(depthChange, 0, tolerance: Self.depthTolerance, what: "\(model.title) \(gap): depth (mean field − exact)"),
            Judgement.near(widthChange, 0, tolerance: Self.widthTolerance * abs(kmcWidth.value),
                           what: "width (mean field − exact)"),
        ])
    }
}

/// Item 2: is the KMC energy after a quench linear in ln t over the window where the mean
/// field predicts logarithmic relaxation, [1/Gamma_max, 1/Gamma_min] (clipped to the times
/// the run reached)?
///
/// Fits E = a + s ln t by least squares over the window (slope s with bootstrap errors over
/// realizations), and the same on the window's lower and upper halves in ln t: linear in ln t
/// when the two half-slopes agree within ``curvatureTolerance`` of |s|.
package struct LogLawWindow: Sendable {
    package var gammaMin, gammaMax: Double
    /// The window actually tested (clipped to the run's grid).
    package var window: ClosedRange<Double>?
    package var slope: Measurement
    /// Intercept a of the fit to the mean energy (for the figure).
    package var intercept: Double
    /// Slope of the upper half minus that of the lower half.
    package var curvature: Measurement
    package var points: Int

    /// The half-slopes must agree within this fraction of |s|.
    package static let curvatureTolerance = 0.3
    /// The window must span at least this many decades to be tested.
    package static let minimumDecades = 1.0

    /// Least-squares slope of y against ln t over the indices `idx`.
    static func slope(_ t: [Double], _ y: [Double], _ idx: [Int]) -> Double? {
        guard idx.count >= 2 else { return nil }
        let x = idx.map { Foundation.log(t[$0]) }, v = idx.map { y[$0] }
        let mx = x.reduce(0, +) / Double(x.count), my = v.reduce(0, +) / Double(v.count)
        var sxx = 0.0, sxy = 0.0
        for k in x.indices { sxx += (x[k] - mx) * (x[k] - mx); sxy += (x[k] - mx) * (v[k] - my) }
        return sxx > 0 ? sxy / sxx : nil
    }

    /// From the grid `times`, one energy row per realization, and the mean-field cutoffs.
    package init(times: [Double], energies: [[Double]], gammaMin: Double, gammaMax: Double, seed: UInt64) {
        self.gammaMin = gammaMin
        self.gammaMax = gammaMax
        let lo = Swift.max(1 / gammaMax, times.first ?? .nan), hi = Swift.min(1 / gammaMin, times.last ?? .nan)
        let idx = times.indices.filter { times[$0] >= lo * (1 - 1e-12) && times[$0] <= hi * (1 + 1e-12) }
        points = idx.count
        guard lo.isFinite, hi.isFinite, hi >= lo * Foundation.pow(10, Self.minimumDecades) * (1 - 1e-9), idx.count >= 4 else {
            window = lo.isFinite && hi.isFinite && hi > lo ? lo...hi : nil
            intercept = .nan
            slope = Measurement(.nan)
            curvature = Measurement(.nan)
            return
        }
        window = lo...hi
        let mid = 0.5 * (Foundation.log(lo) + Foundation.log(hi))
        let lower = idx.filter { Foundation.log(times[$0]) <= mid + 1e-12 }, upper = idx.filter { Foundation.log(times[$0]) >= mid - 1e-12 }
        let s = RowBootstrap.measure([energies], seed: seed) { Self.slope(times, $0[0], idx) }
        let mean = RowBootstrap.means(energies)
        slope = s
        intercept = idx.reduce(0) { $0 + mean[$1] - s.value * Foundation.log(times[$1]) } / Double(idx.count)
        curvature = RowBootstrap.measure([energies], seed: seed) { m in
            guard let a = Self.slope(times, m[0], lower), let b = Self.slope(times, m[0], upper) else { return nil }
            return b - a
        }
    }

    /// "agree": the energy falls (s < 0 beyond its error bar) and the half-slopes agree within
    /// ``curvatureTolerance`` |s|; "disagree" when the difference lies wholly beyond it or the
    /// energy does not fall; "inconclusive" when the window is shorter than a decade.
    package var judgement: Judgement {
        guard let w = window, slope.value.isFinite else {
            let span = window.map { String(format: "[%.3g, %.3g]", $0.lowerBound, $0.upperBound) } ?? "empty"
            return Judgement(.inconclusive, String(format: "the window 1/Γ_max … 1/Γ_min = [%.3g, %.3g] clipped to the run is %@: shorter than %.0f decade",
                                                   1 / gammaMax, 1 / gammaMin, span, Self.minimumDecades))
        }
        let text = String(format: "over t = %.3g … %.3g (%d points; 1/Γ_max = %.3g, 1/Γ_min = %.3g): dE/d ln t = ",
                          w.lowerBound, w.upperBound, points, 1 / gammaMax, 1 / gammaMin) + slope.formatted(4)
        if slope.high >= 0 { return Judgement(.disagree, text + ": the energy does not fall logarithmically") }
        let tol = Self.curvatureTolerance * abs(slope.value)
        let bend = Judgement.near(curvature, 0, tolerance: tol, what: "change of slope between the window's halves")
        return Judgement(bend.verdict, text + "; " + bend.reason)
    }
}

/// Item 3: where the KMC response leaves the linear-response prediction exp(A t).
package struct ResponseParting: Sendable {
    package var waitingTime: Double
    package var label: String
    /// The first time t of the grid from which |KMC - prediction| exceeds ``sigmas`` error bars
    /// at two consecutive grid times (nil: never), with the KMC value and the prediction there.
    package var partingTime: Double?
    package var kmcThere: Double
    package var predictionThere: Double
    /// KMC / prediction at the first grid time (the amplitude ratio).
    package var initialRatio: Double
    /// Largest |KMC - prediction| / error over the grid.
    package var largestPull: Double
    /// Largest |prediction| / error over the grid: below ``sigmas`` the KMC could not have told
    /// the prediction from zero (used by the electron glass's verdict, ``EGResponseComparison``).
    package var predictionPull = 0.0

    /// Standard errors beyond which the curves have parted.
    package static let sigmas = 3.0

    /// From the grid, the KMC mean and its bootstrap error, and the prediction on the grid.
    /// `resolution` is the smallest non-zero change of the KMC mean (one spin of one
    /// trajectory): an error bar below it (no twin ever differed) counts as that.
    package init(label: String, waitingTime: Double, times: [Double], kmc: [Double], error: [Double], prediction: [Double],
                 resolution: Double = 0) {
        self.label = label
        self.waitingTime = waitingTime
        var first: Int? = nil
        var pull = 0.0
        var previous: Int? = nil
        for k in times.indices {
            guard kmc[k].isFinite && prediction[k].isFinite else { previous = nil; continue }
            // An error bar of zero (identical twins everywhere) is the resolution, and at least rounding.
            let e = Swift.max(error[k].isFinite ? error[k] : 0, resolution, 1e-12 * Swift.max(abs(prediction[k]), 1e-300))
            let p = abs(kmc[k] - prediction[k]) / e
            pull = Swift.max(pull, p)
            predictionPull = Swift.max(predictionPull, abs(prediction[k]) / e)
            if p > Self.sigmas {
                if first == nil, let before = previous { first = before }
                previous = previous ?? k
            } else {
                previous = nil
            }
        }
        largestPull = pull
        partingTime = first.map { times[$0] }
        kmcThere = first.map { kmc[$0] } ?? .nan
        predictionThere = first.map { prediction[$0] } ?? .nan
        initialRatio = kmc.first.flatMap { k in prediction.first.map { k / $0 } } ?? .nan
    }

    /// "agree" when the KMC stays within ``sigmas`` error bars of the prediction at every t,
    /// "disagree" (with where and by how much) otherwise.
    package var judgement: Judgement {
        let head = String(format: "%@, t_w = %g: ", label, waitingTime)
        guard let t = partingTime else {
            return Judgement(.agree, head + String(format: "never beyond %.0fσ at two consecutive t (largest single pull %.2gσ; KMC / prediction at the first t %.3g)",
                                                   Self.sigmas, largestPull, initialRatio))
        }
        return Judgement(.disagree, head + String(format: "parts at t = %.3g (t/t_w = %.3g): KMC %.3g against %.3g (ratio %.3g); largest pull %.2gσ",
                                                  t, t / waitingTime, kmcThere, predictionThere, kmcThere / predictionThere, largestPull))
    }
}

/// Item 4: does C(t_w + t, t_w) collapse onto one function of t/t_w?
///
/// For each pair of waiting times, both curves are interpolated (linearly in ln(t/t_w)) on
/// the other's points of x = t/t_w inside their common range; the deviation is the largest
/// |C_a(x) - C_b(x)| over all pairs and points, its error the two curves' errors there added
/// in quadrature. Collapse: deviation < ``tolerance`` with its error bar.
package struct AgingScaling: Sendable {
    package var waitingTimes: [Double]
    package var deviation: Measurement
    /// x = t/t_w where the largest deviation sits.
    package var worstX: Double
    /// The deviation of the same curves against t instead of t/t_w (what no aging would give).
    package var deviationAgainstT: Double

    /// A collapse holds when the curves agree to this in C.
    package static let tolerance = 0.05

    /// Interpolates (x, y) at x0 linearly in ln x; nil outside.
    static func interpolate(_ x: [Double], _ y: [Double], at x0: Double) -> Double? {
        guard let k = x.indices.dropFirst().first(where: { x[$0] >= x0 }), x[k - 1] <= x0 else { return x.first == x0 ? y.first : nil }
        let a = Foundation.log(x[k - 1]), b = Foundation.log(x[k])
        let u = b > a ? (Foundation.log(x0) - a) / (b - a) : 0
        return y[k - 1] + u * (y[k] - y[k - 1])
    }

    static func largest(_ xs: [[Double]], _ c: [[Double]], _ e: [[Double]]) -> (dev: Double, err: Double, x: Double) {
        var best = (dev: 0.0, err: Double.nan, x: Double.nan)
        for a in xs.indices {
            for b in xs.indices where b != a {
                for k in xs[a].indices where c[a][k].isFinite {
                    guard let cb = interpolate(xs[b], c[b], at: xs[a][k]), cb.isFinite,
                          let eb = interpolate(xs[b], e[b], at: xs[a][k]) else { continue }
                    let d = abs(c[a][k] - cb)
                    if d > best.dev || best.err.isNaN { best = (d, (e[a][k] * e[a][k] + eb * eb).squareRoot(), xs[a][k]) }
                }
            }
        }
        return best
    }

    /// From the grid of t, and per waiting time the mean C and its error on it.
    package init(waitingTimes: [Double], t: [Double], mean: [[Double]], error: [[Double]]) {
        self.waitingTimes = waitingTimes
        let scaled = waitingTimes.map { tw in t.map { $0 / tw } }
        let e = error.map { $0.map { $0.isFinite ? $0 : 0 } }
        let s = Self.largest(scaled, mean, e)
        deviation = Measurement(s.dev, error: s.err)
        worstX = s.x
        deviationAgainstT = Self.largest(waitingTimes.map { _ in t }, mean, e).dev
    }

    /// "agree" when the largest deviation against t/t_w (with its error) is below ``tolerance``.
    package var judgement: Judgement {
        guard waitingTimes.count >= 2 else { return Judgement(.inconclusive, "one waiting time cannot test a collapse") }
        let j = Judgement.below(deviation, Self.tolerance,
                                what: "largest |C_a − C_b| at equal t/t_w over t_w = " + waitingTimes.map { String(format: "%g", $0) }.joined(separator: ", "))
        return Judgement(j.verdict, j.reason + String(format: " (at t/t_w = %.3g; against t instead: %.3g)", worstX, deviationAgainstT))
    }
}
