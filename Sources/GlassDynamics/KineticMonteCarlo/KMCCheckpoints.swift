import Foundation

/// In-trajectory checkpoints of a kinetic Monte Carlo run (docs/kmc.md, section 5): at a
/// canonical point of a realization in progress, at most once per ``interval`` seconds of
/// wall time, the realization's mean-field outcome and its canonical protocol state (the
/// configuration, time, event and draw counters, moved flags, snapshots and every
/// accumulator so far) are written atomically to one file per realization in the
/// ``folderName`` folder of the run folder. A resumed run continues each realization from
/// its file, bit for bit; a finished realization's file is removed. A file that is damaged,
/// of another run or inconsistent with this one is refused with one line naming it.
public struct KMCCheckpoints: Sendable {
    /// The folder, inside the run folder, that holds the files of the realizations in progress.
    public static let folderName = "kmc-checkpoints"
    /// The folder of the files.
    public let folder: URL
    /// Seconds of wall time between two files of one realization (a file is written at the
    /// first canonical point after that); 0 writes at every canonical point.
    public var interval: Double
    /// Identifies the run (configuration and seed): a file of another run is refused.
    let runKey: UInt64
    let options: KMCOptions
    let sites: Int
    /// Electrons of the electron glass (nil for the TLS glass).
    let electrons: Int?
    let dosRange: (lower: Double, upper: Double, bins: Int)
    /// When raised (SIGINT, SIGTERM), every realization in progress writes its file at its next
    /// canonical point and stops there, so the run ends soon with nothing lost.
    public var interrupt: InterruptFlag? = nil
    /// Tests: a realization stops (throws) after writing this many files, as a kill would.
    package var stopAfterWrites: Int? = nil
    /// Tests: every state written, in order.
    package var log: KMCStateLog? = nil

    /// The checkpoints of `experiment` in `runFolder`, written at most every `interval` seconds.
    public init<G: KMCGlass>(runFolder: URL, experiment e: KMCExperiment<G>, interval: Double) throws {
        folder = runFolder.appendingPathComponent(Self.folderName, isDirectory: true)
        self.interval = interval
        var key = Array((try? JSONFormat.encode(e.configuration)) ?? Data())
        var w = BinaryWriter()
        w.write(e.settings.seed)
        key += w.bytes
        runKey = fnv1a64(key)
        options = e.options
        sites = e.parameters.sites
        electrons = G.model == .eg ? e.parameters.sites / 2 : nil
        dosRange = e.inner.dosRange
    }

    /// The file of realization `r`.
    public func url(_ r: Int) -> URL { folder.appendingPathComponent("realization-\(r).ckpt") }

    /// The record format: "GDKMCCK" and a version digit. Version 2 holds the response
    /// protocol's twins (``KMCTwinState``); a file of version 1 is refused in one line.
    static let magic = Array("GDKMCCK2".utf8)
    static let headerSize = 24

    /// The bytes of a file: magic, payload length, FNV-1a checksum, payload (run key,
    /// realization, mean-field outcome, protocol state).
    func encode(realization r: Int, outcome: RealizationOutcome, state: KMCRunState) -> [UInt8] {
        var p = BinaryWriter()
        p.write(runKey); p.write(r)
        outcome.encode(into: &p)
        state.encode(into: &p)
        var h = BinaryWriter()
        h.write(UInt64(p.bytes.count)); h.write(fnv1a64(p.bytes))
        return Self.magic + h.bytes + p.bytes
    }

    /// Reads the file of realization `r` (nil when there is none); throws one line naming the
    /// file when it cannot be used.
    package func load(_ r: Int) throws -> (outcome: RealizationOutcome, state: KMCRunState)? {
        let file = url(r)
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        let bytes: [UInt8]
        do { bytes = Array(try Data(contentsOf: file)) } catch {
            throw GlassDynamicsError.io("cannot read the kmc checkpoint \(file.path): \(error.localizedDescription)")
        }
        return try decode(bytes, realization: r, file: file)
    }

    /// The protocol state a checkpoint file of this format holds, read without checking it
    /// against a run (tests and diagnostics); nil when it cannot be read or decoded.
    package static func peek(_ file: URL) -> KMCRunState? {
        guard let bytes = try? Array(Data(contentsOf: file)), bytes.count >= headerSize, Array(bytes[0..<8]) == magic else { return nil }
        var r = BinaryReader(Array(bytes[headerSize...]))
        guard (try? r.readUInt64()) != nil, (try? r.readInt()) != nil, (try? RealizationOutcome(from: &r)) != nil else { return nil }
        return try? KMCRunState(from: &r)
    }

    /// Decodes and checks the bytes of `file`, which should hold realization `r` of this run.
    func decode(_ bytes: [UInt8], realization r: Int, file: URL) throws -> (outcome: RealizationOutcome, state: KMCRunState) {
        func refuse(_ why: String) -> GlassDynamicsError {
            .invalidInput("kmc checkpoint \(file.path) \(why); delete it to rerun realization \(r) from its start")
        }
        if bytes.count >= 8, Array(bytes[0..<7]) == Array(Self.magic[0..<7]), bytes[7] != Self.magic[7] {
            let version = String(decoding: bytes[0..<8], as: UTF8.self)
            throw refuse("was written by another version of glassdyn (format \(version), this one reads \(String(decoding: Self.magic, as: UTF8.self)))")
        }
        guard bytes.count >= Self.headerSize, Array(bytes[0..<8]) == Self.magic else {
            throw refuse("is not a checkpoint of this version (bad header, \(bytes.count) bytes)")
        }
        var h = BinaryReader(Array(bytes[8..<Self.headerSize]))
        let length = try h.readUInt64(), checksum = try h.readUInt64()
        guard length == UInt64(bytes.count - Self.headerSize) else {
            throw refuse("is truncated or corrupted (declares \(length) payload bytes, holds \(bytes.count - Self.headerSize))")
        }
        let payload = Array(bytes[Self.headerSize...])
        guard fnv1a64(payload) == checksum else { throw refuse("fails its checksum (corrupted)") }
        var reader = BinaryReader(payload)
        do {
            guard try reader.readUInt64() == runKey else { throw refuse("belongs to another run (other parameters or seed)") }
            let index = try reader.readInt()
            guard index == r else { throw refuse("holds realization \(index)") }
            let outcome = try RealizationOutcome(from: &reader)
            let state = try KMCRunState(from: &reader)
            guard reader.isAtEnd else { throw refuse("has \(reader.remaining) unexpected bytes after its data") }
            if let p = problem(outcome: outcome, state: state, realization: r) { throw refuse(p) }
            return (outcome, state)
        } catch let e as GlassDynamicsError {
            if case .invalidInput = e { throw e }
            throw refuse("cannot be decoded: \(e)")
        }
    }

    /// Why a decoded file cannot continue realization `r` of this run (sizes, ranges,
    /// counters), or nil: nothing in it may trap the run.
    func problem(outcome: RealizationOutcome, state s: KMCRunState, realization r: Int) -> String? {
        let (points, energyGrid, tGrid) = KMCProtocolRunner.checkpoints(options)
        let tws = options.waitingTimes.count
        if outcome.index != r || outcome.energies.count != sites { return "holds a mean-field outcome of another realization or size" }
        if !(0..<options.trajectories).contains(s.trajectory) { return "is at trajectory \(s.trajectory) of \(options.trajectories)" }
        if !(0...points.count).contains(s.point) { return "is at observation \(s.point) of \(points.count)" }
        if s.energy.count != energyGrid.count || s.moved.count != energyGrid.count { return "holds a time grid of another run" }
        if s.correlation.count != (options.protocolKind == .aging ? tws : 0) || s.correlation.contains(where: { $0.count != tGrid.count })
            || s.response.count != (options.protocolKind == .response ? tws : 0) || s.response.contains(where: { $0.count != tGrid.count }) {
            return "holds correlations or responses of another run"
        }
        let hist = s.histogram
        if hist.lower != dosRange.lower || hist.upper != dosRange.upper || hist.binCount != dosRange.bins
            || hist.counts.contains(where: { $0 < 0 }) || hist.below < 0 || hist.above < 0 {
            return "holds a DOS histogram of another run"
        }
        if s.events < 0 || s.truncated < 0 || s.truncated > s.trajectory { return "holds impossible counters" }
        if s.snapshots.count != tws || s.snapshots.contains(where: { !$0.isEmpty && $0.count != sites }) { return "holds snapshots of another size" }
        guard let p = s.path else {
            return s.point == 0 && s.twin == nil ? nil : "has passed observations of a trajectory it does not hold"
        }
        if let why = problem(p) { return "holds a trajectory that \(why)" }
        if s.alive && s.point > 0 && p.time < points[s.point - 1].0 { return "holds a time before its last observation" }
        for (_, point) in points.prefix(s.point) {
            if case .snapshot(let w) = point, s.snapshots[w].count != sites { return "lacks a snapshot it has passed" }
        }
        guard let t = s.twin else { return nil }
        if options.protocolKind != .response || s.point != points.count || !s.alive { return "holds twins outside the response protocol's twin phase" }
        if !(0..<tws).contains(t.wait) || !(0...tGrid.count).contains(t.grid) || (t.potentialOn && t.grid != 0) {
            return "holds twins at waiting time \(t.wait) of \(tws), t point \(t.grid) of \(tGrid.count)"
        }
        for twin in [t.reference, t.perturbed] {
            if let why = problem(twin, after: p) { return "holds a twin that \(why)" }
        }
        return nil
    }

    /// Why a trajectory's state cannot be continued by this run, or nil; for a twin, also
    /// whether it can continue from the trajectory `base` it was split from.
    func problem(_ x: KMCTrajectoryState, after base: KMCTrajectoryState? = nil) -> String? {
        if x.spins.count != sites || x.moved.count != sites { return "has \(x.spins.count) sites, the run has \(sites)" }
        if let m = electrons, x.spins.reduce(0, { $0 + ($1 > 0 ? 1 : 0) }) != m { return "has not \(m) electrons" }
        let start = (time: base?.time ?? 0, events: base?.events ?? 0, draws: base?.draws ?? 0)
        if !(x.time.isFinite && x.time >= start.time) || x.events < start.events || x.draws < start.draws || x.events > x.draws
            || x.events > UInt64(options.maxEvents) {
            return "has an impossible time or counter"
        }
        return nil
    }

    /// Writes the file of realization `r` atomically.
    func save(_ r: Int, outcome: RealizationOutcome, state: KMCRunState) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try AtomicFile.write(Data(encode(realization: r, outcome: outcome, state: state)), to: url(r))
    }

    /// Checks every file in the folder before a resumed run does any work: each must decode
    /// and belong to a realization in `wanted`; throws one line naming the first that does not.
    public func validateAll(wanted: Set<Int>) throws {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names.sorted() where !name.hasPrefix(".") {
            let file = folder.appendingPathComponent(name)
            guard name.hasPrefix("realization-"), name.hasSuffix(".ckpt"),
                  let r = Int(name.dropFirst("realization-".count).dropLast(".ckpt".count)) else {
                throw GlassDynamicsError.invalidInput("\(file.path) is not a kmc checkpoint (unexpected name); remove it")
            }
            guard wanted.contains(r) else {
                throw GlassDynamicsError.invalidInput("kmc checkpoint \(file.path) holds realization \(r), which this run or shard does not compute; remove it")
            }
            _ = try load(r)
        }
    }

    /// Removes every file (a fresh run, or a finished one).
    public func removeAll() throws {
        guard FileManager.default.fileExists(atPath: folder.path) else { return }
        do { try FileManager.default.removeItem(at: folder) } catch {
            throw GlassDynamicsError.io("cannot remove \(folder.path): \(error.localizedDescription)")
        }
    }

    /// Realization `r` through its checkpoints: from its file if there is one (the mean-field
    /// outcome is then read, not recomputed), else from the start; a file is written at the
    /// first canonical point after every ``interval`` seconds; the file is removed when the
    /// realization is done. `kinetic(outcome, resume, canonical)` runs the protocol.
    package static func realization(
        _ r: Int, checkpoints store: KMCCheckpoints?, meanField: () throws -> RealizationOutcome,
        kinetic: (RealizationOutcome, KMCRunState?, (() -> KMCRunState) throws -> Void) throws -> KMCObservation
    ) throws -> KMCRealization {
        guard let store else {
            let outcome = try meanField()
            return KMCRealization(outcome: outcome, kinetic: try kinetic(outcome, nil, { _ in }))
        }
        let saved = try store.load(r)
        let outcome = try saved?.outcome ?? meanField()
        var last = Date(), writes = 0
        let observation = try kinetic(outcome, saved?.state) { state in
            let now = Date()
            let stopping = store.interrupt?.isRaised ?? false
            guard stopping || now.timeIntervalSince(last) >= store.interval else { return }
            let s = state()
            try store.save(r, outcome: outcome, state: s)
            store.log?.append(s)
            if stopping { throw GlassDynamicsError.interrupted("realization \(r) saved its state and stopped on a signal") }
            last = now
            writes += 1
            if let stop = store.stopAfterWrites, writes >= stop {
                throw GlassDynamicsError.interrupted("realization \(r) stopped after writing checkpoint \(writes)")
            }
        }
        try? FileManager.default.removeItem(at: store.url(r))
        return KMCRealization(outcome: outcome, kinetic: observation)
    }
}

/// The states a realization wrote to its checkpoint file, in order (tests: every canonical
/// state of an uninterrupted run, against those of a run stopped and resumed at each).
package final class KMCStateLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [KMCRunState] = []

    package init() {}

    /// The states so far.
    package var states: [KMCRunState] { lock.withLock { stored } }

    func append(_ s: KMCRunState) { lock.withLock { stored.append(s) } }
}
