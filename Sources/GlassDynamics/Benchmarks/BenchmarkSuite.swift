import Foundation

/// `glassdyn bench`: per-realization build / solve / rates times and peak memory of the TLS
/// benchmark case at several N, each N measured in a fresh child process (so its peak memory is
/// its own), beside the NumPy reference (benchmarks/numpy_reference.py) when numpy is
/// importable, with pair evaluations per second against this machine's ceilings.
public struct BenchmarkSuite: Sendable {
    /// The glassdyn executable that runs the children (`bench --child ...`).
    public var executable: String
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

    public init(executable: String) { self.executable = executable }

    /// The result of a whole benchmark run.
    public struct Report: Sendable {
        public var rows: [BenchmarkRow]
        public var electronGlass: [EGBenchmarkRow] = []
        public var floatingPointPeak: Double
        public var kernelCeiling: Double
        public var threads: Int
        public var numpyNote: String?

        /// Hardware bound on pairs per second: floating-point peak over flops per pair.
        public var hardwareBound: Double { floatingPointPeak / MachinePeak.flopsPerPair }

        public var json: JSONValue {
            .object([
                ("version", .string(GlassDynamicsVersion.string)),
                ("threads", .integer(threads)),
                ("floatingPointPeakFlops", .number(floatingPointPeak)),
                ("flopsPerPair", .number(MachinePeak.flopsPerPair)),
                ("hardwareBoundPairsPerSecond", .number(hardwareBound)),
                ("kernelCeilingPairsPerSecond", .number(kernelCeiling)),
                ("numpy", numpyNote.map { .string($0) } ?? .null),
                ("rows", .array(rows.map { $0.json })),
                ("electronGlass", .array(electronGlass.map { $0.json })),
            ])
        }

        /// The table printed by `glassdyn bench`.
        public var text: String {
            var out = [String]()
            out.append(String(format: "machine: %d threads; floating-point peak %.1f Gflop/s (this build's vector width), %.0f flops per pair -> hardware bound %.3g pairs/s; kernel alone %.3g pairs/s (%.0f%% of the bound)",
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
            } else if (try? Self.execute(python, ["-c", "import numpy"]))?.status != 0 {
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
            var args = ["bench", "--child", "--n", "\(c.n)", "--couplings", c.storage.rawValue,
                        "--threads", "\(threads)", "--realizations", "\(c.count)", "--t", "\(temperature)",
                        "--seed", "\(seed)"]
            if let rc = c.cutoff { args += ["--cutoff", "\(rc)"] }
            let result = try Self.execute(executable, args)
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
                let r = try Self.execute(python, [script, "--n", "\(c.n)", "--t", "\(temperature)", "--seed", "\(seed)"])
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
            let result = try Self.execute(executable, ["bench", "--child", "--eg", "--n", "\(n)", "--threads", "\(threads)",
                                                       "--seed", "\(seed)"])
            guard result.status == 0 else {
                throw GlassDynamicsError.io("bench: electron-glass child for N = \(n) failed: \(result.stderr.split(separator: "\n").last ?? "")")
            }
            for line in result.stdout.split(separator: "\n") {
                if let row = EGBenchmarkRow(jsonLine: String(line)) {
                    electronGlass.append(row)
                    progress(String(format: "bench: electron glass N = %d: %.3f s, eigenvalues %.3f s (bare dsyevd %.3f s), peak %.0f MB",
                                    row.n, row.total, row.eigenvalues, row.bareDsyevd, Double(row.peakMemoryBytes) / 1e6))
                }
            }
        }
        progress("bench: measuring this machine's ceilings")
        let fp = MachinePeak.floatingPointPeak(threads: threads)
        let kernel = MachinePeak.kernelThroughput(threads: threads)
        return Report(rows: rows, electronGlass: electronGlass, floatingPointPeak: fp, kernelCeiling: kernel,
                      threads: threads, numpyNote: numpyNote)
    }

    /// Runs a program to completion, capturing its output.
    static func execute(_ program: String, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program.contains("/") ? program : "/usr/bin/env")
        p.arguments = program.contains("/") ? arguments : [program] + arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }
}
