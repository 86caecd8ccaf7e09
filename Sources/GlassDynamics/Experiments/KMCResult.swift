import Foundation

/// The pooled result of a kinetic Monte Carlo run: relaxation after the quench (or during
/// equilibration), the equilibrium DOS beside the mean-field DOS of the same realizations,
/// the two-time autocorrelation, each with bootstrap errors over realizations.
public struct KMCResult: RunResult {
    /// The simulated model.
    public let model: GlassModel
    /// Every realization's mean-field outcome.
    public let outcomes: [RealizationOutcome]
    /// The pooled mean-field observables of the converged realizations.
    public let analysis: DistributionAnalysis
    /// Wall-clock seconds.
    public let wallTime: Double
    /// The times of relaxation.csv.
    public let times: [Double]
    /// Energy per site and its bootstrap error, at each time.
    public let energy: (mean: [Double], error: [Double])
    /// Fraction of sites moved and its error.
    public let moved: (mean: [Double], error: [Double])
    /// The mean-field log law fitted to the energy: E(t) = E_inf + b [E1(Gamma_min t) - E1(Gamma_max t)].
    public let logLaw: LogLawFit?
    /// Equilibrium: the DOS bins, KMC density and error, mean-field density.
    public let dos: (centers: [Double], kmc: [Double], error: [Double], meanField: [Double])?
    /// Aging: waiting times, grid of t, C and error per waiting time.
    public let correlation: (waitingTimes: [Double], t: [Double], mean: [[Double]], error: [[Double]])?
    /// Response protocol: waiting times, grid of t, O(t; t_w) and error per waiting time.
    public let response: (waitingTimes: [Double], t: [Double], mean: [[Double]], error: [[Double]])?
    let summary: KMCSummary
    /// Each realization's KMC observation, in realization order (for statistics beyond the
    /// pooled means: per-realization rows of the bootstrap).
    package let observations: [KMCObservation]
    /// The protocol that produced the result.
    public var protocolKind: KMCProtocol { summary.protocolKind }

    /// The fit of the mean-field log law to the KMC energy.
    public struct LogLawFit: Sendable, Codable, Equatable {
        /// Cutoffs of the mean-field rate distribution (plateau rule of ``PlateauCutoffs``).
        public var gammaMin: Double, gammaMax: Double
        /// Fitted E_inf and amplitude b.
        public var energyInfinity: Double, amplitude: Double
        /// Root-mean-square residual of the fit over the grid, and the KMC energy's spread.
        public var rmsResidual: Double, rmsSpread: Double
    }

    init<G: KMCGlass>(experiment e: KMCExperiment<G>, realizations: [KMCRealization], wallTime: Double) {
        model = G.model
        self.wallTime = wallTime
        outcomes = realizations.map(\.outcome)
        observations = realizations.map(\.kinetic)
        let inner = e.inner
        let converged = outcomes.filter { $0.solver.converged }
        analysis = DistributionAnalysis(outcomes: converged, seed: e.settings.seed, options: inner.analysisOptions)
        let o = e.options
        let (_, grid, tGrid) = KMCProtocolRunner.checkpoints(o)
        times = grid
        let seed = e.settings.seed
        let energy = Bootstrap.columnMeans(realizations.map(\.kinetic.energy), seed: seed)
        let moved = Bootstrap.columnMeans(realizations.map(\.kinetic.moved), seed: seed)
        self.energy = energy
        self.moved = moved
        let logLaw: LogLawFit?
        let dos: (centers: [Double], kmc: [Double], error: [Double], meanField: [Double])?
        // The log law of the mean-field rates, fitted by least squares (E_inf, b).
        if let c = analysis.cutoffs {
            let f = grid.map { exponentialIntegralE1(c.gammaMin * $0) - exponentialIntegralE1(c.gammaMax * $0) }
            let idx = grid.indices.filter { energy.mean[$0].isFinite }
            let n = Double(idx.count)
            let mf = idx.reduce(0) { $0 + f[$1] } / n, me = idx.reduce(0) { $0 + energy.mean[$1] } / n
            let sff = idx.reduce(0) { $0 + (f[$1] - mf) * (f[$1] - mf) }
            let sfe = idx.reduce(0) { $0 + (f[$1] - mf) * (energy.mean[$1] - me) }
            let b = sff > 0 ? sfe / sff : .nan
            let a = me - b * mf
            let rms = (idx.reduce(0) { $0 + Foundation.pow(energy.mean[$1] - a - b * f[$1], 2) } / n).squareRoot()
            let spread = (idx.reduce(0) { $0 + Foundation.pow(energy.mean[$1] - me, 2) } / n).squareRoot()
            logLaw = idx.count > 2 ? LogLawFit(gammaMin: c.gammaMin, gammaMax: c.gammaMax, energyInfinity: a, amplitude: b,
                                               rmsResidual: rms, rmsSpread: spread) : nil
        } else {
            logLaw = nil
        }
        let range = inner.dosRange
        if o.protocolKind == .equilibrium {
            let width = (range.upper - range.lower) / Double(range.bins)
            let rows = realizations.map { r -> [Double] in
                let total = r.kinetic.dos.reduce(0, +)
                return r.kinetic.dos.map { total > 0 ? $0 / (total * width) : 0 }
            }
            let k = Bootstrap.columnMeans(rows, seed: seed)
            var h = Histogram(lower: range.lower, upper: range.upper, bins: range.bins)
            for c in converged { h.add(contentsOf: c.energies) }
            dos = ((0..<range.bins).map { h.center($0) }, k.mean, k.error, h.density)
        } else {
            dos = nil
        }
        self.logLaw = logLaw
        self.dos = dos
        func curves(_ pick: (KMCObservation) -> [[Double]]) -> (waitingTimes: [Double], t: [Double], mean: [[Double]], error: [[Double]]) {
            let per = o.waitingTimes.indices.map { w in Bootstrap.columnMeans(realizations.map { pick($0.kinetic)[w] }, seed: seed) }
            return (o.waitingTimes, tGrid, per.map(\.mean), per.map(\.error))
        }
        correlation = o.protocolKind == .aging ? curves(\.correlation) : nil
        response = o.protocolKind == .response ? curves(\.response) : nil
        let events = realizations.reduce(0) { $0 + $1.kinetic.events }
        let seconds = realizations.reduce(0) { $0 + $1.kinetic.seconds }
        summary = KMCSummary(
            model: model, protocolKind: o.protocolKind, configuration: .init(e.configuration), seed: e.settings.seed,
            realizations: realizations.count, meanFieldConverged: converged.count, trajectories: realizations.count * o.trajectories,
            truncatedTrajectories: realizations.reduce(0) { $0 + $1.kinetic.truncated }, events: events,
            maxEnergyDriftPerSite: realizations.map(\.kinetic.energyDrift).max() ?? 0,
            finalEnergyPerSite: energy.mean.last ?? .nan, finalMovedFraction: moved.mean.last ?? .nan,
            logLaw: logLaw,
            gap: dos.map { d in
                KMCSummary.Gap(kmc: .init(centers: d.centers, density: d.kmc), meanField: .init(centers: d.centers, density: d.meanField))
            },
            cost: .init(eventsPerSecond: seconds > 0 ? Double(events) / seconds : .nan, kmcSeconds: seconds, wallTimeSeconds: wallTime))
    }

    /// relaxation.csv: t, energy, energyError, moved, movedError, logLaw.
    public var relaxationTable: CSVTable {
        var t = CSVTable(columns: ["t", "energyPerSite", "energyError", "movedFraction", "movedError", "meanFieldLogLaw"])
        for k in times.indices {
            let law = logLaw.map { l in
                l.energyInfinity + l.amplitude * (exponentialIntegralE1(l.gammaMin * times[k]) - exponentialIntegralE1(l.gammaMax * times[k]))
            } ?? .nan
            t.append([times[k], energy.mean[k], energy.error[k], moved.mean[k], moved.error[k], law])
        }
        return t
    }

    /// The files: relaxation.csv, dos.csv (equilibrium), correlation.csv (aging), summary.json.
    public var files: [OutputFile] {
        var f: [OutputFile] = [.csv("relaxation.csv", relaxationTable)]
        if let d = dos {
            var t = CSVTable(columns: ["E", "kmcDensity", "kmcError", "meanFieldDensity"])
            for k in d.centers.indices { t.append([d.centers[k], d.kmc[k], d.error[k], d.meanField[k]]) }
            f.append(.csv("dos.csv", t))
        }
        for (name, column, curve) in [("correlation.csv", "C", correlation), ("response.csv", "response", response)] {
            guard let c = curve else { continue }
            var t = CSVTable(columns: ["tw", "t", "tOverTw", column, "error"])
            for w in c.waitingTimes.indices {
                for k in c.t.indices {
                    t.append([c.waitingTimes[w], c.t[k], c.t[k] / c.waitingTimes[w], c.mean[w][k], c.error[w][k]])
                }
            }
            f.append(.csv(name, t))
        }
        f.append(.json("summary.json", summary))
        return f
    }

    /// One line: protocol, events, final energy and moved fraction.
    public var headline: String {
        String(format: "kmc %@ (%@): %d realizations, %d events (%.3g/s), E/N = %.5g at t = %.3g, moved %.3f, %d truncated, %.1f s",
               model.rawValue, summary.protocolKind.rawValue, outcomes.count, summary.events, summary.cost.eventsPerSecond,
               summary.finalEnergyPerSite, times.last ?? .nan, summary.finalMovedFraction, summary.truncatedTrajectories, wallTime)
    }
}

/// summary.json of a kinetic Monte Carlo run.
struct KMCSummary: Encodable, Sendable {
    var version = GlassDynamicsVersion.string
    var model: GlassModel
    var protocolKind: KMCProtocol
    var configuration: AnyConfiguration
    var seed: UInt64
    var realizations: Int
    var meanFieldConverged: Int
    var trajectories: Int
    var truncatedTrajectories: Int
    var events: Int
    var maxEnergyDriftPerSite: Double
    var finalEnergyPerSite: Double
    var finalMovedFraction: Double
    var logLaw: KMCResult.LogLawFit?
    var gap: Gap?
    /// Timings (the only part of summary.json that differs between identical runs).
    var cost: Cost

    struct Cost: Encodable, Sendable {
        var eventsPerSecond: Double
        var kmcSeconds: Double
        var wallTimeSeconds: Double
    }

    /// The configuration, type-erased for encoding.
    struct AnyConfiguration: Encodable, Sendable {
        let value: any Encodable & Sendable
        init(_ v: any Encodable & Sendable) { value = v }
        func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
    }

    /// Depth and width of the gap at E = 0 of a DOS: the density in the central bin, the
    /// maximum density, and the half-width where the density first reaches half its maximum.
    struct Gap: Encodable, Sendable {
        var kmc: Shape
        var meanField: Shape
        struct Shape: Encodable, Sendable {
            var densityAtZero: Double
            var maximum: Double
            var halfWidth: Double
            init(centers: [Double], density: [Double]) {
                let mid = density.count / 2
                densityAtZero = density.isEmpty ? .nan : density[mid]
                maximum = density.max() ?? .nan
                var w = Double.nan
                for k in 0..<(density.count - mid) where density[mid + k] >= 0.5 * maximum || density[mid - k] >= 0.5 * maximum {
                    w = abs(centers[mid + k]); break
                }
                halfWidth = w
            }
        }
    }
}
