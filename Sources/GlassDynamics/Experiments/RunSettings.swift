/// How a run is executed, as opposed to what it computes.
public struct RunSettings: Sendable, Equatable {
    /// One seed fixes the whole run; realization r draws from the stream (seed, r).
    public var seed: UInt64 = 1
    /// Independent realizations of the disorder to pool; default 10.
    public var realizations = 10
    /// Threads for the whole run (realizations in parallel, or inside one realization when
    /// there are fewer realizations than threads); default every core.
    public var threads = ParallelRunner.availableCores
    /// True to print no progress lines (warnings still print).
    public var quiet = false
    /// True to keep per-site data of every realization and write sites.csv (`--save-sites`).
    public var saveSites = false

    /// The cores of this machine: the default thread count.
    public static var availableCores: Int { ParallelRunner.availableCores }

    /// Seed 1, 10 realizations, every core.
    public init() {}

    /// Settings with these values.
    public init(seed: UInt64, realizations: Int, threads: Int, quiet: Bool = false, saveSites: Bool = false) {
        self.seed = seed
        self.realizations = realizations
        self.threads = threads
        self.quiet = quiet
        self.saveSites = saveSites
    }

    /// Refuses fewer than one realization or thread.
    public func validate() throws {
        if realizations < 1 { throw ParameterError.below(.realizations, minimum: 1, realizations) }
        if threads < 1 { throw ParameterError.below(.threads, minimum: 1, threads) }
    }

    /// Threads each realization may use inside itself when there are fewer realizations than
    /// threads (a single big run gets all cores).
    public var innerThreads: Int { Swift.max(1, threads / Swift.min(threads, realizations)) }
    /// Realizations running at once.
    public var concurrentRealizations: Int { Swift.min(threads, realizations) }
}

/// Where the couplings live during a solve.
public enum CouplingStorage: String, Sendable, CaseIterable {
    /// Dense when it fits in memory, matrix-free otherwise.
    case automatic
    /// Every coupling computed once and held as an N x N single-precision matrix (about
    /// 4 N^2 bytes).
    case dense
    /// Couplings regenerated on the fly at every use: O(N) memory, more time, the same bits
    /// as dense storage.
    case matrixFree = "matrix-free"
}
