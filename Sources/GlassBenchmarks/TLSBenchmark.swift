import Foundation
import GlassDynamics

/// One measured TLS realization: the phases of ``TLSExperiment/realization(_:innerThreads:)``
/// (the production path, nothing benchmark-specific), its solver report and the process's
/// peak memory so far.
public struct BenchmarkRow: Sendable, JSONLine {
    /// "glassdyn", or "numpy" for the reference implementation.
    public var implementation: String
    public var n: Int
    /// "dense", "matrix-free" or "cutoff".
    public var storage: String
    public var cutoff: Double?
    public var threads: Int
    public var realization: Int
    public var build: Double
    public var solve: Double
    public var rates: Double
    public var sweeps: Int
    public var columnUpdates: Int
    public var pairEvaluations: Int
    public var residual: Double
    public var converged: Bool
    /// Peak resident memory of the measuring process after this realization (VmHWM).
    public var peakMemoryBytes: Int

    public var total: Double { build + solve + rates }
    /// Pair evaluations per second of build + solve.
    public var pairRate: Double { Double(pairEvaluations) / Swift.max(build + solve, 1e-12) }

    public init(implementation: String, n: Int, storage: String, cutoff: Double?, threads: Int, realization: Int,
                build: Double, solve: Double, rates: Double, sweeps: Int, columnUpdates: Int,
                pairEvaluations: Int, residual: Double, converged: Bool, peakMemoryBytes: Int) {
        self.implementation = implementation
        self.n = n
        self.storage = storage
        self.cutoff = cutoff
        self.threads = threads
        self.realization = realization
        self.build = build
        self.solve = solve
        self.rates = rates
        self.sweeps = sweeps
        self.columnUpdates = columnUpdates
        self.pairEvaluations = pairEvaluations
        self.residual = residual
        self.converged = converged
        self.peakMemoryBytes = peakMemoryBytes
    }
}

/// The benchmark case of issue 3: TLS, J = W = 1, T = 0.05 (or as given), realizations one
/// after another in this process, each using all `threads` inside itself.
public enum TLSBenchmark {
    public static func measure(parameters: TLSParameters, storage: CouplingStorage, threads: Int,
                               realizations: Int, seed: UInt64 = 1,
                               report: ((BenchmarkRow) -> Void)? = nil) throws -> [BenchmarkRow] {
        var settings = RunSettings()
        settings.seed = seed
        settings.realizations = 1
        settings.threads = threads
        settings.quiet = true
        let experiment = TLSExperiment(parameters: parameters, settings: settings, storage: storage)
        try experiment.validate()
        var rows = [BenchmarkRow]()
        for r in 0..<realizations {
            let o = try experiment.realization(r, innerThreads: threads).outcome
            func phase(_ name: String) -> Double { o.timings.first { $0.0 == name }?.1 ?? .nan }
            let row = BenchmarkRow(
                implementation: "glassdyn", n: parameters.sites, storage: experiment.storageName,
                cutoff: parameters.cutoff, threads: threads, realization: r,
                build: phase("build"), solve: phase("solve"), rates: phase("rates"),
                sweeps: o.solver.sweeps, columnUpdates: o.solver.columnUpdates,
                pairEvaluations: o.solver.pairEvaluations, residual: o.solver.residual,
                converged: o.solver.converged, peakMemoryBytes: ResourceUsage.peakResidentBytes)
            report?(row)
            rows.append(row)
        }
        return rows
    }
}
