import Foundation
import GlassDynamics

/// `glassdyn bench --kmc`: events per second and wall seconds per decade of simulated time of
/// the kinetic Monte Carlo after a quench, for both glasses, beside the bare O(N) field update
/// that every event must make (measured in the same run, on the same model).
package struct KMCBenchmark {
    /// One row: model, N, events made, events/s, cost per event over the bare update, wall
    /// seconds per decade of the last full decade, simulated time reached.
    package struct Row: Sendable, Codable {
        package var model: String
        package var sites: Int
        package var events: Int
        package var eventsPerSecond: Double
        package var secondsPerEvent: Double
        package var bareUpdateSeconds: Double
        package var costOverBare: Double
        package var secondsPerDecade: Double
        package var simulatedTime: Double
        package var storage: String
        package var eventSlots: Int
        /// Accepted draws over all draws (1 without thinning).
        package var acceptance: Double
        /// Site refreshes per accepted event (drift bounds; 0 otherwise).
        package var refreshesPerEvent: Double
        /// Electron glass: the least an O(N) hop update costs on this machine, timed in the
        /// same run: the cheaper of the bare update (dense double rows) and both Coulomb rows
        /// read at 4 bytes per coupling (single precision, the C column kernel) into the double
        /// energies. Every K_ij must be read (or recomputed, slower still), so no algorithm
        /// that applies each hop's update is faster; nil for the TLS rows (their bare update is
        /// already the single-precision kernel).
        package var floorUpdateSeconds: Double? = nil
    }

    package var sizes = [1000, 10_000]
    /// Wall-clock budget of the event loop per row.
    package var seconds = 5.0
    package var seed: UInt64 = 1
    /// Rows per size: drift-bounded thinning (the default, `eg`, `tls`), the rejection-free
    /// reference with every rate rewritten per event (`-full`), static thinning (`tls-thinning`).
    package var models = ["eg", "eg-full", "tls", "tls-full", "tls-thinning"]
    /// The base slack of drift-bounded thinning, a fraction of T (nil: the defaults of
    /// ``KMCOptions``).
    package var slack: Double? = nil

    package init() {}

    package func run(report: (Row) -> Void) -> [Row] {
        var rows = [Row]()
        for n in sizes {
            for model in models {
                let row = model.hasPrefix("eg") ? egRow(n, full: model == "eg-full") : tlsRow(n, variant: model)
                report(row)
                rows.append(row)
            }
        }
        return rows
    }

    func egRow(_ n: Int, full: Bool) -> Row {
        var p = EGParameters()
        p.sites = n
        let system = EGSystem(parameters: p, seed: seed, realization: 0)
        let stored = CoulombColumns.bytes(sites: n) <= 0.25 * MemoryLimit.effective.bytes
        let columns = CoulombColumns(box: system.box, chargeSquared: p.chargeSquared, stored: stored)
        let s = KMCStream(seed: seed, realization: 0, trajectory: 0)
        let u = (0..<n).map { s.startUniform($0) }
        let occ = EGExperiment.filling(u.indices.sorted { u[$0] < u[$1] }, n: n, electrons: n / 2)
        let model = EGHopModel(box: system.box, bareEnergies: system.bareEnergies, columns: columns, temperature: p.temperature,
                               localizationLength: p.localizationLength, pairCutoff: Swift.min(30 * p.localizationLength, p.boxSide / 2),
                               occupation: occ, driftSlack: full ? nil : slack ?? KMCOptions.egDriftSlack)
        // The bare update: the two Coulomb rows of a hop added to the site energies.
        var field = [Double](repeating: 0, count: n)
        let bare = Self.time(minimum: 0.5) { k in
            field.withUnsafeMutableBufferPointer { columns.addHop(from: k % n, to: (k * 7 + 1) % n, into: $0) }
        }
        var row = measure(model, name: full ? "eg-full" : "eg", bare: bare, storage: columns.storageName) { m in Double(m.drift.refreshes) }
        if !full { row.floorUpdateSeconds = Swift.min(bare, Self.singlePrecisionHopUpdate(system, chargeSquared: p.chargeSquared)) }
        return row
    }

    /// Seconds per hop of the single-precision O(N) update (``Row/floorUpdateSeconds``): the
    /// two rows of a single-precision Coulomb matrix of the same sites, added by the C column kernel.
    static func singlePrecisionHopUpdate(_ system: EGSystem, chargeSquared: Double) -> Double {
        let n = system.box.count
        let single = SinglePrecisionCouplings(coulomb: system.box, chargeSquared: chargeSquared)
        var field = [Double](repeating: 0, count: n)
        return time(minimum: 0.5) { k in
            field.withUnsafeMutableBufferPointer {
                single.addColumn((k * 7 + 1) % n, scaledBy: 1, to: $0)
                single.addColumn(k % n, scaledBy: -1, to: $0)
            }
        }
    }

    func tlsRow(_ n: Int, variant: String) -> Row {
        var p = TLSParameters()
        p.sites = n
        let experiment = TLSExperiment(parameters: p, settings: RunSettings(seed: seed, realizations: 1, threads: 1))
        let system = TLSSystem(parameters: p, seed: seed, realization: 0)
        let couplings = experiment.couplings(for: system, innerThreads: 1)
        let s = KMCStream(seed: seed, realization: 0, trajectory: 0)
        let model = TLSFlipModel(asymmetry: system.asymmetry, tunneling: system.tunneling, couplings: couplings,
                                 fieldPrefactor: p.fieldPrefactor, temperature: p.temperature, ratePrefactor: p.ratePrefactor,
                                 spins: (0..<n).map { Int8(s.startUniform($0) < 0.5 ? -1 : 1) }, thinning: variant == "tls-thinning",
                                 driftSlack: variant == "tls" ? slack ?? KMCOptions.tlsDriftSlack : nil)
        var field = [Double](repeating: 0, count: n)
        let bare = Self.time(minimum: 0.5) { k in
            field.withUnsafeMutableBufferPointer { couplings.addColumn(k % n, scaledBy: 0.5, to: $0) }
        }
        return measure(model, name: variant, bare: bare, storage: couplings.storageName) { m in Double(m.refreshes) }
    }

    /// Seconds per call of `body`, repeated for at least `minimum` seconds.
    static func time(minimum: Double, _ body: (Int) -> Void) -> Double {
        var clock = Stopwatch()
        var calls = 0, elapsed = 0.0
        while elapsed < minimum {
            for k in 0..<64 { body(calls + k) }
            calls += 64
            elapsed += clock.lap()
        }
        return elapsed / Double(calls)
    }

    /// Runs the quench in slices of simulated time (one per fifth of a decade) until the
    /// budget is spent; records the wall time of each completed decade.
    func measure<M: KineticModel>(_ model: M, name: String, bare: Double, storage: String, refreshes: (M) -> Double) -> Row {
        var traj = KMCTrajectory(model: model, stream: KMCStream(seed: seed, realization: 0, trajectory: 0))
        var clock = Stopwatch()
        var wall = 0.0, decadeStart = 0.0, perDecade = Double.nan
        var t = 1e-3
        var step = 0
        while wall < seconds {
            t *= Foundation.pow(10, 0.2)
            // Budget guard inside a slice: at most ~0.5 s of events between clock checks.
            let cap = traj.events + UInt64(Swift.max(1, 0.5 / Swift.max(bare, 1e-9) / 10))
            let reached = traj.advance(to: t, maxEvents: cap)
            wall += clock.lap()
            if reached {
                step += 1
                if step % 5 == 0 { perDecade = wall - decadeStart; decadeStart = wall }
            } else {
                t /= Foundation.pow(10, 0.2)
            }
        }
        let perEvent = wall / Double(Swift.max(1, traj.events))
        return Row(model: name, sites: model.siteCount, events: Int(traj.events), eventsPerSecond: Double(traj.events) / wall,
                   secondsPerEvent: perEvent, bareUpdateSeconds: bare, costOverBare: perEvent / bare,
                   secondsPerDecade: perDecade, simulatedTime: traj.time, storage: storage, eventSlots: model.eventCount,
                   acceptance: Double(traj.events) / Double(Swift.max(1, traj.events + traj.rejections)),
                   refreshesPerEvent: refreshes(traj.model) / Double(Swift.max(1, traj.events)))
    }
}
