import ArgumentParser
import Foundation
import GlassBenchmarks
import GlassDynamics

package struct BenchCommand: ParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "TLS benchmark: build / solve / rates time and peak memory per realization, beside the NumPy reference.",
        discussion: """
        Each N runs in a fresh child process (so its peak memory is its own); realizations after \
        the first reuse the matrix pages. Build in release (make bench) before measuring.
        """)

    @Option(help: "Comma-separated sizes N.") var sizes = "1000,4000,10000"
    @Option(help: "Realizations per size (the first runs cold).") package var realizations = 3
    @Option(help: "Threads inside each realization (default: all cores).") var threads = ParallelRunner.availableCores
    @Option(help: "Temperature T of the benchmark case (J = W = 1).") package var t = 0.05
    @Option(help: "Seed.") var seed: UInt64 = 1
    @Flag(help: "Add N = 1e5: the exact sum (matrix-free, several minutes) and --large-cutoff.") var large = false
    @Option(help: "Cutoff r_c of the large cutoff row.") var largeCutoff = 4.0
    @Option(help: "The NumPy reference script.") var numpyScript = "benchmarks/numpy_reference.py"
    @Option(help: "Python interpreter for the reference.") var python = "python3"
    @Flag(help: "Skip the NumPy reference.") var noNumpy = false
    @Option(help: "Also write the rows and ceilings as JSON to this file.") var json: String?

    @Flag(help: "Instead: kinetic Monte Carlo events/s and seconds per decade after a quench (both models, N = 1000 and 1e4) beside the bare O(N) update.") var kmc = false
    @Option(help: "Kinetic Monte Carlo: wall seconds of events per row.") var kmcSeconds = 5.0
    @Option(help: "Kinetic Monte Carlo: base slack of drift-bounded thinning as a fraction of T (default: eg 0.5, tls 3).") var kmcSlack: Double?
    @Option(help: "Kinetic Monte Carlo rows, comma-separated: eg, eg-full, tls, tls-full, tls-thinning (default all).") var kmcModels = "eg,eg-full,tls,tls-full,tls-thinning"
    @Flag(help: "Add electron-glass rows (N = 1000 and 4000) beside a bare dsyevd on the same matrix.") var eg = false
    @Flag(help: "Instead: measure the error of --cutoff against the exact sum (DOS and ln Gamma histograms).") var cutoffStudy = false
    @Option(help: "Cutoff study: sites N.") var studyN = 4000
    @Option(help: "Cutoff study: comma-separated cutoffs r_c.") var cutoffs = "2,3,4,5"

    // Child mode: one size, rows as JSON lines on stdout.
    @Flag(help: .hidden) package var child = false

    package init() {}
    @Option(help: .hidden) var n = 1000
    @Option(help: "Coupling storage of the size rows: automatic (dense where it fits), dense or matrix-free.") package var couplings = CouplingStorage.automatic
    @Option(help: .hidden) var cutoff: Double?

    package func validate() throws {
        if realizations < 1 { throw ValidationError("--realizations must be at least 1") }
        if let kmcSlack, !(kmcSlack.isFinite && kmcSlack > 0) { throw ValidationError("--kmc-slack must be a positive number, got \(kmcSlack)") }
        for m in kmcModels.split(separator: ",") where !["eg", "eg-full", "tls", "tls-full", "tls-thinning"].contains(m.trimmingCharacters(in: .whitespaces)) {
            throw ValidationError("--kmc-models: unknown row \"\(m)\" (eg, eg-full, tls, tls-full, tls-thinning)")
        }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
        if parsedSizes == nil { throw ValidationError("--sizes must be a comma-separated list of integers >= 2") }
    }

    var parsedSizes: [Int]? {
        let v = sizes.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !v.isEmpty, v.allSatisfy({ ($0 ?? 0) >= 2 }) else { return nil }
        return v.map { $0! }
    }

    package func run() throws {
        try runReportingErrors {
            if child {
                try childRequest.run { Console.out($0) }
                return
            }
            if kmc {
                var b = KMCBenchmark()
                b.sizes = parsedSizes == [1000, 4000, 10000] ? [1000, 10_000] : parsedSizes!
                b.seconds = kmcSeconds
                b.seed = seed
                b.slack = kmcSlack
                b.models = kmcModels.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                Console.out("kmc benchmark (quench from T = infinity, defaults W = J = 1, eg T = 0.1 xi = 0.1, tls T = 0.05), \(kmcSeconds) s per row, one thread")
                Console.out("model             N   slots      events    events/s   s/event    bare O(N) s  cost/bare  s/decade   t reached  accept  refresh/ev  storage")
                let rows = b.run { r in
                    Console.out(String(format: "%-12@ %6d %7d %11d %11.4g %9.3g %12.3g %10.2f %9.3g %11.3g %7.3f %11.2f  %@",
                                       r.model, r.sites, r.eventSlots, r.events, r.eventsPerSecond, r.secondsPerEvent,
                                       r.bareUpdateSeconds, r.costOverBare, r.secondsPerDecade, r.simulatedTime,
                                       r.acceptance, r.refreshesPerEvent, r.storage))
                    if let floor = r.floorUpdateSeconds {
                        Console.out(String(format: "%-12@ %6d   floor of any O(N) hop update (cheaper of double and single-precision rows): %.3g s/hop; 1e8 hops >= %.0f s (this row's engine: %.0f s)",
                                           r.model, r.sites, floor, floor * 1e8, r.secondsPerEvent * 1e8))
                    }
                }
                if let json { try AtomicFile.write(JSONFormat.encode(rows), to: URL(fileURLWithPath: json)) }
                return
            }
            if cutoffStudy {
                var p = TLSParameters()
                p.sites = studyN
                p.temperature = t
                let radii = cutoffs.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
                var study = CutoffStudy(parameters: p, cutoffs: radii)
                study.realizations = realizations
                study.seed = seed
                study.threads = threads
                Console.out("cutoff study: N = \(studyN), T = \(t), \(realizations) realizations (first row: exact, even vs odd realizations = sampling noise)")
                Console.out(" r_c    dosL1  lnGammaL1  energyKS lnGammaKS  median|dE|   p99|dE|  gapDepth  s/realization  pairs/realization  not-converged")
                let rows = try study.run { r in
                    let name = r.cutoff.map { String(format: "%5.1f", $0) } ?? "exact"
                    Console.out(name + String(format: " %8.4f %10.4f %9.4f %9.4f %11.2e %9.2e %9.3f %14.3f %18.3g %14d",
                                 r.dosL1, r.lnGammaL1, r.energyKS,
                                 r.lnGammaKS, r.medianShift, r.p99Shift, r.gapDepth, r.seconds, r.pairEvaluations, r.notConverged))
                }
                if let json {
                    try AtomicFile.write(JSONFormat.encode(rows), to: URL(fileURLWithPath: json))
                }
                return
            }
            let executable = Self.executablePath
            var suite = BenchmarkSuite { child in
                try Subprocess.run(executable, Self.arguments(for: child))
            }
            suite.sizes = parsedSizes!
            suite.storage = couplings
            if eg { suite.electronGlassSizes = [1000, 4000] }
            suite.realizations = realizations
            suite.threads = threads
            suite.temperature = t
            suite.seed = seed
            suite.large = large
            suite.largeCutoff = largeCutoff
            suite.numpyScript = noNumpy ? nil : numpyScript
            suite.python = python
            let report = try suite.run { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
            Console.out(report.text)
            if let json {
                try AtomicFile.write(JSONFormat.encode(report), to: URL(fileURLWithPath: json))
            }
        }
    }

    /// The measurement this child process was asked for.
    package var childRequest: BenchmarkChild {
        BenchmarkChild(model: eg ? .eg : .tls, n: n, storage: couplings, cutoff: cutoff, threads: threads,
                       realizations: realizations, temperature: t, seed: seed)
    }

    /// The command line that makes a child process measure `child`.
    package static func arguments(for child: BenchmarkChild) -> [String] {
        var args = ["bench", "--child", "--n", "\(child.n)", "--threads", "\(child.threads)", "--seed", "\(child.seed)"]
        switch child.model {
        case .eg: args.append("--eg")
        case .tls:
            args += ["--couplings", child.storage.rawValue, "--realizations", "\(child.realizations)", "--t", "\(child.temperature)"]
            if let rc = child.cutoff { args += ["--cutoff", "\(rc)"] }
        }
        return args
    }

    /// This executable's path, for the child processes.
    static var executablePath: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
    }
}
