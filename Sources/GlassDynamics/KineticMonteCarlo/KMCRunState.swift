/// The canonical state of one trajectory (docs/kmc.md, section 5): configuration, simulated
/// time, events, draws consumed (the position in its counter-based stream) and the moved
/// flags. After ``KMCTrajectory/canonicalize()`` nothing else determines the trajectory's
/// future: local energies, total energy, rates and any state of the event algorithm are
/// re-derived from the configuration.
package struct KMCTrajectoryState: Sendable, Equatable {
    package var time: Double
    package var events: UInt64
    package var draws: UInt64
    package var moved: [Bool]
    /// Each site as +-1 (``KineticModel/spins``).
    package var spins: [Int8]
}

/// Where the twin phase of the response protocol stands at a canonical point inside it
/// (docs/kmc.md, section 5): the waiting time in progress, whether its perturbation is still
/// on, the next point of the t grid and the canonical states of both twins. The perturbed
/// twin is rebuilt from its state by ``KMCProtocolRunner/perturbedStart(_:potential:on:)``,
/// the route a live twin's bare energies took, so a restore equals the canonicalized twin bit
/// for bit.
package struct KMCTwinState: Sendable, Equatable {
    /// Index of the waiting time t_w in progress.
    package var wait: Int
    /// True before t_eq + t_w (the perturbed twin holds the potential), false after.
    package var potentialOn: Bool
    /// The next point of the t grid to reach (after the removal; 0 before it).
    package var grid: Int
    package var reference: KMCTrajectoryState
    package var perturbed: KMCTrajectoryState
}

/// Where the protocol of one realization stands at a canonical point: the trajectory in
/// progress and the next observation time, that trajectory's canonical state and snapshots,
/// the response protocol's twins when inside their phase, and every accumulator of the
/// observation so far (sums over finished trajectories and the finished points of this one).
/// Restoring it continues the realization bit for bit.
package struct KMCRunState: Sendable, Equatable {
    /// The trajectory in progress.
    package var trajectory = 0
    /// The next observation point of ``KMCProtocolRunner/checkpoints(_:)`` to reach.
    package var point = 0
    /// False once the trajectory has reached the event limit.
    package var alive = true
    /// The trajectory's canonical state; nil before it starts. In the twin phase of the
    /// response protocol: the equilibrated trajectory at t_eq, from which every waiting time's
    /// twins start.
    package var path: KMCTrajectoryState? = nil
    /// The twins of the response protocol once their phase has started (then ``point`` is
    /// past every observation point); nil before and outside it.
    package var twin: KMCTwinState? = nil
    /// Aging snapshots of this trajectory (empty until taken).
    package var snapshots: [[Int8]]
    package var energy: [Double]
    package var moved: [Double]
    package var correlation: [[Double]]
    package var response: [[Double]]
    package var histogram: Histogram
    package var events = 0
    package var truncated = 0
    package var drift = 0.0
    /// Seconds spent so far (cost only).
    package var seconds = 0.0

    /// The state before the first event of a run of `o`.
    package init(options o: KMCOptions, dosRange: (lower: Double, upper: Double, bins: Int)) {
        let (_, energyGrid, tGrid) = KMCProtocolRunner.checkpoints(o)
        let tws = o.waitingTimes
        snapshots = [[Int8]](repeating: [], count: tws.count)
        energy = [Double](repeating: 0, count: energyGrid.count)
        moved = energy
        correlation = (o.protocolKind == .aging ? tws : []).map { _ in [Double](repeating: 0, count: tGrid.count) }
        response = (o.protocolKind == .response ? tws : []).map { _ in [Double](repeating: 0, count: tGrid.count) }
        histogram = Histogram(lower: dosRange.lower, upper: dosRange.upper, bins: dosRange.bins)
    }
}

extension KMCTrajectoryState {
    func encode(into w: inout BinaryWriter) {
        w.write(time); w.write(events); w.write(draws)
        w.write(moved.count)
        for m in moved { w.write(m) }
        w.writeSpins(spins)
    }

    init(from r: inout BinaryReader) throws {
        time = try r.readDouble(); events = try r.readUInt64(); draws = try r.readUInt64()
        let n = try r.readCount(elementSize: 1)
        moved = try (0..<n).map { _ in try r.readBool() }
        spins = try r.readSpins()
    }
}

extension KMCTwinState {
    func encode(into w: inout BinaryWriter) {
        w.write(wait); w.write(potentialOn); w.write(grid)
        reference.encode(into: &w)
        perturbed.encode(into: &w)
    }

    init(from r: inout BinaryReader) throws {
        wait = try r.readInt(); potentialOn = try r.readBool(); grid = try r.readInt()
        reference = try KMCTrajectoryState(from: &r)
        perturbed = try KMCTrajectoryState(from: &r)
    }
}

extension KMCRunState {
    func encode(into w: inout BinaryWriter) {
        w.write(trajectory); w.write(point); w.write(alive)
        w.writeOptional(path) { w, p in p.encode(into: &w) }
        w.writeOptional(twin) { w, t in t.encode(into: &w) }
        w.write(snapshots.count)
        for s in snapshots { w.writeSpins(s) }
        w.write(energy); w.write(moved)
        w.write(correlation.count)
        for c in correlation { w.write(c) }
        w.write(response.count)
        for c in response { w.write(c) }
        w.write(histogram.lower); w.write(histogram.upper); w.write(histogram.counts)
        w.write(histogram.below); w.write(histogram.above)
        w.write(events); w.write(truncated); w.write(drift); w.write(seconds)
    }

    init(from r: inout BinaryReader) throws {
        trajectory = try r.readInt(); point = try r.readInt(); alive = try r.readBool()
        path = try r.readOptional { try KMCTrajectoryState(from: &$0) }
        twin = try r.readOptional { try KMCTwinState(from: &$0) }
        let s = try r.readCount(elementSize: 8)
        snapshots = try (0..<s).map { _ in try r.readSpins() }
        energy = try r.readDoubles(); moved = try r.readDoubles()
        let c = try r.readCount(elementSize: 8)
        correlation = try (0..<c).map { _ in try r.readDoubles() }
        let m = try r.readCount(elementSize: 8)
        response = try (0..<m).map { _ in try r.readDoubles() }
        let lower = try r.readDouble(), upper = try r.readDouble(), counts = try r.readInts()
        let below = try r.readInt(), above = try r.readInt()
        guard !counts.isEmpty, upper > lower else { throw GlassDynamicsError.io("record holds an empty or inverted histogram") }
        histogram = Histogram(lower: lower, upper: upper, counts: counts, below: below, above: above)
        events = try r.readInt(); truncated = try r.readInt(); drift = try r.readDouble(); seconds = try r.readDouble()
    }
}

extension BinaryWriter {
    /// A count, then one byte per site (+-1 as two's complement).
    mutating func writeSpins(_ s: [Int8]) {
        write(s.count)
        for x in s { writeByte(UInt8(bitPattern: x)) }
    }
}

extension BinaryReader {
    /// What ``BinaryWriter/writeSpins(_:)`` wrote; throws on a value other than +-1.
    mutating func readSpins() throws -> [Int8] {
        let n = try readCount(elementSize: 1)
        return try (0..<n).map { _ in
            let x = Int8(bitPattern: try readByte())
            guard x == 1 || x == -1 else { throw GlassDynamicsError.io("record holds a site state \(x), not +-1") }
            return x
        }
    }
}
