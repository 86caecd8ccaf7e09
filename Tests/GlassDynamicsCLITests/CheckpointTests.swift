import Foundation
import GlassDynamics
import GlassDynamicsCLI
import GlassDynamicsTestSupport
import Testing

private func fingerprint(_ dir: String) throws -> [String: Data] { try runFingerprint(dir) }

@Suite(.serialized)
struct CheckpointTests {
    static let run = ["tls", "--n", "1200", "--realizations", "10", "--threads", "1", "--save-sites", "--quiet"]

    static func reference() throws -> (String, [String: Data]) {
        let dir = temporaryPath("reference")
        #expect(CLI.run(run + ["--out", dir]).status == 0)
        return (dir, try fingerprint(dir))
    }

    /// Slower realizations (about 0.2 s each) so signals land mid-run.
    static let slow = ["tls", "--n", "2500", "--realizations", "8", "--threads", "1", "--save-sites", "--quiet"]

    /// kill -9 at several moments, then --resume: byte-identical outputs.
    @Test func killedRunsResumeToIdenticalFiles() throws {
        let ref = temporaryPath("slow-reference")
        defer { try? FileManager.default.removeItem(atPath: ref) }
        let start = Date()
        #expect(CLI.run(Self.slow + ["--out", ref]).status == 0)
        let duration = Date().timeIntervalSince(start)
        let expected = try fingerprint(ref)
        var killedMidRun = 0
        // Moments spread over the run (measured on the reference, so machine load scales them).
        for delay in [0.12, 0.35, 0.58, 0.8].map({ $0 * duration }) {
            let dir = temporaryPath("killed")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let p = try EndToEnd.start(Self.slow + ["--out", dir])
            Thread.sleep(forTimeInterval: delay)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            if !FileManager.default.fileExists(atPath: "\(dir)/summary.json") { killedMidRun += 1 }
            let resumed = CLI.run(Self.slow + ["--out", dir, "--resume"])
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
        let r = CLI.run(Self.run + ["--out", dir, "--resume"])
        #expect(r.status == 0)
        #expect(r.stderr.contains("checksum") || r.stderr.contains("truncated"))
        #expect(try fingerprint(dir) == expected)
        #expect(try RealizationLedger.load(ledger).problems.isEmpty)
    }

    /// Resuming with other parameters is refused, naming the difference.
    @Test func resumeWithOtherParametersIsRefused() throws {
        let (dir, _) = try Self.reference()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = CLI.run(Self.run + ["--out", dir, "--resume", "--w", "2"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("parameters.w"))
    }

    /// Three shards merged equal the single run byte for byte; duplicated and missing
    /// realizations and mixed parameters are refused.
    @Test func shardsMergeToTheSingleRun() throws {
        let (ref, expected) = try Self.reference()
        let shards = (0..<3).map { _ in temporaryPath("shard") }
        let merged = temporaryPath("merged"), other = temporaryPath("other")
        defer { for d in [ref, merged, other] + shards { try? FileManager.default.removeItem(atPath: d) } }
        for (i, d) in shards.enumerated() {
            #expect(CLI.run(Self.run + ["--out", d, "--shard", "\(i)/3"]).status == 0)
        }
        let m = CLI.run(["merge"] + shards + ["--out", merged, "--quiet"])
        #expect(m.status == 0, "\(m.stderr)")
        #expect(try fingerprint(merged) == expected)

        let missing = CLI.run(["merge", shards[0], shards[2], "--out", other])
        #expect(missing.status != 0 && missing.stderr.contains("missing"))
        let twice = CLI.run(["merge", shards[0], shards[0], shards[1], shards[2], "--out", other])
        #expect(twice.status != 0 && twice.stderr.contains("appears in both"))
        #expect(CLI.run(Self.run + ["--out", other, "--shard", "1/3", "--t", "0.1"]).status == 0)
        let mixed = CLI.run(["merge", shards[0], other, shards[2], "--out", temporaryPath("never")])
        #expect(mixed.status != 0 && mixed.stderr.contains("parameters.t"))
    }

    /// SIGINT finishes the running realization, exits non-zero with a message, and leaves a
    /// folder that resumes to the uninterrupted result.
    @Test func interruptLeavesAResumableFolder() throws {
        let slow = Self.slow
        let ref = temporaryPath("slow-reference"), dir = temporaryPath("sigint")
        defer { for d in [ref, dir] { try? FileManager.default.removeItem(atPath: d) } }
        #expect(CLI.run(slow + ["--out", ref]).status == 0)
        let expected = try fingerprint(ref)
        guard EndToEnd.available else { throw EndToEnd.MissingBinary() }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: EndToEnd.binary)
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
        #expect(CLI.run(slow + ["--out", dir, "--resume"]).status == 0)
        #expect(try fingerprint(dir) == expected)
    }
}

@Suite
struct ElectronGlassCheckpointTests {
    /// The electron glass uses the same ledger: two shards merge into the single run, and a
    /// resumed run equals it too.
    @Test func electronGlassShardsAndResumeReproduceTheSingleRun() throws {
        let run = ["eg", "--n", "200", "--realizations", "4", "--save-sites", "--quiet"]
        let ref = temporaryPath("eg-ref"), a = temporaryPath("eg-a"), b = temporaryPath("eg-b")
        let merged = temporaryPath("eg-merged")
        defer { for d in [ref, a, b, merged] { try? FileManager.default.removeItem(atPath: d) } }
        #expect(CLI.run(run + ["--out", ref]).status == 0)
        #expect(CLI.run(run + ["--out", a, "--shard", "0/2"]).status == 0)
        #expect(CLI.run(run + ["--out", b, "--shard", "1/2"]).status == 0)
        let m = CLI.run(["merge", a, b, "--out", merged])
        #expect(m.status == 0, "\(m.stderr)")
        #expect(try fingerprint(merged) == fingerprint(ref))
        // Resume a shard folder as the whole run: the two realizations it holds are reused.
        let r = CLI.run(run + ["--out", a, "--resume", "--shard", "0/1"])
        #expect(r.status != 0 && r.stderr.contains("shard"))
    }
}

@Suite
struct SweepCheckpointTests {
    /// A sweep keeps a ledger per point: after a damaged point (its ledger cut short, as a
    /// kill would leave it), --resume recomputes only what is missing and reproduces the files.
    @Test func sweepResumesFromItsPointLedgers() throws {
        let dir = temporaryPath("sweep")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = ["sweep", "--model", "tls", "--vary", "w", "--values", "1,3", "--n", "300",
                   "--realizations", "4", "--quiet", "--out", dir]
        #expect(CLI.run(run).status == 0)
        let rates = URL(fileURLWithPath: "\(dir)/w=3/rates.csv")
        let before = try Data(contentsOf: rates)
        let ledger = URL(fileURLWithPath: "\(dir)/w=3/\(RealizationLedger.fileName)")
        let bytes = try Data(contentsOf: ledger)
        try bytes.prefix(bytes.count / 2 + 7).write(to: ledger)  // mid-record
        try FileManager.default.removeItem(at: rates)
        let r = CLI.run(run + ["--resume"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("warning"))
        #expect(try Data(contentsOf: rates) == before)
    }
}
