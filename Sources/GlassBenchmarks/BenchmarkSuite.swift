import Foundation
import GlassDynamics

/// `glassdyn bench`: per-realization build / solve / rates times and peak memory of the TLS
/// benchmark case at several N, each N measured in a fresh child process (so its peak memory is
/// its own), beside the NumPy reference (benchmarks/numpy_reference.py) when numpy is
/// importable, with pair evaluations per second against this machine's ceilings.
public struct BenchmarkSuite: Sendable {
    /// Runs one measurement in a fresh process (so its peak memory is its own) and returns
    /// that process's status and output; the front end decides how to start itself.
    public var launch: @Sendable (BenchmarkChild) throws -> ProcessResult
    public var sizes = [1000, 4000, 10000]
    /// Coupling storage of the `sizes` rows (automatic: dense where it fits).
    public var storage = CouplingStorage.automatic
    /// Realizations per size; the first one runs cold (fresh pages), the others reuse them.
    public var realizations = 3
    public var threads = ParallelRunner.availableCores
    public var temperature = 0.05
    public var seed: UInt64 = 1
    /// Adds N = 1e5 rows: the exact sum (matrix-free, minutes) and `largeCutoff`.
    public var large = false
    public var largeCutoff = 4.0
    /// The NumPy reference script, or nil to skip it.
    public var numpyScript: String? = "benchmarks/numpy_reference.py"
    public var python = "python3"
    /// Sizes the NumPy reference runs at (it needs 8 N^2 bytes).
    public var numpySizes = [1000, 4000, 10000]
    /// Electron-glass sizes (one realization each, beside a bare dsyevd); empty to skip.
    public var electronGlassSizes = [Int]()

    /// A suite whose measurements run through `launch`.
    public init(launch: @escaping @Sendable (BenchmarkChild) throws -> ProcessResult) { self.launch = launch }

    /// The result of a whole benchmark run.
    public struct Report: Sendable, Encodable {
        public var rows: [BenchmarkRow]
        public var electronGlass: [EGBenchmarkRow] = []
        public var floatingPointPeak: Double
        public var kernelCeiling: Double
        public var threads: Int
        public var numpyNote: String?
        /// The instruction-set path of the kernels in this run (every child inherits it).
        public var simd: SIMDPath = .current

        /// Hardware bound on pairs per second: floating-point peak over flops per pair.
        public var hardwareBound: Double { floatingPointPeak / MachinePeak.flopsPerPair }

        enum CodingKeys: String, CodingKey {
            case version, threads, floatingPointPeak = "floatingPointPeakFlops", flopsPerPair
            case hardwareBound = "hardwareBoundPairsPerSecond", kernelCeiling = "kernelCeilingPairsPerSecond"
            case numpyNote = "numpy", rows, electronGlass, simd, simdSupported
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(GlassDynamicsVersion.string, forKey: .version)
            try c.encode(threads, forKey: .threads)
            try c.encode(simd, forKey: .simd)
            try c.encode(SIMDPath.supported, forKey: .simdSupported)
            try c.encode(floatingPointPeak, forKey: .floatingPointPeak)
            try c.encode(MachinePeak.flopsPerPair, forKey: .flopsPerPair)
            try c.encode(hardwareBound, forKey: .hardwareBound)
            try c.encode(kernelCeiling, forKey: .kernelCeiling)
            try c.encodeIfPresent(numpyNote, forKey: .numpyNote)
            try c.encode(rows, forKey: .rows)
            try c.encode(electronGlass, forKey: .electronGlass)
        }

        /// The table printed by `glassdyn bench`.
        public var text: String {
            var out = [String]()
            out.append("SIMD path: \(simd.rawValue) (this CPU runs \(SIMDPath.supported.map(\.rawValue).joined(separator: ", ")); \(SIMDPath.environmentVariable) forces one)")
            out.append(String(format: "machine: %d threads; floating-point peak %.1f Gflop/s (the SIMD path's vector width), %.0f flops per pair -> hardware bound %.3g pairs/s; kernel alone %.3g pairs/s (%.0f%% of the bound)",
                              threads, floatingPointPeak / 1e9, MachinePeak.flopsPerPair, hardwareBound, kernelCeiling,
                              100 * kernelCeiling / hardwareBound))
            func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : s + String(repeating: " ", count: w - s.count) }
            out.append("impl     N        storage      thr real  build s  solve s  rates s  total s sweeps updates   pairs/s  %ceil  peak MB")
            for r in rows {
                let name = r.storage + (r.cutoff.map { String(format: " %g", $0) } ?? "")
                out.append(pad(r.implementation, 9) + pad(String(r.n), 9) + pad(name, 12) + String(
                    format: " %3d %4d %8.3f %8.3f %8.4f %8.3f %6d %7d %9.3g %5.0f %8.0f",
                    r.threads, r.realization, r.build, r.solve, r.rates, r.total, r.sweeps, r.columnUpdates,
                    r.pairRate, 100 * r.pairRate / kernelCeiling, Double(r.peakMemoryBytes) / 1e6))
            }
            for n in Set(rows.map(\.n)).sorted() {
                guard let ours = rows.first(where: { $0.n == n && $0.implementation == "glassdyn" && $0.cutoff == nil }),
                      let peer = rows.first(where: { $0.n == n && $0.implementation == "numpy" }) else { continue }
                out.append(String(format: "N = %d: numpy / glassdyn (first realization, end to end) = %.1fx time, %.2fx peak memory",
                                  n, peer.total / ours.total, Double(peer.peakMemoryBytes) / Double(Swift.max(ours.peakMemoryBytes, 1))))
            }
            if let numpyNote { out.append("numpy: \(numpyNote)") }
            if !electronGlass.isEmpty {
                out.append("electron glass (T = 0.1, xi = 0.1; eigenvalues by dsyevd, OpenBLAS on all threads):")
                out.append("     N  thr  build s  solve s  rateMatrix s  eigenvalues s  bare dsyevd s  eig/bare  total s  peak MB")
                for r in electronGlass {
                    out.append(String(format: "%6d %4d %8.3f %8.3f %13.3f %14.3f %14.3f %9.2f %8.3f %8.0f",
                                      r.n, r.threads, r.build, r.solve, r.rateMatrix, r.eigenvalues, r.bareDsyevd,
                                      r.eigenvalues / r.bareDsyevd, r.total, Double(r.peakMemoryBytes) / 1e6))
                }
            }
            return out.joined(separator: "\n")
        }
    }

    /// Runs the children and the reference; `progress` gets one line per finished row.
    public func run(progress: (String) -> Void) throws -> Report {
        var rows = [BenchmarkRow]()
        var numpyNote: String? = nil
        let numpyReady: Bool
        if let script = numpyScript {
            if !FileManager.default.fileExists(atPath: script) {
                numpyNote = "skipped: \(script) not found (run from the repository root)"
                numpyReady = false
            } else if (try? Subprocess.run(python, ["-c", "import numpy"]))?.status != 0 {
                numpyNote = "skipped: numpy is not importable by \(python) (pip install numpy)"
                numpyReady = false
            } else {
                numpyReady = true
            }
        } else {
            numpyReady = false
        }
        var cases: [(n: Int, storage: CouplingStorage, cutoff: Double?, count: Int)] =
            sizes.map { ($0, storage, nil, realizations) }
        if large {
            cases.append((100_000, .matrixFree, nil, 1))
            cases.append((100_000, .automatic, largeCutoff, 1))
        }
        for c in cases {
            let result = try launch(BenchmarkChild(model: .tls, n: c.n, storage: c.storage, cutoff: c.cutoff, threads: threads,
                                                   realizations: c.count, temperature: temperature, seed: seed))
            guard result.status == 0 else {
                throw GlassDynamicsError.io("bench: child for N = \(c.n) failed: \(result.stderr.split(separator: "\n").last ?? "")")
            }
            for line in result.stdout.split(separator: "\n") {
                if let row = BenchmarkRow(jsonLine: String(line)) {
                    rows.append(row)
                    progress("bench: glassdyn N = \(row.n) \(row.storage): " + String(format: "%.3f s (build %.3f, solve %.3f), peak %.0f MB",
                                    row.total, row.build, row.solve, Double(row.peakMemoryBytes) / 1e6))
                }
            }
            if numpyReady, c.cutoff == nil, c.storage == .automatic, numpySizes.contains(c.n), let script = numpyScript {
                let r = try Subprocess.run(python, [script, "--n", "\(c.n)", "--t", "\(temperature)", "--seed", "\(seed)"])
                if r.status == 0, let row = r.stdout.split(separator: "\n").compactMap({ BenchmarkRow(jsonLine: String($0)) }).last {
                    rows.append(row)
                    progress(String(format: "bench: numpy N = %d: %.3f s (build %.3f, solve %.3f), peak %.0f MB",
                                    row.n, row.total, row.build, row.solve, Double(row.peakMemoryBytes) / 1e6))
                } else {
                    numpyNote = "failed at N = \(c.n): \(r.stderr.split(separator: "\n").last ?? "")"
                }
            }
        }
        var electronGlass = [EGBenchmarkRow]()
        for n in electronGlassSizes {
            let result = try launch(BenchmarkChild(model: .eg, n: n, storage: .automatic, cutoff: nil, threads: threads,
                                                   realizations: 1, temperature: 0.1, seed: seed))
            guard result.status == 0 else {
                throw GlassDynamicsError.io("bench: electron-glass child for N = \(n) failed: \(result.stderr.split(separator: "\n").last ?? "")")
            }
            for line in result.stdout.split(separator: "\n") {
                if let row = EGBenchmarkRow(jsonLine: String(line)), row.implementation == "glassdyn-eg" {
                    electronGlass.append(row)
                    progress(String(format: "bench: electron glass N = %d: %.3f s, eigenvalues %.3f s (bare dsyevd %.3f s), peak %.0f MB",
                                    row.n, row.total, row.eigenvalues, row.bareDsyevd, Double(row.peakMemoryBytes) / 1e6))
                }
            }
        }
        progress("bench: SIMD path \(SIMDPath.current.rawValue); measuring this machine's ceilings")
        let fp = MachinePeak.floatingPointPeak(threads: threads)
        let kernel = MachinePeak.kernelThroughput(threads: threads)
        return Report(rows: rows, electronGlass: electronGlass, floatingPointPeak: fp, kernelCeiling: kernel,
                      threads: threads, numpyNote: numpyNote)
    }
}

/// One measurement of the suite, run in its own process: a TLS size row or an electron-glass
/// row. The suite asks for it; the child process runs ``run(emit:)``.
public struct BenchmarkChild: Sendable, Equatable {
    /// Which engine is measured.
    public enum Model: String, Sendable { case tls, eg }

    public var model: Model
    public var n: Int
    public var storage: CouplingStorage
    public var cutoff: Double?
    public var threads: Int
    public var realizations: Int
    public var temperature: Double
    public var seed: UInt64

    public init(model: Model, n: Int, storage: CouplingStorage, cutoff: Double?, threads: Int,
                realizations: Int, temperature: Double, seed: UInt64) {
        self.model = model
        self.n = n
        self.storage = storage
        self.cutoff = cutoff
        self.threads = threads
        self.realizations = realizations
        self.temperature = temperature
        self.seed = seed
    }

    /// Measures and hands each row, as one JSON line, to `emit`.
    public func run(emit: @escaping (String) -> Void) throws {
        switch model {
        case .eg:
            emit(try EGBenchmark.measure(n: n, threads: threads, seed: seed).jsonLine)
        case .tls:
            var p = TLSParameters()
            p.sites = n
            p.temperature = temperature
            p.cutoff = cutoff
            _ = try TLSBenchmark.measure(parameters: p, storage: storage, threads: threads,
                                         realizations: realizations, seed: seed) { emit($0.jsonLine) }
        }
    }
}

/// A value that travels between processes as one line of JSON (benchmark rows).
public protocol JSONLine: Codable {}

extension JSONLine {
    /// Reads a value back from one line (nil when the line is not one).
    public init?(jsonLine: String) {
        guard let value = try? JSONDecoder().decode(Self.self, from: Data(jsonLine.utf8)) else { return nil }
        self = value
    }

    /// The value as one line of JSON.
    public var jsonLine: String { String(decoding: (try? JSONEncoder().encode(self)) ?? Data(), as: UTF8.self) }
}
