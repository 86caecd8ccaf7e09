import Foundation
import Testing
import GlassDynamics

/// The data files of a finished run and its summary without the "cost" block (wall time,
/// memory, threads: the only fields allowed to differ between identical runs).
private func fingerprint(_ dir: String) throws -> [String: Data] {
    var out = [String: Data]()
    for f in ["dos.csv", "rates.csv", "rates_linear.csv", "relaxation.csv", "sites.csv"] {
        out[f] = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/\(f)"))
    }
    guard case .object(let kv) = try JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: "\(dir)/summary.json"))) else {
        throw GlassDynamicsError.io("summary.json is not an object")
    }
    out["summary.json"] = Data(JSONValue.object(kv.filter { $0.0 != "cost" }).render().utf8)
    return out
}

@Suite(.serialized, .enabled(if: CLI.available, "needs the release glassdyn binary (make test builds it)"))
struct CheckpointTests {
    static let run = ["tls", "--n", "1200", "--realizations", "10", "--threads", "1", "--save-sites", "--quiet"]

    static func reference() throws -> (String, [String: Data]) {
        let dir = CLI.temporaryPath("reference")
        #expect(try CLI.run(run + ["--out", dir]).status == 0)
        return (dir, try fingerprint(dir))
    }

    /// Slower realizations (about 0.2 s each) so signals land mid-run.
    static let slow = ["tls", "--n", "2500", "--realizations", "8", "--threads", "1", "--save-sites", "--quiet"]

    /// kill -9 at several moments, then --resume: byte-identical outputs.
    @Test func killedRunsResumeToIdenticalFiles() throws {
        let ref = CLI.temporaryPath("slow-reference")
        defer { try? FileManager.default.removeItem(atPath: ref) }
        let start = Date()
        #expect(try CLI.run(Self.slow + ["--out", ref]).status == 0)
        let duration = Date().timeIntervalSince(start)
        let expected = try fingerprint(ref)
        var killedMidRun = 0
        // Moments spread over the run (measured on the reference, so machine load scales them).
        for delay in [0.12, 0.35, 0.58, 0.8].map({ $0 * duration }) {
            let dir = CLI.temporaryPath("killed")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let p = Process()
            p.executableURL = URL(fileURLWithPath: CLI.binary)
            p.arguments = Self.slow + ["--out", dir]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            Thread.sleep(forTimeInterval: delay)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            if !FileManager.default.fileExists(atPath: "\(dir)/summary.json") { killedMidRun += 1 }
            let resumed = try CLI.run(Self.slow + ["--out", dir, "--resume"])
            #expect(resumed.status == 0, "resume after kill at \(delay) s: \(resumed.stderr)")
            #expect(try fingerprint(dir) == expected, "kill at \(delay) s")
        }
        #expect(killedMidRun >= 2)
    }

    /// A truncated or corrupted ledger record is detected, reported and recomputed.
    @Test func damagedRecordsAreReportedAndRecomputed() throws {
        let (dir, expected) = try Self.reference()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ledger = URL(fileURLWithPath: "\(dir)/\(RealizationLedger.fileName)")
        var bytes = try Data(contentsOf: ledger)
        // Flip one byte in the middle of the file, then also cut the tail.
        bytes[bytes.count / 2] ^= 0xff
        bytes = bytes.prefix(bytes.count - 100)
        try bytes.write(to: ledger)
        let r = try CLI.run(Self.run + ["--out", dir, "--resume"])
        #expect(r.status == 0)
        #expect(r.stderr.contains("checksum") || r.stderr.contains("truncated"))
        #expect(try fingerprint(dir) == expected)
        #expect(try RealizationLedger.load(ledger).problems.isEmpty)
    }

    /// Resuming with other parameters is refused, naming the difference.
    @Test func resumeWithOtherParametersIsRefused() throws {
        let (dir, _) = try Self.reference()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try CLI.run(Self.run + ["--out", dir, "--resume", "--w", "2"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("parameters.w"))
    }

    /// Three shards merged equal the single run byte for byte; duplicated and missing
    /// realizations and mixed parameters are refused.
    @Test func shardsMergeToTheSingleRun() throws {
        let (ref, expected) = try Self.reference()
        let shards = (0..<3).map { _ in CLI.temporaryPath("shard") }
        let merged = CLI.temporaryPath("merged"), other = CLI.temporaryPath("other")
        defer { for d in [ref, merged, other] + shards { try? FileManager.default.removeItem(atPath: d) } }
        for (i, d) in shards.enumerated() {
            #expect(try CLI.run(Self.run + ["--out", d, "--shard", "\(i)/3"]).status == 0)
        }
        let m = try CLI.run(["merge"] + shards + ["--out", merged, "--quiet"])
        #expect(m.status == 0, "\(m.stderr)")
        #expect(try fingerprint(merged) == expected)

        let missing = try CLI.run(["merge", shards[0], shards[2], "--out", other])
        #expect(missing.status != 0 && missing.stderr.contains("missing"))
        let twice = try CLI.run(["merge", shards[0], shards[0], shards[1], shards[2], "--out", other])
        #expect(twice.status != 0 && twice.stderr.contains("appears in both"))
        #expect(try CLI.run(Self.run + ["--out", other, "--shard", "1/3", "--t", "0.1"]).status == 0)
        let mixed = try CLI.run(["merge", shards[0], other, shards[2], "--out", CLI.temporaryPath("never")])
        #expect(mixed.status != 0 && mixed.stderr.contains("parameters.t"))
    }

    /// SIGINT finishes the running realization, exits non-zero with a message, and leaves a
    /// folder that resumes to the uninterrupted result.
    @Test func interruptLeavesAResumableFolder() throws {
        let slow = Self.slow
        let ref = CLI.temporaryPath("slow-reference"), dir = CLI.temporaryPath("sigint")
        defer { for d in [ref, dir] { try? FileManager.default.removeItem(atPath: d) } }
        #expect(try CLI.run(slow + ["--out", ref]).status == 0)
        let expected = try fingerprint(ref)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLI.binary)
        p.arguments = slow + ["--out", dir]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        Thread.sleep(forTimeInterval: 0.3)
        kill(p.processIdentifier, SIGINT)
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus != 0)
        #expect(message.contains("--resume"))
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/summary.json"))
        #expect(try CLI.run(slow + ["--out", dir, "--resume"]).status == 0)
        #expect(try fingerprint(dir) == expected)
    }
}

@Suite(.enabled(if: CLI.available, "needs the release glassdyn binary (make test builds it)"))
struct ElectronGlassCheckpointTests {
    /// The electron glass uses the same ledger: two shards merge into the single run, and a
    /// resumed run equals it too.
    @Test func electronGlassShardsAndResumeReproduceTheSingleRun() throws {
        let run = ["eg", "--n", "200", "--realizations", "4", "--save-sites", "--quiet"]
        let ref = CLI.temporaryPath("eg-ref"), a = CLI.temporaryPath("eg-a"), b = CLI.temporaryPath("eg-b")
        let merged = CLI.temporaryPath("eg-merged")
        defer { for d in [ref, a, b, merged] { try? FileManager.default.removeItem(atPath: d) } }
        #expect(try CLI.run(run + ["--out", ref]).status == 0)
        #expect(try CLI.run(run + ["--out", a, "--shard", "0/2"]).status == 0)
        #expect(try CLI.run(run + ["--out", b, "--shard", "1/2"]).status == 0)
        let m = try CLI.run(["merge", a, b, "--out", merged])
        #expect(m.status == 0, "\(m.stderr)")
        #expect(try fingerprint(merged) == fingerprint(ref))
        // Resume a shard folder as the whole run: the two realizations it holds are reused.
        let r = try CLI.run(run + ["--out", a, "--resume", "--shard", "0/1"])
        #expect(r.status != 0 && r.stderr.contains("shard"))
    }
}

@Suite(.enabled(if: CLI.available, "needs the release glassdyn binary (make test builds it)"))
struct SweepCheckpointTests {
    /// A sweep keeps a ledger per point: after a damaged point (its ledger cut short, as a
    /// kill would leave it), --resume recomputes only what is missing and reproduces the files.
    @Test func sweepResumesFromItsPointLedgers() throws {
        let dir = CLI.temporaryPath("sweep")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = ["sweep", "--model", "tls", "--vary", "w", "--values", "1,3", "--n", "300",
                   "--realizations", "4", "--quiet", "--out", dir]
        #expect(try CLI.run(run).status == 0)
        let rates = URL(fileURLWithPath: "\(dir)/w=3/rates.csv")
        let before = try Data(contentsOf: rates)
        let ledger = URL(fileURLWithPath: "\(dir)/w=3/\(RealizationLedger.fileName)")
        let bytes = try Data(contentsOf: ledger)
        try bytes.prefix(bytes.count / 2 + 7).write(to: ledger)  // mid-record
        try FileManager.default.removeItem(at: rates)
        let r = try CLI.run(run + ["--resume"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("warning"))
        #expect(try Data(contentsOf: rates) == before)
    }
}

@Suite struct BinaryRecordTests {
    /// A realization survives the ledger encoding bit for bit, including NaN payloads and
    /// signed zeros.
    @Test func outcomeRoundTripsExactly() throws {
        let o = RealizationOutcome(index: 7, energies: [-0.0, 1.5, .pi, -.infinity], rates: [1e-300, .nan, 4],
                                   solver: SolverReport(sweeps: 12, residual: 3e-9, converged: true, columnUpdates: 99, pairEvaluations: 4950),
                                   timings: [("build", 0.25), ("solve", 1e-3)])
        var w = BinaryWriter()
        o.encode(into: &w)
        var r = BinaryReader(w.bytes)
        let back = try RealizationOutcome(from: &r)
        #expect(r.isAtEnd)
        #expect(back.index == 7 && back.solver == o.solver)
        #expect(back.energies.map(\.bitPattern) == o.energies.map(\.bitPattern))
        #expect(back.rates.map(\.bitPattern) == o.rates.map(\.bitPattern))
        #expect(back.timings.map(\.0) == ["build", "solve"])
        var short = BinaryReader(Array(w.bytes.dropLast(3)))
        #expect(throws: GlassDynamicsError.self) { try RealizationOutcome(from: &short) }
    }

    @Test func shardsPartitionTheRealizations() throws {
        let shards = try (0..<4).map { try Shard(index: $0, count: 4) }
        let all = shards.flatMap { $0.realizations(of: 23) }.sorted()
        #expect(all == Array(0..<23))
        #expect(throws: GlassDynamicsError.self) { try Shard(parsing: "3/3") }
        #expect(throws: GlassDynamicsError.self) { try Shard(parsing: "x") }
    }

    @Test func orderedJSONRoundTrips() throws {
        let v = JSONValue.object([("z", .integer(3)), ("a", .number(1e-7)), ("s", .string("q\"\n")),
                                  ("l", .array([.bool(true), .null, .number(-2.5)]))])
        #expect(try JSONValue.parse(v.render()) == v)
        #expect(try JSONValue.parse(v.render()).render() == v.render())
    }
}
