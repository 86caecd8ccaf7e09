import CLAPACK
import Foundation
import GlassDynamics

/// One measured electron-glass realization (`glassdyn eg` defaults: T = 0.1, xi = 0.1,
/// W = J = 1): the phases of ``EGExperiment/realization(_:innerThreads:)`` beside a bare
/// LAPACKE_dsyevd call (eigenvalues only) on a copy of the same symmetric rate matrix, with
/// the same OpenBLAS thread count.
public struct EGBenchmarkRow: Sendable, JSONLine {
    /// Tells electron-glass rows apart from TLS rows.
    public var implementation = "glassdyn-eg"
    public var n: Int
    public var threads: Int
    public var build: Double
    public var solve: Double
    public var rateMatrix: Double
    public var eigenvalues: Double
    /// The bare dsyevd call on the same matrix.
    public var bareDsyevd: Double
    public var converged: Bool
    public var peakMemoryBytes: Int

    public var total: Double { build + solve + rateMatrix + eigenvalues }

    init(n: Int, threads: Int, build: Double, solve: Double, rateMatrix: Double, eigenvalues: Double,
         bareDsyevd: Double, converged: Bool, peakMemoryBytes: Int) {
        self.n = n
        self.threads = threads
        self.build = build
        self.solve = solve
        self.rateMatrix = rateMatrix
        self.eigenvalues = eigenvalues
        self.bareDsyevd = bareDsyevd
        self.converged = converged
        self.peakMemoryBytes = peakMemoryBytes
    }
}

public enum EGBenchmark {
    /// One realization on `threads` cores (OpenBLAS too), then the bare dsyevd reference.
    public static func measure(n: Int, threads: Int, seed: UInt64 = 1) throws -> EGBenchmarkRow {
        var p = EGParameters()
        p.sites = n
        var s = RunSettings()
        s.seed = seed
        s.realizations = 1
        s.threads = threads
        s.quiet = true
        var e = EGExperiment(parameters: p, settings: s)
        e.blasThreads = threads
        try e.validate()
        let o = try e.realization(0, innerThreads: threads).outcome
        let peak = ResourceUsage.peakResidentBytes
        func phase(_ k: String) -> Double { o.timings.first { $0.0 == k }?.1 ?? .nan }
        // The same matrix again (same seed and realization), eigenvalues by a bare call.
        let system = EGSystem(parameters: p, seed: seed, realization: 0)
        let solution = EGMeanField.solve(system, couplings: system.denseCouplings(threads: threads))
        let rates = MillerAbrahams(box: system.box, energies: solution.energies,
                                   chemicalPotential: solution.chemicalPotential,
                                   temperature: p.temperature, localizationLength: p.localizationLength).logRates
        let (matrix, _) = RateMatrixBuilder.build(rates, form: .symmetric, threads: threads)
        var w = [Double](repeating: 0, count: n)
        var clock = Stopwatch()
        let info = LAPACKE_dsyevd(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "N")), CChar(UInt8(ascii: "L")),
                                  Int32(n), matrix.baseAddress, Int32(n), &w)
        let bare = clock.lap()
        guard info == 0 else { throw GlassDynamicsError.io("bench: bare dsyevd failed (info \(info))") }
        return EGBenchmarkRow(n: n, threads: threads, build: phase("build"), solve: phase("solve"),
                              rateMatrix: phase("rateMatrix"), eigenvalues: phase("eigenvalues"),
                              bareDsyevd: bare, converged: o.solver.converged, peakMemoryBytes: peak)
    }
}
