import Foundation
import Testing

/// `glassdyn eg` end to end through the release binary.
@Suite(.enabled(if: CLI.available, "needs the release glassdyn binary (make test builds it)"))
struct ElectronGlassCommandTests {
    static let small = ["eg", "--n", "200", "--realizations", "3", "--quiet"]

    static func json(_ path: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
    }

    static func header(_ path: String) throws -> String {
        String(try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").first ?? "")
    }

    /// Every file with its header; summary.json with mu, filling error, zero-eigenvalue
    /// count, floor, LAPACK routine and the ES comparison; identical files for 1 and 2 threads.
    @Test func writesEveryFileReproducibly() throws {
        let a = CLI.temporaryPath("eg1"), b = CLI.temporaryPath("eg2")
        defer { for p in [a, b] { try? FileManager.default.removeItem(atPath: p) } }
        #expect(try CLI.run(Self.small + ["--threads", "1", "--save-sites", "--out", a]).status == 0)
        #expect(try CLI.run(Self.small + ["--threads", "2", "--save-sites", "--out", b]).status == 0)
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
        #expect((s["parameters"] as! [String: Any])["model"] as? String == "eg")
        #expect(s["chemicalPotential"] is [String: Double])
        #expect((s["largestAbsoluteFillingError"] as! Double) < 1e-9)
        let spectrum = s["spectrum"] as! [String: Any]
        #expect(spectrum["lapackRoutine"] as? String == "dsyevd")
        #expect((spectrum["zeroEigenvalues"] as! [String: Double])["max"] == 1)
        #expect(spectrum["resolvableRateFloor"] is [String: Double])
        #expect(spectrum["eigenvaluesBelowFloor"] is Int)
        let gap = s["coulombGap"] as! [String: Any]
        #expect(abs((gap["efrosShklovskiiSlopePerUnitArea"] as! Double) - 2 / Double.pi) < 1e-12)
        #expect(gap["slopePerUnitArea"] is Double)
    }

    /// --bare writes nn.csv with its KS statistics; --no-spectrum writes only dos.csv and
    /// summary.json (beside the checkpoint); --eigensolver general names dgeev.
    @Test func bareNoSpectrumAndGeneralModes() throws {
        let bare = CLI.temporaryPath("bare"), none = CLI.temporaryPath("none"), gen = CLI.temporaryPath("gen")
        defer { for p in [bare, none, gen] { try? FileManager.default.removeItem(atPath: p) } }
        #expect(try CLI.run(Self.small + ["--bare", "--out", bare]).status == 0)
        #expect(try Self.header("\(bare)/nn.csv") == "x,density,prediction")
        let nn = try Self.json("\(bare)/summary.json")["nnLaw"] as! [String: Any]
        #expect((nn["fastModes"] as! [String: Any])["ksStatistic"] is Double)
        #expect(try CLI.run(Self.small + ["--no-spectrum", "--out", none]).status == 0)
        // Besides the checkpoint (run.json, realizations.ledger): only the DOS and the summary.
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: none))
                    .subtracting(["run.json", "realizations.ledger"]) == ["dos.csv", "summary.json"])
        #expect(try CLI.run(Self.small + ["--eigensolver", "general", "--out", gen]).status == 0)
        #expect((try Self.json("\(gen)/summary.json")["spectrum"] as! [String: Any])["lapackRoutine"] as? String == "dgeev")
    }

    /// Bad input: one line on stderr, non-zero exit, nothing written.
    @Test(arguments: [["--xi", "0"], ["--xi=-1"], ["--blas-threads", "0"], ["--n", "999"], ["--n", "1"], ["--t", "0"], ["--w", "nan"],
                      ["--bare", "--no-spectrum"], ["--eigensolver", "jacobi"], ["--realizations", "0"]])
    func badInputIsRefusedBeforeAnyWork(_ extra: [String]) throws {
        let out = CLI.temporaryPath("egbad")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try CLI.run(["eg", "--quiet", "--out", out] + extra)
        #expect(r.status != 0)
        if extra != ["--eigensolver", "jacobi"] {   // ArgumentParser prints usage for unknown values
            #expect(r.stderr.split(separator: "\n").count == 1, "stderr: \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
