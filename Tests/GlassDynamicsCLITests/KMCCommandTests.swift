import Foundation
import GlassDynamics
import GlassDynamicsCLI
import GlassDynamicsTestSupport
import Testing

@Suite(.serialized)
struct KMCCommandTests {
    static let bad: [BadInput] = [
        BadInput(["kmc", "eg", "--n", "11"], names: "--n", value: "11"),
        BadInput(["kmc", "eg", "--n", "20", "--t", "0"], names: "--t", value: "0"),
        BadInput(["kmc", "tls", "--n", "20", "--t=-1"], names: "--t", value: "-1"),
        BadInput(["kmc", "tls", "--n", "20", "--time", "1e40"], names: "--time", value: "1e40"),
        BadInput(["kmc", "eg", "--n", "20", "--time", "inf"], names: "--time", value: "inf"),
        BadInput(["kmc", "eg", "--n", "20", "--t-eq=-5"], names: "--t-eq", value: "-5"),
        BadInput(["kmc", "eg", "--n", "20", "--time", "10", "--t-min", "100"], names: "--t-min", value: "100"),
        BadInput(["kmc", "tls", "--n", "20", "--protocol", "aging", "--tw", "0"], names: "--tw", value: "0"),
        BadInput(["kmc", "eg", "--n", "20", "--max-events", "0"], names: "--max-events", value: "0"),
        BadInput(["kmc", "eg", "--n", "20", "--pair-cutoff=-1"], names: "--pair-cutoff", value: "-1"),
        BadInput(["kmc", "eg", "--n", "20", "--canonical-events", "0"], names: "--canonical-events", value: "0"),
        BadInput(["kmc", "tls", "--n", "20", "--checkpoint-seconds=-1"], names: "--checkpoint-seconds", value: "-1"),
    ]

    @Test("bad kmc input is refused in one line naming the flag, before any work", arguments: bad)
    func refusesBadInput(_ c: BadInput) {
        let dir = temporaryPath("kmc-bad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = CLI.run(c.arguments + ["--out", dir, "--quiet"])
        #expect(r.refuses(c.option, value: c.value), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/summary.json"))
    }

    static let egRun = ["kmc", "eg", "--n", "40", "--xi", "0.3", "--realizations", "4", "--protocol", "equilibrium",
                        "--t-eq", "30", "--time", "30", "--samples", "5", "--trajectories", "2", "--no-spectrum", "--quiet"]
    static let tlsRun = ["kmc", "tls", "--n", "30", "--delta0-min", "0.01", "--delta0-max", "0.3", "--realizations", "3",
                         "--protocol", "aging", "--tw", "10,100", "--time", "100", "--t", "0.2", "--quiet"]
    static let egFiles = ["relaxation.csv", "dos.csv"]
    static let tlsFiles = ["relaxation.csv", "correlation.csv"]

    @Test("kmc results are bit-identical for any --threads, and for shards merged")
    func threadsAndShardsGiveIdenticalResults() throws {
        for (args, files) in [(Self.egRun, Self.egFiles), (Self.tlsRun, Self.tlsFiles)] {
            let one = temporaryPath("kmc-t1"), two = temporaryPath("kmc-t2")
            let a = temporaryPath("kmc-s0"), b = temporaryPath("kmc-s1"), merged = temporaryPath("kmc-merged")
            defer { for d in [one, two, a, b, merged] { try? FileManager.default.removeItem(atPath: d) } }
            #expect(CLI.run(args + ["--threads", "1", "--out", one]).status == 0)
            #expect(CLI.run(args + ["--threads", "2", "--out", two]).status == 0)
            let reference = try runFingerprint(one, files: files)
            #expect(try runFingerprint(two, files: files) == reference)
            #expect(CLI.run(args + ["--threads", "1", "--out", a, "--shard", "0/2"]).status == 0)
            #expect(CLI.run(args + ["--threads", "1", "--out", b, "--shard", "1/2"]).status == 0)
            let m = CLI.run(["merge", a, b, "--out", merged, "--quiet"])
            #expect(m.status == 0, "\(m.stderr)")
            #expect(try runFingerprint(merged, files: files) == reference)
        }
    }

    @Test("a kmc run whose ledger was cut mid-record (as by kill -9) resumes to identical files")
    func cutLedgerResumesIdentically() throws {
        let ref = temporaryPath("kmc-ref"), cut = temporaryPath("kmc-cut")
        defer { for d in [ref, cut] { try? FileManager.default.removeItem(atPath: d) } }
        #expect(CLI.run(Self.egRun + ["--threads", "1", "--out", ref]).status == 0)
        let expected = try runFingerprint(ref, files: Self.egFiles)
        try FileManager.default.copyItem(atPath: ref, toPath: cut)
        for f in Self.egFiles + ["summary.json"] { try FileManager.default.removeItem(atPath: "\(cut)/\(f)") }
        let ledger = URL(fileURLWithPath: "\(cut)/\(RealizationLedger.fileName)")
        let bytes = try Data(contentsOf: ledger)
        try bytes.prefix(bytes.count * 2 / 3).write(to: ledger)
        let r = CLI.run(Self.egRun + ["--threads", "1", "--out", cut, "--resume"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try runFingerprint(cut, files: Self.egFiles) == expected)
    }

    static let longRun = ["kmc", "eg", "--n", "60", "--xi", "0.3", "--realizations", "2", "--protocol", "aging", "--tw", "10,100",
                          "--time", "300", "--no-spectrum", "--threads", "1", "--quiet", "--canonical-events", "300",
                          "--checkpoint-seconds", "0"]
    static let longFiles = ["relaxation.csv", "correlation.csv", "relaxation.gp", "correlation.gp"]

    static func checkpointFiles(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "\(dir)/\(KMCCheckpoints.folderName)")) ?? [])
            .filter { $0.hasSuffix(".ckpt") }.sorted()
    }

    @Test("kmc eg killed by SIGKILL mid-trajectory after an in-trajectory checkpoint resumes with --resume to byte-identical files; a damaged checkpoint is refused in one line")
    func killedMidTrajectoryResumesIdentically() throws {
        let ref = temporaryPath("kmc-long-ref")
        defer { try? FileManager.default.removeItem(atPath: ref) }
        let start = Date()
        let r0 = CLI.run(Self.longRun + ["--out", ref])
        #expect(r0.status == 0, "\(r0.stderr)")
        let duration = Date().timeIntervalSince(start)
        let expected = try runFingerprint(ref, files: Self.longFiles)
        #expect(Self.checkpointFiles(ref).isEmpty)
        var killedMidTrajectory = 0
        // Kill as soon as a checkpoint exists, and again later in the run.
        for delay in [0.0, 0.5 * duration] {
            let dir = temporaryPath("kmc-killed")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let p = try EndToEnd.start(Self.longRun + ["--out", dir])
            let started = Date()
            while p.isRunning && (Self.checkpointFiles(dir).isEmpty || Date().timeIntervalSince(started) < delay) {
                Thread.sleep(forTimeInterval: 0.002)
            }
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let left = Self.checkpointFiles(dir)
            if !left.isEmpty && !FileManager.default.fileExists(atPath: "\(dir)/summary.json") { killedMidTrajectory += 1 }
            if delay == 0 {
                // Damaged copies of the folder are refused in one line naming the file.
                for damage in ["truncate", "garbage"] where !left.isEmpty {
                    let copy = temporaryPath("kmc-damaged")
                    defer { try? FileManager.default.removeItem(atPath: copy) }
                    try FileManager.default.copyItem(atPath: dir, toPath: copy)
                    let file = "\(copy)/\(KMCCheckpoints.folderName)/\(left[0])"
                    let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
                    try (damage == "truncate" ? bytes.prefix(bytes.count - 5) : Data("not a checkpoint".utf8)).write(to: URL(fileURLWithPath: file))
                    let r = CLI.run(Self.longRun + ["--out", copy, "--resume"])
                    let lines = r.stderr.split(separator: "\n")
                    #expect(r.status != 0 && lines.count == 1 && r.stderr.contains(file), "\(r.stderr)")
                }
            }
            let resumed = CLI.run(Self.longRun + ["--out", dir, "--resume"])
            #expect(resumed.status == 0, "\(resumed.stderr)")
            #expect(try runFingerprint(dir, files: Self.longFiles) == expected, "killed after \(delay) s")
            #expect(Self.checkpointFiles(dir).isEmpty)
        }
        #expect(killedMidTrajectory >= 1)
    }

    static let responseRun = ["kmc", "eg", "--n", "60", "--xi", "0.3", "--realizations", "2", "--protocol", "response", "--start", "random",
                              "--t-eq", "5", "--tw", "30", "--time", "200", "--no-spectrum", "--threads", "1", "--quiet",
                              "--canonical-events", "300", "--checkpoint-seconds", "0"]
    static let responseFiles = ["relaxation.csv", "response.csv", "relaxation.gp", "response.gp"]

    /// True when a checkpoint in `dir` holds the response protocol's twins.
    static func twinCheckpoint(_ dir: String) -> Bool {
        checkpointFiles(dir).contains { KMCCheckpoints.peek(URL(fileURLWithPath: "\(dir)/\(KMCCheckpoints.folderName)/\($0)"))?.twin != nil }
    }

    @Test("kmc --protocol response stopped by SIGKILL or SIGTERM inside its twin phase (its checkpoint holds both twins) resumes with --resume to byte-identical files", arguments: [SIGKILL, SIGTERM])
    func stoppedInTheTwinPhaseResumesIdentically(_ signal: Int32) throws {
        let ref = temporaryPath("kmc-twin-ref"), dir = temporaryPath("kmc-twin")
        defer { for d in [ref, dir] { try? FileManager.default.removeItem(atPath: d) } }
        let r0 = CLI.run(Self.responseRun + ["--out", ref])
        #expect(r0.status == 0, "\(r0.stderr)")
        let expected = try runFingerprint(ref, files: Self.responseFiles)
        // Stop as soon as a checkpoint of the twin phase is on disk (the equilibration to t_eq = 5
        // is short, the twins run 230 time units).
        let p = try EndToEnd.start(Self.responseRun + ["--out", dir])
        while p.isRunning && !Self.twinCheckpoint(dir) { Thread.sleep(forTimeInterval: 0.001) }
        kill(p.processIdentifier, signal)
        p.waitUntilExit()
        let stopped = !FileManager.default.fileExists(atPath: "\(dir)/summary.json")
        #expect(stopped, "the run finished before a twin-phase checkpoint was seen")
        if stopped {
            #expect(Self.twinCheckpoint(dir), "the checkpoint left behind is not inside the twin phase")
            if signal == SIGTERM { #expect(p.terminationStatus == 143) }
        }
        let resumed = CLI.run(Self.responseRun + ["--out", dir, "--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try runFingerprint(dir, files: Self.responseFiles) == expected)
        #expect(Self.checkpointFiles(dir).isEmpty)
    }

    @Test("SIGTERM mid-trajectory makes kmc save the realization in progress at its next canonical point and exit 143; --resume gives byte-identical files")
    func sigtermSavesTheTrajectoryAndResumesIdentically() throws {
        // No periodic files (one hour): a checkpoint left behind was written on the signal.
        var run = Self.longRun.filter { $0 != "0" && $0 != "--checkpoint-seconds" } + ["--checkpoint-seconds", "3600"]
        run[run.firstIndex(of: "300")!] = "3000"
        let ref = temporaryPath("kmc-term-ref"), dir = temporaryPath("kmc-term")
        defer { for d in [ref, dir] { try? FileManager.default.removeItem(atPath: d) } }
        let start = Date()
        #expect(CLI.run(run + ["--out", ref]).status == 0)
        let duration = Date().timeIntervalSince(start)
        let expected = try runFingerprint(ref, files: Self.longFiles)
        let p = try EndToEnd.start(run + ["--out", dir])
        Thread.sleep(forTimeInterval: Swift.max(0.4 * duration, 0.3))
        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
        if !FileManager.default.fileExists(atPath: "\(dir)/summary.json") {
            #expect(p.terminationStatus == 143)
            #expect(!Self.checkpointFiles(dir).isEmpty)
        }
        let resumed = CLI.run(run + ["--out", dir, "--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try runFingerprint(dir, files: Self.longFiles) == expected)
    }
}
