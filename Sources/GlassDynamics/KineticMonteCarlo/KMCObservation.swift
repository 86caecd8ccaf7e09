/// What the kinetic Monte Carlo trajectories of one realization measured (averaged over its
/// trajectories): the record stored in the checkpoint ledger beside the mean-field outcome.
public struct KMCObservation: Sendable, Equatable {
    /// Energy per site H / N at each time of the logarithmic grid (NaN past a truncation).
    public var energy: [Double]
    /// Fraction of sites changed at least once since the start, on the same grid.
    public var moved: [Double]
    /// Aging: C(t_w + t, t_w) = (1/N) sum_i sigma_i(t_w) sigma_i(t_w + t), waiting time by
    /// waiting time, each on the grid of t.
    public var correlation: [[Double]]
    /// Response protocol: O(t; t_w), waiting time by waiting time, on the grid of t.
    public var response: [[Double]]
    /// Equilibrium: histogram counts of the single-site energies over the snapshots.
    public var dos: [Double]
    /// Values below and above the histogram range.
    public var dosOutside: Double
    /// Events made, summed over trajectories.
    public var events: Int
    /// Trajectories stopped by the event limit.
    public var truncated: Int
    /// Largest |incremental - recomputed| energy per site at the end of a trajectory.
    public var energyDrift: Double
    /// Seconds of the KMC part.
    public var seconds: Double

    package init(energy: [Double], moved: [Double], correlation: [[Double]], response: [[Double]], dos: [Double], dosOutside: Double,
                 events: Int, truncated: Int, energyDrift: Double, seconds: Double) {
        self.energy = energy; self.moved = moved; self.correlation = correlation; self.response = response; self.dos = dos
        self.dosOutside = dosOutside; self.events = events; self.truncated = truncated
        self.energyDrift = energyDrift; self.seconds = seconds
    }
}

extension KMCObservation: BinaryRecord {
    /// Writes every field in declaration order.
    public func encode(into w: inout BinaryWriter) {
        w.write(energy); w.write(moved)
        w.write(correlation.count)
        for c in correlation { w.write(c) }
        w.write(response.count)
        for c in response { w.write(c) }
        w.write(dos); w.write(dosOutside); w.write(events); w.write(truncated); w.write(energyDrift); w.write(seconds)
    }

    /// Reads what ``encode(into:)`` wrote.
    public init(from r: inout BinaryReader) throws {
        energy = try r.readDoubles(); moved = try r.readDoubles()
        let n = try r.readInt()
        guard n >= 0 && n <= 10_000 else { throw GlassDynamicsError.invalidInput("kmc record with \(n) waiting times") }
        correlation = try (0..<n).map { _ in try r.readDoubles() }
        let m = try r.readInt()
        guard m >= 0 && m <= 10_000 else { throw GlassDynamicsError.invalidInput("kmc record with \(m) response curves") }
        response = try (0..<m).map { _ in try r.readDoubles() }
        dos = try r.readDoubles(); dosOutside = try r.readDouble(); events = try r.readInt(); truncated = try r.readInt()
        energyDrift = try r.readDouble(); seconds = try r.readDouble()
    }
}
