import Foundation
import GlassDynamics
import GlassDynamicsCLI
import GlassDynamicsTestSupport
import Testing

@Suite
struct TLSCommandTests {
    static let small = ["tls", "--n", "200", "--realizations", "3", "--quiet"]
    static let dataFiles = ["dos.csv", "rates.csv", "rates_linear.csv", "relaxation.csv", "sites.csv"]

    /// Same seed: bit-identical data files with 1 and 2 threads; another seed differs.
    @Test func sameSeedGivesIdenticalFilesForAnyThreadCount() throws {
        let a = temporaryPath("t1"), b = temporaryPath("t2"), c = temporaryPath("s2")
        defer { for p in [a, b, c] { try? FileManager.default.removeItem(atPath: p) } }
        #expect(CLI.run(Self.small + ["--threads", "1", "--save-sites", "--out", a]).status == 0)
        #expect(CLI.run(Self.small + ["--threads", "2", "--save-sites", "--out", b]).status == 0)
        #expect(CLI.run(Self.small + ["--seed", "2", "--save-sites", "--out", c]).status == 0)
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
        let out = temporaryPath("summary")
        defer { try? FileManager.default.removeItem(atPath: out) }
        #expect(CLI.run(Self.small + ["--out", out]).status == 0)
        let json = try readJSONObject("\(out)/summary.json")
        let resolved = try #require(json["resolved"] as? [String: Any])
        #expect(abs(try #require(resolved["boxSide"] as? Double) - (pow(200, 1.0 / 3) - 1)) < 1e-12)
        #expect(json["realizationsRequested"] as? Int == 3)
        #expect(json["realizationsConverged"] as? Int == 3)
        let residual = try #require(json["finalMaxResidual"] as? [String: Double])
        #expect(try #require(residual["max"]) <= (try #require(resolved["tol"] as? Double)))
        let obs = try #require(json["observables"] as? [String: Any])
        #expect(obs["lnGammaMin"] is Double && obs["lnGammaMinError"] is Double)
        // Every CSV has exactly one header row and numeric rows.
        let dos = try String(contentsOfFile: "\(out)/dos.csv", encoding: .utf8).split(separator: "\n")
        #expect(dos.first == "E,density")
        #expect(dos.dropFirst().allSatisfy { $0.split(separator: ",").count == 2 && Double($0.split(separator: ",")[1]) != nil })
    }

    /// Bad input: one line on stderr naming the option and the value, non-zero exit, nothing written.
    @Test(arguments: [
        BadInput(["--n", "1"], names: "--n", value: "1"), BadInput(["--t", "0"], names: "--t", value: "0"),
        BadInput(["--t=-1"], names: "--t", value: "-1"), BadInput(["--w=-0.5"], names: "--w", value: "-0.5"),
        BadInput(["--j=-1"], names: "--j", value: "-1"), BadInput(["--w", "nan"], names: "--w", value: "nan"),
        BadInput(["--t", "inf"], names: "--t", value: "inf"), BadInput(["--delta0-min", "0"], names: "--delta0-min", value: "0"),
        BadInput(["--delta0-min", "0.5", "--delta0-max", "0.1"], names: "--delta0-max", value: "0.5"),
        BadInput(["--realizations", "0"], names: "--realizations", value: "0"),
        BadInput(["--n", "2000000000"], names: "--n", value: "2000000000"), BadInput(["--tol", "0"], names: "--tol", value: "0"),
        BadInput(["--shard", "3/3"], names: "--shard", value: "3/3"), BadInput(["--cutoff", "100"], names: "--cutoff", value: "100"),
        // Values whose consequences overflow double precision (refused before any work).
        BadInput(["--delta0-max", "1e200"], names: "--delta0-max", value: "1e200"),
        BadInput(["--delta0-min", "1e-200"], names: "--delta0-min", value: "1e-200"),
        BadInput(["--delta0-min", "1e-300", "--delta0-max", "1e-299"], names: "--delta0-min", value: "1e-300"),
        BadInput(["--delta0-min", "1e100", "--delta0-max", "1e200"], names: "--delta0-max", value: "1e200"),
        BadInput(["--rate-prefactor", "1e-300"], names: "--delta0-min"),
        BadInput(["--w", "1e300"], names: "--w", value: "1e300"),
    ])
    func badInputIsRefusedBeforeAnyWork(_ bad: BadInput) throws {
        CLI.expectRefusedBeforeAnyWork(["tls"] + bad.arguments, bad)
    }

    /// A non-empty --out is refused (naming --force) and left as it was; --force reuses it.
    @Test func nonEmptyOutputFolderNeedsForce() throws {
        let busy = temporaryPath("busy")
        try FileManager.default.createDirectory(atPath: busy, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: "\(busy)/keep.txt"))
        defer { try? FileManager.default.removeItem(atPath: busy) }
        let r = CLI.run(Self.small + ["--out", busy])
        #expect(r.refuses("--out", value: busy) && r.stderr.contains("--force"), "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: busy) == ["keep.txt"])
        #expect(CLI.run(Self.small + ["--out", busy, "--force"]).status == 0)
    }

    /// An --out that cannot be created (a file in its path) is refused in one line.
    @Test func uncreatableOutputFolderIsRefused() throws {
        let file = temporaryPath("file")
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let r = CLI.run(Self.small + ["--out", "\(file)/sub"])
        #expect(r.refuses("--out", value: "\(file)/sub"), "\(r.stderr)")
    }
}

/// `--sz tap` where it has no meaning: refused in one line naming --sz, before any work.
@Suite struct TAPRefusalTests {
    @Test(arguments: [
        BadInput(["tls", "--sz", "tap", "--convention", "scripts"], names: "--sz", value: "tap"),
        BadInput(["tls", "--sz", "tap", "--rate-matrix", "full"], names: "--sz", value: "tap"),
        BadInput(["aging", "--model", "tls", "--tw", "1e3", "--sz", "tap"], names: "--sz", value: "tap"),
        BadInput(["exact", "tls", "--sz", "tap"], names: "--sz", value: "tap"),
    ])
    func tapIsRefusedWhereItHasNoMeaning(_ bad: BadInput) throws {
        CLI.expectRefusedBeforeAnyWork(bad.arguments, bad)
    }

    /// A small `--sz tap` run converges, says so in summary.json and counts its TAP steps.
    @Test func tapRunReportsItsSteps() throws {
        let out = temporaryPath("tap-run")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = CLI.run(["tls", "--n", "100", "--t", "2", "--realizations", "2", "--sz", "tap", "--quiet", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        let s = try readJSONObject("\(out)/summary.json")
        #expect(s["realizationsConverged"] as? Int == 2)
        #expect((s["onsagerSteps"] as? [String: Any])?["min"] as? Double ?? 0 >= 1)
    }
}
