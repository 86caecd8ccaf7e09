import Foundation
import GlassDynamicsTestSupport
import Testing
import GlassDynamics

/// Runs the release binary with extra environment variables.
private func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> EndToEnd.Result {
    guard EndToEnd.available else { throw EndToEnd.MissingBinary() }
    return try Subprocess.run(EndToEnd.binary, arguments, environment: extra)
}

/// Data files and summary.json without its cost block.
private func fingerprint(_ dir: String, files: [String] = ["dos.csv", "rates.csv", "rates_linear.csv", "relaxation.csv", "sites.csv"]) throws -> [String: Data] {
    try runFingerprint(dir, files: files)
}

private func oneLine(_ s: String) -> Bool { s.trimmingCharacters(in: .newlines).split(separator: "\n").count == 1 }

@Suite(.serialized)
struct ClusterRunTests {
    static let small = ["tls", "--n", "300", "--realizations", "4", "--threads", "1", "--save-sites", "--quiet"]

    /// A folder locked by a live process is refused to a second run (plain, --force, --resume)
    /// and to merge, in one line naming the holder's pid; once released it is usable, and the
    /// lock file is never listed among the results.
    @Test func lockedFolderIsRefusedNamingThePid() throws {
        let dir = temporaryPath("locked"), merged = temporaryPath("locked-merge")
        defer { for d in [dir, merged] { try? FileManager.default.removeItem(atPath: d) } }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let lock = try #require(try FolderLock.acquire(URL(fileURLWithPath: dir)))
        // In-process too: a second lock on the same folder is refused.
        #expect(throws: ParameterError.self) { try FolderLock.acquire(URL(fileURLWithPath: dir)) }
        for extra in [[], ["--force"], ["--resume"]] {
            let r = try run(Self.small + ["--out", dir] + extra)
            #expect(r.status == 2, "\(extra): \(r.stderr)")
            #expect(oneLine(r.stderr) && r.stderr.contains("pid \(getpid())") && r.stderr.contains(dir), "\(extra): \(r.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == [FolderLock.fileName], "nothing written by the refused runs")
        #expect(FolderLock.holder(of: URL(fileURLWithPath: dir)) == "\(getpid())")
        lock.release()
        #expect(FolderLock.holder(of: URL(fileURLWithPath: dir)) == nil)
        let ok = try run(Self.small + ["--out", dir])   // only the lock file in it: no --force needed
        #expect(ok.status == 0, "\(ok.stderr)")
        // The shard folder is ours; merging it into a locked output is refused too.
        try FileManager.default.createDirectory(atPath: merged, withIntermediateDirectories: true)
        let mergeLock = try #require(try FolderLock.acquire(URL(fileURLWithPath: merged)))
        defer { mergeLock.release() }
        let shard = temporaryPath("locked-shard")
        defer { try? FileManager.default.removeItem(atPath: shard) }
        #expect(try run(Self.small + ["--out", shard, "--shard", "0/1"]).status == 0)
        let m = try run(["merge", shard, "--out", merged, "--force"])
        #expect(m.status == 2 && oneLine(m.stderr) && m.stderr.contains("pid \(getpid())"), "\(m.stderr)")
    }

    /// The lock file does not show among the results and is removed when the run ends.
    @Test func lockFileIsHiddenFromTheResults() throws {
        let dir = temporaryPath("hidden")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try run(Self.small + ["--out", dir])
        #expect(r.status == 0)
        #expect(!r.stdout.contains(FolderLock.fileName))
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/\(FolderLock.fileName)"), "removed at exit")
        #expect(FolderLock.holder(of: URL(fileURLWithPath: dir)) == nil, "released at exit")
    }

    /// Memory refusals name the limit and its source and blame the option that dominates.
    @Test func memoryLimitsNameTheLimitAndTheOption() throws {
        let never = temporaryPath("never")
        let env = [MemoryLimit.environmentVariable: "2000000000"]
        let many = try run(["tls", "--n", "1000", "--realizations", "1000000000", "--out", never], environment: env)
        #expect(many.status == 2 && oneLine(many.stderr))
        #expect(many.stderr.contains("GLASSDYN_MEMORY_LIMIT_BYTES 2.0 GB") && many.stderr.contains("lower --realizations"), "\(many.stderr)")
        let dense = try run(["tls", "--n", "20000", "--couplings", "dense", "--realizations", "1", "--out", never], environment: env)
        #expect(dense.status == 2 && dense.stderr.contains("lower --n") && dense.stderr.contains("--couplings matrix-free"), "\(dense.stderr)")
        let eg = try run(["eg", "--n", "20000", "--realizations", "1", "--out", never], environment: env)
        #expect(eg.status == 2 && eg.stderr.contains("lower --n") && !eg.stderr.contains("matrix-free"), "\(eg.stderr)")
        let threads = try run(["eg", "--n", "6000", "--realizations", "2", "--threads", "2", "--out", never],
                              environment: [MemoryLimit.environmentVariable: "600000000"])
        #expect(threads.status == 2 && threads.stderr.contains("lower --threads"), "\(threads.stderr)")
        let bad = try run(["tls", "--out", never], environment: [MemoryLimit.environmentVariable: "lots"])
        #expect(bad.status == 2 && bad.stderr.contains(MemoryLimit.environmentVariable))
        #expect(!FileManager.default.fileExists(atPath: never), "refused before anything was written")
    }

    /// Automatic coupling storage goes matrix-free when the dense matrix does not fit under
    /// the limit (a quarter of it), with the same numbers: N = 1200 stores 5.8 MB of Float
    /// couplings, more than a quarter of a 20 MB limit.
    @Test func automaticStorageFollowsTheLimit() throws {
        let a = temporaryPath("auto-dense"), b = temporaryPath("auto-free")
        defer { for d in [a, b] { try? FileManager.default.removeItem(atPath: d) } }
        let args = ["tls", "--n", "1200", "--realizations", "2", "--threads", "1", "--quiet"]
        #expect(try run(args + ["--out", a]).status == 0)
        let r = try run(args + ["--out", b], environment: [MemoryLimit.environmentVariable: "20000000"])
        #expect(r.status == 0, "\(r.stderr)")
        let summary = try String(contentsOfFile: "\(b)/summary.json", encoding: .utf8)
        #expect(summary.contains("\"matrix-free\""))
        #expect(try fingerprint(a, files: ["dos.csv", "rates.csv"])["rates.csv"] == fingerprint(b, files: ["dos.csv", "rates.csv"])["rates.csv"])
    }

    /// cgroup v2 and v1 limits are read from the process's own cgroup and its ancestors; the
    /// smallest limit wins.
    @Test func cgroupLimitsAreRead() throws {
        let root = URL(fileURLWithPath: temporaryPath("cgroup"))
        defer { try? FileManager.default.removeItem(at: root) }
        let fm = FileManager.default
        func put(_ path: String, _ text: String) throws {
            let url = root.appendingPathComponent(path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        // Pure v2: the job's memory.max under its parent's.
        try put("v2/cgroup.controllers", "memory\n")
        try put("v2/system.slice/slurmstepd.scope/job_7/memory.max", "2147483648\n")
        try put("v2/system.slice/slurmstepd.scope/memory.max", "max\n")
        let v2 = MemoryLimit.read(procSelfCgroup: "0::/system.slice/slurmstepd.scope/job_7\n",
                                  cgroupRoot: root.appendingPathComponent("v2"), physicalBytes: 64e9)
        #expect(v2.bytes == 2147483648 && v2.description == "cgroup memory.max 2.1 GB")
        // v1: unlimited job, limited parent.
        try put("v1/memory/slurm/uid_0/job_8/memory.limit_in_bytes", "9223372036854771712\n")
        try put("v1/memory/slurm/memory.limit_in_bytes", "1000000000\n")
        let v1 = MemoryLimit.read(procSelfCgroup: "4:memory:/slurm/uid_0/job_8\n1:cpu:/\n",
                                  cgroupRoot: root.appendingPathComponent("v1"), physicalBytes: 64e9)
        #expect(v1.bytes == 1e9 && v1.source == "cgroup v1 memory.limit_in_bytes")
        // Physical memory when it is the smallest.
        let phys = MemoryLimit.read(procSelfCgroup: "0::/system.slice/slurmstepd.scope/job_7\n",
                                    cgroupRoot: root.appendingPathComponent("v2"), physicalBytes: 1e9)
        #expect(phys.source == "physical memory")
    }

    /// SIGTERM (what Slurm sends before its time limit and on scancel) finishes the running
    /// realizations, says so in one line, exits 143 and leaves a folder that resumes to the
    /// uninterrupted result byte for byte.
    @Test func sigtermLeavesAResumableFolder() throws {
        let slow = ["tls", "--n", "2500", "--realizations", "8", "--threads", "1", "--save-sites", "--quiet"]
        let ref = temporaryPath("term-ref"), dir = temporaryPath("term")
        defer { for d in [ref, dir] { try? FileManager.default.removeItem(atPath: d) } }
        #expect(try run(slow + ["--out", ref]).status == 0)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: EndToEnd.binary)
        p.arguments = slow + ["--out", dir]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        // Signal once the first realization is on disk (mid-run).
        let ledger = "\(dir)/\(RealizationLedger.fileName)"
        for _ in 0..<600 {
            if let a = try? FileManager.default.attributesOfItem(atPath: ledger), (a[.size] as? Int ?? 0) > 0 { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        kill(p.processIdentifier, SIGTERM)
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationReason == .exit && p.terminationStatus == 143, "\(p.terminationStatus): \(message)")
        let final = message.split(separator: "\n").last.map(String.init) ?? ""
        #expect(final.contains("SIGTERM") && final.contains("resumable") && final.contains(dir), "\(message)")
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/summary.json"))
        let resumed = try run(slow + ["--out", dir, "--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try fingerprint(dir) == fingerprint(ref))
    }

    /// --resume removes the temporary files a killed writer left; --force clears the files
    /// of an earlier run that the new one would not write, and keeps the user's own files.
    @Test func leftoversAreCleared() throws {
        let dir = temporaryPath("leftovers")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try run(Self.small + ["--out", dir]).status == 0)
        let stale = "\(dir)/.summary.json.tmp-12345-678", mine = "\(dir)/notes.txt"
        try Data("partial".utf8).write(to: URL(fileURLWithPath: stale))
        try Data("mine".utf8).write(to: URL(fileURLWithPath: mine))
        #expect(try run(Self.small + ["--out", dir, "--resume"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: stale))
        // Reuse the TLS folder (with sites.csv) for an eg run without --save-sites.
        let eg = try run(["eg", "--n", "100", "--realizations", "2", "--quiet", "--out", dir, "--force"])
        #expect(eg.status == 0, "\(eg.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/sites.csv"), "TLS sites.csv survived --force")
        #expect(FileManager.default.fileExists(atPath: mine))
        #expect(eg.stdout.contains("results in") && !eg.stdout.contains("sites.csv"))
    }

    /// merge refuses a damaged shard in one line naming the folder, the ledger and the offset;
    /// --resume of that shard repairs it.
    @Test func mergeRefusesADamagedShard() throws {
        let a = temporaryPath("dmg-a"), b = temporaryPath("dmg-b"), m = temporaryPath("dmg-m")
        defer { for d in [a, b, m] { try? FileManager.default.removeItem(atPath: d) } }
        let args = ["tls", "--n", "200", "--realizations", "4", "--threads", "1", "--quiet"]
        #expect(try run(args + ["--out", a, "--shard", "0/2"]).status == 0)
        #expect(try run(args + ["--out", b, "--shard", "1/2"]).status == 0)
        let ledger = URL(fileURLWithPath: "\(a)/\(RealizationLedger.fileName)")
        var bytes = try Data(contentsOf: ledger)
        let size = bytes.count
        bytes.append(contentsOf: Array("GDR1".utf8) + [UInt8](repeating: 0xff, count: 16))
        try bytes.write(to: ledger)
        let r = try run(["merge", a, b, "--out", m])
        #expect(r.status == 2 && oneLine(r.stderr), "\(r.stderr)")
        #expect(r.stderr.contains(a) && r.stderr.contains(RealizationLedger.fileName) && r.stderr.contains("offset \(size)"), "\(r.stderr)")
        let fix = try run(args + ["--out", a, "--shard", "0/2", "--resume"])
        #expect(fix.status == 0 && fix.stderr.contains("offset \(size)"), "\(fix.stderr)")
        #expect(try run(["merge", a, b, "--out", m]).status == 0)
    }
}
