import Foundation
import GlassDynamics
import GlassDynamicsTestSupport
import Testing

/// In-trajectory checkpoints of the kinetic Monte Carlo (docs/kmc.md, section 5).
@Suite struct KMCCheckpointTests {
    enum Glass: String, CustomStringConvertible { case eg, tls, tlsThinning; var description: String { rawValue } }

    static func options(_ kind: KMCProtocol) -> KMCOptions {
        var o = KMCOptions()
        o.protocolKind = kind
        o.minimumTime = 0.05
        o.pointsPerDecade = 2
        o.trajectories = 2
        o.canonicalEvents = 37
        switch kind {
        case .quench: o.time = 60
        case .aging: o.waitingTimes = [4, 15]; o.time = 30
        case .equilibrium: o.start = .random; o.equilibrationTime = 10; o.time = 10; o.samples = 3
        case .response: o.start = .random; o.equilibrationTime = 10; o.waitingTimes = [20, 1]; o.time = 5; o.canonicalEvents = 5
        }
        return o
    }

    static var settings: RunSettings {
        var s = RunSettings()
        s.seed = 17
        s.realizations = 2
        s.threads = 1
        s.quiet = true
        return s
    }

    static func egExperiment(_ kind: KMCProtocol, seed: UInt64) -> KMCExperiment<EGExperiment> {
        var s = settings
        s.seed = seed
        var p = EGParameters()
        p.sites = 40; p.localizationLength = 0.3; p.computeSpectrum = false
        return KMCExperiment<EGExperiment>(parameters: p, options: options(kind), settings: s)
    }

    static func tlsExperiment(_ glass: Glass, _ kind: KMCProtocol, seed: UInt64) -> KMCExperiment<TLSExperiment> {
        var s = settings
        s.seed = seed
        var p = TLSParameters()
        p.sites = 30; p.delta0Min = 0.01; p.delta0Max = 0.3; p.temperature = 0.2
        var o = options(kind)
        o.thinning = glass == .tlsThinning
        return KMCExperiment<TLSExperiment>(parameters: p, options: o, settings: s)
    }

    /// Realization 1 of `e`: uninterrupted, or through checkpoints in `folder`.
    static func realization<G: KMCGlass>(_ e: KMCExperiment<G>, folder: URL?, stopAfter: Int?, log: KMCStateLog?) throws -> KMCRealization {
        var e = e
        if let folder {
            e.checkpoints = try KMCCheckpoints(runFolder: folder, experiment: e, interval: 0)
            e.checkpoints?.stopAfterWrites = stopAfter
            e.checkpoints?.log = log
        }
        return try e.realization(1, innerThreads: 1)
    }

    /// Realization 1 of a small run: uninterrupted, or through checkpoints in `folder`.
    static func realization(_ glass: Glass, _ kind: KMCProtocol, folder: URL? = nil, stopAfter: Int? = nil, seed: UInt64 = 17,
                            log: KMCStateLog? = nil) throws -> KMCRealization {
        switch glass {
        case .eg: return try realization(egExperiment(kind, seed: seed), folder: folder, stopAfter: stopAfter, log: log)
        case .tls, .tlsThinning: return try realization(tlsExperiment(glass, kind, seed: seed), folder: folder, stopAfter: stopAfter, log: log)
        }
    }

    /// `s` without its wall time (the only part that may differ between runs).
    static func timeless(_ s: KMCRunState) -> KMCRunState {
        var s = s
        s.seconds = 0
        return s
    }

    /// The state realization 1 of the small run left in `folder`, if any.
    static func saved(_ glass: Glass, _ kind: KMCProtocol, folder: URL) throws -> KMCRunState? {
        switch glass {
        case .eg: return try KMCCheckpoints(runFolder: folder, experiment: egExperiment(kind, seed: 17), interval: 0).load(1)?.state
        case .tls, .tlsThinning:
            return try KMCCheckpoints(runFolder: folder, experiment: tlsExperiment(glass, kind, seed: 17), interval: 0).load(1)?.state
        }
    }

    /// The record's bytes without its timings (the only part that may differ).
    static func bytes(_ r: KMCRealization) -> [UInt8] {
        var r = r
        r.kinetic.seconds = 0
        r.outcome.timings = []
        var w = BinaryWriter()
        r.encode(into: &w)
        return w.bytes
    }

    static let cases: [(Glass, KMCProtocol)] = [(.eg, .quench), (.eg, .aging), (.eg, .equilibrium), (.eg, .response),
                                               (.tls, .quench), (.tls, .aging), (.tls, .equilibrium), (.tls, .response),
                                               (.tlsThinning, .aging)]

    @Test("a realization stopped at every canonical point in turn, its state written to a file and read back by a fresh run, ends byte-identical to the uninterrupted run", arguments: cases)
    func stoppedAtEveryCanonicalPointResumesBitIdentically(_ glass: Glass, _ kind: KMCProtocol) throws {
        let reference = try Self.realization(glass, kind)
        #expect(reference.kinetic.energyDrift < 1e-9)
        #expect(reference.kinetic.events > 0)
        let folder = URL(fileURLWithPath: temporaryPath("kmc-ckpt")), whole = URL(fileURLWithPath: temporaryPath("kmc-ckpt-whole"))
        defer { for f in [folder, whole] { try? FileManager.default.removeItem(at: f) } }
        // Every canonical state of the uninterrupted run (written, never stopped at).
        let log = KMCStateLog()
        let logged = try Self.realization(glass, kind, folder: whole, log: log)
        #expect(Self.bytes(logged) == Self.bytes(reference))
        let states = log.states.map(Self.timeless)
        // Each attempt continues from the last file, writes the next one and stops, as a
        // kill right after a checkpoint would: every canonical point is crossed through bytes,
        // and each file equals the uninterrupted run's state there, bit for bit (the twins'
        // times and energies-derived rates included: a twin restored with other rounding
        // would show in its next state's time).
        var stops = 0, twinStops = [KMCTwinState](), mismatches = [Int]()
        var finished: KMCRealization? = nil
        while finished == nil && stops < 10_000 {
            do {
                finished = try Self.realization(glass, kind, folder: folder, stopAfter: 1)
            } catch GlassDynamicsError.interrupted {
                stops += 1
                let saved = try #require(try Self.saved(glass, kind, folder: folder))
                if stops > states.count || Self.timeless(saved) != states[stops - 1] { mismatches.append(stops) }
                if let t = saved.twin { twinStops.append(t) }
            }
        }
        let (points, _, _) = KMCProtocolRunner.checkpoints(Self.options(kind))
        // Observation times of both trajectories, the boundary between them and event-count points.
        #expect(stops > points.count + 1, "only \(stops) canonical points")
        #expect(stops == states.count && mismatches.isEmpty, "\(stops) stops, \(states.count) states, mismatches at \(mismatches.prefix(5))")
        if kind == .response {
            // Inside the twin phase of both waiting times: at the removal (grid 0, off), at
            // every point of the t grid, and at event multiples with the potential on and off.
            let tGrid = Self.options(kind).grid(to: Self.options(kind).time).count
            for w in 0..<2 {
                let off = Set(twinStops.filter { $0.wait == w && !$0.potentialOn }.map(\.grid))
                #expect(off == Set(0...tGrid), "waiting time \(w): stops at t points \(off.sorted())")
            }
            #expect(twinStops.contains { $0.potentialOn })
            #expect(twinStops.count > 2 * (tGrid + 1), "only \(twinStops.count) stops in the twin phase")
        }
        let result = try #require(finished)
        let identical = Self.bytes(result) == Self.bytes(reference)
        #expect(identical)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("\(KMCCheckpoints.folderName)/realization-1.ckpt").path))
    }

    @Test("a twin reaching the event limit inside the twin phase ends its trajectory (responses from there NaN, counted truncated), and a stop at every canonical point still resumes bit-identically", arguments: [58, 75])
    func eventLimitInsideTheTwinPhase(_ limit: Int) throws {
        var e = Self.egExperiment(.response, seed: 17)
        e.options.maxEvents = limit
        let reference = try Self.realization(e, folder: nil, stopAfter: nil, log: nil)
        // The limit falls inside the twin phase: every energy up to t_eq is finite, the
        // truncated trajectory's NaN reaches the responses (sums over trajectories).
        let response = reference.kinetic.response.flatMap { $0 }
        #expect(reference.kinetic.truncated >= 1 && response.contains { $0.isNaN } && reference.kinetic.energy.allSatisfy(\.isFinite),
                "truncated \(reference.kinetic.truncated), responses \(response), energies \(reference.kinetic.energy)")
        let folder = URL(fileURLWithPath: temporaryPath("kmc-ckpt-limit"))
        defer { try? FileManager.default.removeItem(at: folder) }
        var stops = 0, twinStops = 0
        var finished: KMCRealization? = nil
        while finished == nil && stops < 10_000 {
            do {
                finished = try Self.realization(e, folder: folder, stopAfter: 1, log: nil)
            } catch GlassDynamicsError.interrupted {
                stops += 1
                if try KMCCheckpoints(runFolder: folder, experiment: e, interval: 0).load(1)?.state.twin != nil { twinStops += 1 }
            }
        }
        #expect(twinStops > 0)
        let identical = try Self.bytes(#require(finished)) == Self.bytes(reference)
        #expect(identical)
    }

    @Test("canonical points recompute energies from scratch: incremental and recomputed energies agree to 1e-9 per site before every recomputation")
    func canonicalPointsKeepTheIncrementalEnergiesHonest() throws {
        for glass in [Glass.eg, .tls] {
            let r = try Self.realization(glass, .quench)
            #expect(r.kinetic.energyDrift < 1e-9 && r.kinetic.energyDrift >= 0)
        }
    }

    @Test("a truncated, corrupted or foreign checkpoint is refused in one line naming the file")
    func damagedCheckpointsAreRefused() throws {
        let folder = URL(fileURLWithPath: temporaryPath("kmc-ckpt-bad"))
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: GlassDynamicsError.self) { try Self.realization(.eg, .aging, folder: folder, stopAfter: 5) }
        let file = folder.appendingPathComponent("\(KMCCheckpoints.folderName)/realization-1.ckpt")
        let good = try Data(contentsOf: file)
        func refusal(_ body: () throws -> Void) -> String {
            do { try body() } catch let e as GlassDynamicsError {
                if case .invalidInput(let m) = e { return m }
                return "wrong error \(e)"
            } catch { return "wrong error \(error)" }
            return "accepted"
        }
        let damaged: [(Data, String)] = [(good.prefix(good.count / 2), "truncated"), (good.prefix(10), "bad header"),
                                         ({ var d = good; d[d.count - 9] ^= 0x40; return d }(), "checksum"),
                                         ({ var d = good; d[7] = UInt8(ascii: "1"); return d }(), "another version of glassdyn (format GDKMCCK1")]
        for (bytes, why) in damaged {
            try bytes.write(to: file)
            let m = refusal { _ = try Self.realization(.eg, .aging, folder: folder) }
            #expect(m.contains(file.path) && m.contains(why) && !m.contains("\n"), "\(m)")
        }
        try good.write(to: file)
        let foreign = refusal { _ = try Self.realization(.eg, .aging, folder: folder, seed: 18) }
        #expect(foreign.contains(file.path) && foreign.contains("another run"), "\(foreign)")
        // The good file still resumes.
        let identical = Self.bytes(try Self.realization(.eg, .aging, folder: folder)) == Self.bytes(try Self.realization(.eg, .aging))
        #expect(identical)
    }
}
