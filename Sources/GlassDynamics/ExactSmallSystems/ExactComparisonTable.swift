import Foundation

/// The errors of mean field against an exact reference, collected per parameter point
/// (W, T) and per metric, with their summary (mean |error|) and the fitted order in J/T.
///
/// A metric is a named per-site error ("m_eq4": m_MF - m_exact with the production Eq. 4,
/// "d_tap": D_TAP - D_eff, ...). Sites whose solution did not converge, or whose exact average
/// is too saturated for its effective field to be resolved, are counted, never averaged in.
package struct ExactComparisonTable: Sendable {
    /// One parameter point.
    package struct Point: Sendable, Codable, Equatable {
        package var disorder: Double
        package var interaction: Double
        package var temperature: Double
        /// Realizations run at this point.
        package var realizations = 0
        /// Sites compared per metric.
        package var sites: [String: Int] = [:]
        /// Mean |error| per metric.
        package var meanAbsError: [String: Double] = [:]
        /// Median |error| per metric: the typical site, insensitive to the rare close pairs whose
        /// couplings (1/r^3 in 3D, a 1/|J|^2 tail) dominate the mean.
        package var medianAbsError: [String: Double] = [:]
        /// Largest |error| per metric.
        package var maxAbsError: [String: Double] = [:]
        /// Sites left out per metric (non-converged solution or saturated exact average).
        package var excluded: [String: Int] = [:]

        package var couplingOverTemperature: Double { interaction / temperature }
    }

    /// One fitted order: mean (or median) |error| ~ A (J/T)^p over the highest temperatures.
    package struct Fit: Sendable, Codable, Equatable {
        package var disorder: Double
        package var metric: String
        /// "mean" or "median".
        package var statistic: String
        package var fit: PowerLawFit
    }

    package let metrics: [String]
    package private(set) var points: [Point] = []
    var values: [[String: [Double]]] = []

    package init(metrics: [String]) { self.metrics = metrics }

    func index(_ w: Double, _ j: Double, _ t: Double) -> Int? {
        points.firstIndex { $0.disorder == w && $0.interaction == j && $0.temperature == t }
    }

    /// Adds one realization's per-site errors at (W, J, T): nil entries are exclusions.
    package mutating func add(disorder w: Double, interaction j: Double, temperature t: Double,
                              errors: [String: [Double?]]) {
        let k: Int
        if let i = index(w, j, t) { k = i } else {
            points.append(Point(disorder: w, interaction: j, temperature: t))
            values.append([:])
            k = points.count - 1
        }
        points[k].realizations += 1
        for (metric, list) in errors {
            for v in list {
                if let v, v.isFinite {
                    self.values[k][metric, default: []].append(abs(v))
                } else {
                    points[k].excluded[metric, default: 0] += 1
                }
            }
            let all = (self.values[k][metric] ?? []).sorted()
            points[k].sites[metric] = all.count
            points[k].meanAbsError[metric] = all.isEmpty ? .nan : all.reduce(0, +) / Double(all.count)
            points[k].medianAbsError[metric] = all.isEmpty ? .nan
                : (all[(all.count - 1) / 2] + all[all.count / 2]) / 2
            points[k].maxAbsError[metric] = all.last ?? .nan
        }
    }

    /// The order of every metric at every W, fitted over the `highest` highest temperatures.
    package func fits(highest: Int = 3) -> [Fit] {
        var out = [Fit]()
        for w in orderedUnique(points.map(\.disorder)) {
            let row = points.filter { $0.disorder == w }.sorted { $0.temperature > $1.temperature }.prefix(highest)
            for metric in metrics {
                if let f = PowerLawFit(x: row.map(\.couplingOverTemperature), y: row.map { $0.meanAbsError[metric] ?? .nan }) {
                    out.append(Fit(disorder: w, metric: metric, statistic: "mean", fit: f))
                }
                if let f = PowerLawFit(x: row.map(\.couplingOverTemperature), y: row.map { $0.medianAbsError[metric] ?? .nan }) {
                    out.append(Fit(disorder: w, metric: metric, statistic: "median", fit: f))
                }
            }
        }
        return out
    }

    /// summary.csv: one row per (W, T), mean and max |error| and the counts of every metric,
    /// and the local exponent d ln(mean |error|) / d ln(J/T) against the next higher T.
    package func summaryTable() -> CSVTable {
        var cols = ["w", "j", "t", "j_over_t", "w_over_j", "realizations"]
        for m in metrics { cols += ["\(m)_mean_abs", "\(m)_median_abs", "\(m)_max_abs", "\(m)_local_exponent", "\(m)_sites", "\(m)_excluded"] }
        var table = CSVTable(columns: cols)
        for w in orderedUnique(points.map(\.disorder)) {
            let row = points.filter { $0.disorder == w }.sorted { $0.temperature < $1.temperature }
            for (k, p) in row.enumerated() {
                var v = [p.disorder, p.interaction, p.temperature, p.couplingOverTemperature,
                         p.interaction > 0 ? p.disorder / p.interaction : .infinity, Double(p.realizations)]
                for m in metrics {
                    var local = Double.nan
                    if k + 1 < row.count, let f = PowerLawFit(x: [p.couplingOverTemperature, row[k + 1].couplingOverTemperature],
                                                            y: [p.meanAbsError[m] ?? .nan, row[k + 1].meanAbsError[m] ?? .nan]) {
                        local = f.exponent
                    }
                    v += [p.meanAbsError[m] ?? .nan, p.medianAbsError[m] ?? .nan, p.maxAbsError[m] ?? .nan, local,
                          Double(p.sites[m] ?? 0), Double(p.excluded[m] ?? 0)]
                }
                table.append(v)
            }
        }
        return table
    }

    /// fit.csv: the fitted order of every metric at every W.
    package func fitTable(highest: Int = 3) -> CSVTable {
        var table = CSVTable(columns: ["w", "metric", "statistic", "exponent", "prefactor", "points"])
        for f in fits(highest: highest) {
            table.append(fields: [CSVTable.format(f.disorder), f.metric, f.statistic, CSVTable.format(f.fit.exponent),
                                  CSVTable.format(f.fit.prefactor), "\(f.fit.points)"])
        }
        return table
    }
}

/// The distinct values in order of first appearance.
func orderedUnique(_ xs: [Double]) -> [Double] {
    var out = [Double]()
    for x in xs where !out.contains(x) { out.append(x) }
    return out
}
