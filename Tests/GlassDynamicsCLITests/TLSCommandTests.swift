import Foundation
import Testing

@Suite(.enabled(if: CLI.available, "needs the release glassdyn binary (make test builds it)"))
struct TLSCommandTests {
    static let small = ["tls", "--n", "200", "--realizations", "3", "--quiet"]
    static let dataFiles = ["dos.csv", "rates.csv", "rates_linear.csv", "relaxation.csv", "sites.csv"]

    /// Same seed: bit-identical data files with 1 and 2 threads; another seed differs.
    @Test func sameSeedGivesIdenticalFilesForAnyThreadCount() throws {
        let a = CLI.temporaryPath("t1"), b = CLI.temporaryPath("t2"), c = CLI.temporaryPath("s2")
        defer { for p in [a, b, c] { try? FileManager.default.removeItem(atPath: p) } }
        #expect(try CLI.run(Self.small + ["--threads", "1", "--save-sites", "--out", a]).status == 0)
        #expect(try CLI.run(Self.small + ["--threads", "2", "--save-sites", "--out", b]).status == 0)
        #expect(try CLI.run(Self.small + ["--seed", "2", "--save-sites", "--out", c]).status == 0)
        for f in Self.dataFiles {
            let x = try Data(contentsOf: URL(fileURLWithPath: "\(a)/\(f)"))
            let y = try Data(contentsOf: URL(fileURLWithPath: "\(b)/\(f)"))
            let z = try Data(contentsOf: URL(fileURLWithPath: "\(c)/\(f)"))
            #expect(x == y, "\(f) differs between --threads 1 and 2")
            #expect(x != z, "\(f) is the same for seeds 1 and 2")
        }
    }

    /// summary.json carries the resolved parameters and the convergence record.
    @Test func summaryRecordsParametersAndConvergence() throws {
        let out = CLI.temporaryPath("summary")
        defer { try? FileManager.default.removeItem(atPath: out) }
        #expect(try CLI.run(Self.small + ["--out", out]).status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/summary.json"))) as! [String: Any]
        let params = json["parameters"] as! [String: Any]
        #expect(abs((params["boxSide"] as! Double) - (pow(200, 1.0 / 3) - 1)) < 1e-12)
        #expect(json["realizationsRequested"] as? Int == 3)
        #expect(json["realizationsConverged"] as? Int == 3)
        let residual = json["finalMaxResidual"] as! [String: Double]
        #expect(residual["max"]! <= params["tol"] as! Double)
        let obs = json["observables"] as! [String: Any]
        #expect(obs["lnGammaMin"] is Double && obs["lnGammaMinError"] is Double)
        // Every CSV has exactly one header row and numeric rows.
        let dos = try String(contentsOfFile: "\(out)/dos.csv", encoding: .utf8).split(separator: "\n")
        #expect(dos.first == "E,density")
        #expect(dos.dropFirst().allSatisfy { $0.split(separator: ",").count == 2 && Double($0.split(separator: ",")[1]) != nil })
    }

    /// Bad input: one line on stderr, non-zero exit, nothing written.
    @Test(arguments: [
        ["--n", "1"], ["--t", "0"], ["--t=-1"], ["--w=-0.5"], ["--j=-1"], ["--w", "nan"], ["--t", "inf"],
        ["--delta0-min", "0"], ["--delta0-min", "0.5", "--delta0-max", "0.1"], ["--realizations", "0"],
        ["--n", "2000000000"], ["--tol", "0"],
    ])
    func badInputIsRefusedBeforeAnyWork(_ extra: [String]) throws {
        let out = CLI.temporaryPath("bad")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try CLI.run(["tls", "--quiet", "--out", out] + extra)
        #expect(r.status != 0)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func unwritableAndNonEmptyOutputFoldersAreRefused() throws {
        let busy = CLI.temporaryPath("busy")
        try FileManager.default.createDirectory(atPath: busy, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: "\(busy)/keep.txt"))
        defer { try? FileManager.default.removeItem(atPath: busy) }
        let r = try CLI.run(Self.small + ["--out", busy])
        #expect(r.status != 0 && r.stderr.contains("--force"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: busy) == ["keep.txt"])
        let blocked = try CLI.run(Self.small + ["--out", "\(busy)/keep.txt/sub"])
        #expect(blocked.status != 0 && blocked.stderr.split(separator: "\n").count == 1)
        #expect(try CLI.run(Self.small + ["--out", busy, "--force"]).status == 0)
    }
}
