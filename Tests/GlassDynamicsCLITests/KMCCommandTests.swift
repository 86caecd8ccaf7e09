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
}
