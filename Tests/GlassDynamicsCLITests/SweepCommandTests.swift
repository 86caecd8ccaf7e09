import Foundation
import GlassDynamicsTestSupport
import Testing

/// `glassdyn sweep` end to end, in-process.
@Suite struct SweepCommandTests {
    /// The command writes each point's folder and a sweep.csv holding MODEL.md's W and J pairs.
    @Test func sweepCommandWritesPointsAndTable() throws {
        let out = temporaryPath("sweep")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = CLI.run(["sweep", "--model", "tls", "--vary", "w/j", "--values", "1,3.1,9.8", "--fix-sum", "w2+j2=2",
                             "--n", "60", "--t", "0.05", "--realizations", "3", "--quiet", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = try String(contentsOfFile: "\(out)/sweep.csv", encoding: .utf8).split(separator: "\n")
        let header = lines[0].split(separator: ",").map(String.init)
        #expect(header.prefix(5) == ["value", "w", "j", "t", "n"])
        #expect(header.contains("lnGammaMinError") && header.contains("realizationsConverged"))
        let rows = lines.dropFirst().map { $0.split(separator: ",").map { Double($0)! } }
        try #require(rows.count == 3)
        for (row, (w, j)) in zip(rows, [(1.0, 1.0), (1.3459, 0.4342), (1.4069, 0.1436)]) {
            #expect(abs(row[1] - w) < 1e-4 && abs(row[2] - j) < 1e-4)
            #expect(row[4] == 60)
        }
        for name in ["w/j=1", "w/j=3.1", "w/j=9.8"].map({ $0.replacingOccurrences(of: "/", with: "") }) {
            #expect(FileManager.default.fileExists(atPath: "\(out)/\(name)/summary.json"), "\(name) missing")
        }
        #expect(FileManager.default.fileExists(atPath: "\(out)/sweep.gp"))
        // An electron-glass sweep carries xi in its table.
        let eg = temporaryPath("sweep-eg")
        defer { try? FileManager.default.removeItem(atPath: eg) }
        let e = CLI.run(["sweep", "--model", "eg", "--vary", "xi", "--values", "0.1,0.2", "--n", "40",
                             "--realizations", "2", "--quiet", "--out", eg])
        #expect(e.status == 0, "\(e.stderr)")
        let egLines = try String(contentsOfFile: "\(eg)/sweep.csv", encoding: .utf8).split(separator: "\n")
        #expect(egLines[0].hasPrefix("value,w,j,t,n,xi,"))
        #expect(egLines.dropFirst().map { Double($0.split(separator: ",")[5])! } == [0.1, 0.2])
        // Bad input: one line, exit code 2, nothing run.
        let bad = CLI.run(["sweep", "--model", "tls", "--vary", "xi", "--values", "0.1", "--out", temporaryPath("bad")])
        #expect(bad.status == 2 && bad.stderr.split(separator: "\n").count == 1)
        #expect(bad.stderr.contains("--vary") && bad.stderr.contains("xi"), "\(bad.stderr)")
        let badFig = CLI.run(["reproduce", "--figures", "42", "--out", temporaryPath("badfig")])
        #expect(badFig.status == 2 && badFig.stderr.contains("--figures"))
        let wrongModel = CLI.run(["sweep", "--model", "tls", "--vary", "w", "--values", "1", "--xi", "0.2",
                                      "--out", temporaryPath("badxi")])
        #expect(wrongModel.status == 2 && wrongModel.stderr.contains("--xi"))
    }

    /// The electron glass's solve and eigensolver options pass through a sweep: each point
    /// writes what `glassdyn eg` writes with the same options, byte for byte.
    @Test func sweepPointsMatchTheModelCommandWithTheSameOptions() throws {
        let sweep = temporaryPath("sweep-eg-options"), single = temporaryPath("eg-options")
        defer { for d in [sweep, single] { try? FileManager.default.removeItem(atPath: d) } }
        let options = ["--coulomb-precision", "single-blocked", "--blas-threads", "2", "--threads", "2",
                       "--realizations", "2", "--quiet"]
        let s = CLI.run(["sweep", "--model", "eg", "--vary", "n", "--values", "40,60", "--t", "0.05", "--out", sweep] + options)
        #expect(s.status == 0, "\(s.stderr)")
        let e = CLI.run(["eg", "--n", "60", "--t", "0.05", "--out", single] + options)
        #expect(e.status == 0, "\(e.stderr)")
        for file in ["dos.csv", "rates.csv"] {
            let a = try Data(contentsOf: URL(fileURLWithPath: "\(sweep)/n=60/\(file)"))
            let b = try Data(contentsOf: URL(fileURLWithPath: "\(single)/\(file)"))
            #expect(a == b, "\(file) differs between the sweep point and glassdyn eg")
        }
        let summary = try String(contentsOfFile: "\(sweep)/n=60/summary.json", encoding: .utf8)
        #expect(summary.contains("single-blocked") || summary.contains("singleBlocked"), "\(summary.prefix(400))")
        // The options are the electron glass's: refused for the TLS glass, and out of range.
        for bad in [["--model", "tls", "--vary", "w", "--values", "1", "--coulomb-precision", "single"],
                    ["--model", "tls", "--vary", "w", "--values", "1", "--blas-threads", "2"],
                    ["--model", "eg", "--vary", "n", "--values", "40", "--blas-threads", "0"]] {
            let r = CLI.run(["sweep"] + bad + ["--quiet", "--out", temporaryPath("bad-sweep")])
            #expect(r.status == 2 && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
            #expect(r.stderr.contains(bad[bad.count - 2]), "\(r.stderr)")
        }
    }
}

/// Malformed lists and values of the reproduction and merge commands are refused in one line
/// naming the option (issue 13, items 6-7).
@Suite struct MalformedInputTests {
    @Test(arguments: [
        BadInput(["sweep", "--model", "tls", "--vary", "w", "--values", "1,,2"], names: "--values", value: "1,,2"),
        BadInput(["sweep", "--model", "tls", "--vary", "w", "--values", "1,"], names: "--values", value: "1,"),
        BadInput(["reproduce", "--figures", ""], names: "--figures"),
        BadInput(["reproduce", "--figures", "1,,3"], names: "--figures", value: "1,,3"),
        BadInput(["reproduce", "--alternatives-budget", "nan"], names: "--alternatives-budget", value: "nan"),
    ])
    func malformedValuesAreRefused(_ bad: BadInput) throws {
        let out = temporaryPath("malformed")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = CLI.run(bad.arguments + ["--quiet", "--out", out])
        #expect(r.refuses(bad.option, value: bad.value), "stderr: \(r.stderr)")
    }

    /// A damaged run.json in a shard folder: one line naming the file.
    @Test func mergeOfABrokenManifestNamesTheFile() throws {
        let shard = temporaryPath("broken-shard"), out = temporaryPath("broken-merge")
        defer { for d in [shard, out] { try? FileManager.default.removeItem(atPath: d) } }
        #expect(CLI.run(["tls", "--n", "50", "--realizations", "2", "--shard", "0/1", "--quiet", "--out", shard]).status == 0)
        try Data("{\"model\": \"tls\", \"seed\": ".utf8).write(to: URL(fileURLWithPath: "\(shard)/run.json"))
        let r = CLI.run(["merge", shard, "--quiet", "--out", out])
        #expect(r.status == 2 && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(r.stderr.contains("\(shard)/run.json"), "\(r.stderr)")
    }
}
