import Foundation
import GlassDynamics
import GlassDynamicsCLI
import GlassDynamicsTestSupport
import Testing

/// `--rate-matrix full` and `--modes` of `glassdyn eg` and `glassdyn tls` (issue #11).
@Suite
struct RateMatrixCommandTests {
    static func lines(_ path: String) throws -> [Substring] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
    }

    /// The refusals: one line naming the flag, before any work (no output folder is made).
    @Test(arguments: [
        BadInput(["eg", "--n", "20", "--bare", "--rate-matrix", "full"], names: "--rate-matrix"),
        BadInput(["eg", "--n", "20", "--no-spectrum", "--rate-matrix", "full"], names: "--rate-matrix"),
        BadInput(["eg", "--n", "20", "--eigensolver", "general", "--rate-matrix", "full"], names: "--rate-matrix"),
        BadInput(["eg", "--n", "20", "--bare", "--modes"], names: "--modes"),
        BadInput(["eg", "--n", "20", "--eigensolver", "accurate", "--modes"], names: "--modes"),
        BadInput(["tls", "--n", "20", "--modes"], names: "--modes"),
        BadInput(["tls", "--n", "200", "--cutoff", "2", "--rate-matrix", "full"], names: "--cutoff"),
        BadInput(["tls", "--n", "200000", "--rate-matrix", "full"], names: "--n"),
    ])
    func refusals(_ c: BadInput) throws {
        CLI.expectRefusedBeforeAnyWork(c.arguments, c)
    }

    /// The default is the paper's matrix: `--rate-matrix paper` writes the same files as no
    /// flag at all, and the same summary.json parameters (the key is omitted).
    @Test func explicitDefaultsAreByteIdentical() throws {
        for (cmd, value) in [("eg", "paper"), ("tls", "diagonal")] {
            let a = temporaryPath("rm-a"), b = temporaryPath("rm-b")
            defer { for p in [a, b] { try? FileManager.default.removeItem(atPath: p) } }
            let base = [cmd, "--n", "100", "--realizations", "2", "--quiet"]
            #expect(CLI.run(base + ["--out", a]).status == 0)
            #expect(CLI.run(base + ["--rate-matrix", value, "--out", b]).status == 0)
            for f in ["dos.csv", "rates.csv", "rates_linear.csv", "relaxation.csv"] {
                #expect(try Data(contentsOf: URL(fileURLWithPath: "\(a)/\(f)")) == Data(contentsOf: URL(fileURLWithPath: "\(b)/\(f)")))
            }
            let s = try readJSONObject("\(b)/summary.json")
            let p = try #require(s["parameters"] as? [String: Any])
            #expect(p["rateMatrix"] == nil)
            #expect(s["fullRateMatrix"] == nil)
        }
    }

    /// `eg --modes` with the paper's matrix: modes.csv, one row per resolvable rate, the
    /// eigenvectors of the paper's symmetric matrix (no fullRateMatrix block).
    @Test func electronGlassPaperMatrixModes() throws {
        let a = temporaryPath("rm-eg-paper-modes")
        defer { try? FileManager.default.removeItem(atPath: a) }
        let r = CLI.run(["eg", "--n", "100", "--realizations", "2", "--modes", "--quiet", "--out", a])
        #expect(r.status == 0, "\(r.stderr)")
        let s = try readJSONObject("\(a)/summary.json")
        #expect(s["fullRateMatrix"] == nil)
        let rows = try Self.lines("\(a)/modes.csv")
        #expect(rows[0] == "realization,lnGamma,participationRatio,gyrationRadius")
        let spectrum = try #require(s["spectrum"] as? [String: Any])
        #expect(rows.count - 1 == spectrum["resolvableRates"] as? Int)
    }

    /// `tls --save-sites --rate-matrix full`: the per-site rate column says it is the diagonal
    /// Gamma_i; the default header is unchanged.
    @Test func tlsFullSitesNameTheDiagonalRate() throws {
        let a = temporaryPath("rm-tls-sites"), b = temporaryPath("rm-tls-sites-default")
        defer { for p in [a, b] { try? FileManager.default.removeItem(atPath: p) } }
        #expect(CLI.run(["tls", "--n", "60", "--realizations", "1", "--save-sites", "--rate-matrix", "full", "--quiet", "--out", a]).status == 0)
        #expect(CLI.run(["tls", "--n", "60", "--realizations", "1", "--save-sites", "--quiet", "--out", b]).status == 0)
        #expect(try Self.lines("\(a)/sites.csv")[0] == "realization,i,x,y,z,Delta,Delta0,D,E,GammaDiagonal,converged")
        #expect(try Self.lines("\(b)/sites.csv")[0] == "realization,i,x,y,z,Delta,Delta0,D,E,Gamma,converged")
    }

    /// EG full: the block counts saddles and kept realizations; with --modes, modes.csv has
    /// one row per pooled rate, PR in [1, N]; resume of the finished run reproduces it.
    @Test func electronGlassFull() throws {
        let a = temporaryPath("rm-eg")
        defer { try? FileManager.default.removeItem(atPath: a) }
        let r = CLI.run(["eg", "--n", "100", "--realizations", "3", "--rate-matrix", "full", "--modes", "--quiet", "--out", a])
        #expect(r.status == 0, "\(r.stderr)")
        let s = try readJSONObject("\(a)/summary.json")
        let block = try #require(s["fullRateMatrix"] as? [String: Any])
        let saddles = try #require(block["saddleRealizations"] as? Int)
        let kept = try #require(block["realizationsKept"] as? Int)
        #expect(saddles + (block["positiveEigenvalueRealizations"] as? Int ?? -1) + kept == 3)
        let rows = try Self.lines("\(a)/modes.csv")
        #expect(rows[0] == "realization,lnGamma,participationRatio,gyrationRadius")
        let spectrum = try #require(s["spectrum"] as? [String: Any])
        #expect(rows.count - 1 == spectrum["resolvableRates"] as? Int)
        #expect(spectrum["lapackRoutine"] as? String == "dsygvd")
        for row in rows.dropFirst() {
            let pr = Double(row.split(separator: ",")[2])!
            #expect(pr >= 1 - 1e-9 && pr <= 100 + 1e-9)
        }
        #expect((block["modes"] as? Int) == rows.count - 1)
        // The ledger records the linear outcome: a resume of the finished run gives the same modes.
        let before = try Data(contentsOf: URL(fileURLWithPath: "\(a)/modes.csv"))
        #expect(CLI.run(["eg", "--n", "100", "--realizations", "3", "--rate-matrix", "full", "--modes", "--quiet", "--resume", "--out", a]).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(a)/modes.csv")) == before)
    }

    /// TLS full: the relative change of the sorted rates is reported, never negative; the
    /// full rates can only be slower at the bottom (lambda_min(M) <= min Gamma_i).
    @Test func tlsFull() throws {
        let a = temporaryPath("rm-tls")
        defer { try? FileManager.default.removeItem(atPath: a) }
        let r = CLI.run(["tls", "--n", "150", "--t", "0.1", "--realizations", "2", "--rate-matrix", "full", "--modes", "--quiet", "--out", a])
        #expect(r.status == 0, "\(r.stderr)")
        let s = try readJSONObject("\(a)/summary.json")
        let block = try #require(s["fullRateMatrix"] as? [String: Any])
        #expect(block["realizationsKept"] as? Int == 2 - (block["saddleRealizations"] as? Int ?? 0) - (block["positiveEigenvalueRealizations"] as? Int ?? 0))
        let q = try #require(block["relativeChangeQuantiles"] as? [Double])
        #expect(q.count == 3 && q[0] >= 0 && q[0] <= q[1] && q[1] <= q[2])
        #expect(try #require(block["meanLnSlowestChange"] as? Double) <= 1e-9)
        let rows = try Self.lines("\(a)/modes.csv")
        #expect(rows.count - 1 == 150 * (block["realizationsKept"] as? Int ?? 0))
    }
}
