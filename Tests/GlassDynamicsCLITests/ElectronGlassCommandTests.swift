import Foundation
import GlassDynamics
import GlassDynamicsCLI
import GlassDynamicsTestSupport
import Testing

/// `glassdyn eg` end to end through the release binary.
@Suite
struct ElectronGlassCommandTests {
    static let small = ["eg", "--n", "200", "--realizations", "3", "--quiet"]

    static func json(_ path: String) throws -> [String: Any] { try readJSONObject(path) }

    static func header(_ path: String) throws -> String {
        String(try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").first ?? "")
    }

    /// Every file with its header; summary.json with mu, filling error, zero-eigenvalue
    /// count, floor, LAPACK routine and the ES comparison; identical files for 1 and 2 threads.
    @Test func writesEveryFileReproducibly() throws {
        let a = temporaryPath("eg1"), b = temporaryPath("eg2")
        defer { for p in [a, b] { try? FileManager.default.removeItem(atPath: p) } }
        #expect(CLI.run(Self.small + ["--threads", "1", "--save-sites", "--out", a]).status == 0)
        #expect(CLI.run(Self.small + ["--threads", "2", "--save-sites", "--out", b]).status == 0)
        let headers = ["dos.csv": "E,density", "rates.csv": "lnGamma,density", "rates_linear.csv": "Gamma,density,fit",
                       "relaxation.csv": "t,deltaSigma,e1Prediction", "sites.csv": "realization,i,x,y,eps,E,n,converged"]
        for (file, header) in headers {
            #expect(try Self.header("\(a)/\(file)") == header)
            let x = try Data(contentsOf: URL(fileURLWithPath: "\(a)/\(file)"))
            let y = try Data(contentsOf: URL(fileURLWithPath: "\(b)/\(file)"))
            #expect(x == y, "\(file) differs between --threads 1 and 2")
        }
        #expect(try String(contentsOfFile: "\(a)/sites.csv", encoding: .utf8).split(separator: "\n").count == 601)
        let s = try Self.json("\(a)/summary.json")
        #expect(s["model"] as? String == "eg")
        #expect(s["chemicalPotential"] is [String: Double])
        #expect(try #require(s["largestAbsoluteFillingError"] as? Double) < 1e-9)
        let spectrum = try #require(s["spectrum"] as? [String: Any])
        #expect(spectrum["lapackRoutine"] as? String == "dsyevd")
        #expect(try #require(spectrum["zeroEigenvalues"] as? [String: Double])["max"] == 1)
        #expect(spectrum["resolvableRateFloor"] is [String: Double])
        #expect(spectrum["eigenvaluesBelowFloor"] is Int)
        let gap = try #require(s["coulombGap"] as? [String: Any])
        #expect(abs(try #require(gap["efrosShklovskiiSlopePerUnitArea"] as? Double) - 2 / Double.pi) < 1e-12)
        #expect(gap["slopePerUnitArea"] is Double)
    }

    /// --bare writes nn.csv with its KS statistics.
    @Test func bareWritesTheNearestNeighbourComparison() throws {
        let bare = temporaryPath("bare")
        defer { try? FileManager.default.removeItem(atPath: bare) }
        #expect(CLI.run(Self.small + ["--bare", "--out", bare]).status == 0)
        #expect(try Self.header("\(bare)/nn.csv") == "x,density,prediction")
        let nn = try #require(try Self.json("\(bare)/summary.json")["nnLaw"] as? [String: Any])
        #expect(try #require(nn["fastModes"] as? [String: Any])["ksStatistic"] is Double)
    }

    /// --no-spectrum writes only dos.csv and summary.json (beside the checkpoint).
    @Test func noSpectrumWritesOnlyTheDOS() throws {
        let none = temporaryPath("none")
        defer { try? FileManager.default.removeItem(atPath: none) }
        #expect(CLI.run(Self.small + ["--no-spectrum", "--out", none]).status == 0)
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: none))
                    .subtracting(["run.json", "realizations.ledger"]) == ["dos.csv", "summary.json"])
    }

    /// --eigensolver general names dgeev in summary.json.
    @Test func generalEigensolverIsRecorded() throws {
        let gen = temporaryPath("gen")
        defer { try? FileManager.default.removeItem(atPath: gen) }
        #expect(CLI.run(Self.small + ["--eigensolver", "general", "--out", gen]).status == 0)
        #expect(try #require(try Self.json("\(gen)/summary.json")["spectrum"] as? [String: Any])["lapackRoutine"] as? String == "dgeev")
    }

    /// Bad input: one line on stderr naming the option and the value, non-zero exit, nothing written.
    @Test(arguments: [
        BadInput(["--xi", "0"], names: "--xi", value: "0"), BadInput(["--xi=-1"], names: "--xi", value: "-1"),
        BadInput(["--blas-threads", "0"], names: "--blas-threads", value: "0"),
        BadInput(["--n", "999"], names: "--n", value: "999"), BadInput(["--n", "1"], names: "--n", value: "1"),
        BadInput(["--t", "0"], names: "--t", value: "0"), BadInput(["--w", "nan"], names: "--w", value: "nan"),
        BadInput(["--bare", "--no-spectrum"], names: "--no-spectrum"),
        BadInput(["--realizations", "0"], names: "--realizations", value: "0"),
    ])
    func badInputIsRefusedBeforeAnyWork(_ bad: BadInput) throws {
        CLI.expectRefusedBeforeAnyWork(["eg"] + bad.arguments, bad)
    }

    /// An unknown eigensolver is refused by the argument parser, which names the option.
    @Test func unknownEigensolverIsRefused() throws {
        let r = CLI.run(["eg", "--quiet", "--out", temporaryPath("egbad"), "--eigensolver", "jacobi"])
        #expect(r.status != 0 && r.stderr.contains("--eigensolver") && r.stderr.contains("jacobi"))
    }
}
