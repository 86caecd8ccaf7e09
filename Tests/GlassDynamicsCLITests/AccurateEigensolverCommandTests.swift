import Foundation
import GlassDynamics
import GlassDynamicsCLI
import GlassDynamicsTestSupport
import Testing

/// `glassdyn eg --eigensolver accurate`: summary.json reports the relative error bound in
/// place of the floor, every realization keeps N - 1 rates, the ledger's records reproduce the
/// run through shards and merge, `--bare` works, `--no-spectrum` is refused.
@Suite
struct AccurateEigensolverCommandTests {
    static let run = ["eg", "--n", "200", "--t", "0.05", "--realizations", "3", "--eigensolver", "accurate", "--quiet"]

    @Test func writesTheBoundAndEveryRate() throws {
        let out = temporaryPath("eg-accurate"), a = temporaryPath("eg-acc-a"), b = temporaryPath("eg-acc-b")
        let merged = temporaryPath("eg-acc-merged")
        defer { for d in [out, a, b, merged] { try? FileManager.default.removeItem(atPath: d) } }
        let r = CLI.run(Self.run + ["--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("0 modes unresolved"))
        let spectrum = try #require(try readJSONObject("\(out)/summary.json")["spectrum"] as? [String: Any])
        #expect(spectrum["lapackRoutine"] as? String == "dgejsv")
        let bound = try #require(spectrum["relativeErrorBound"] as? [String: Double])
        #expect(try #require(bound["max"]) > 0 && bound["max"]! < 1e-8)
        #expect((spectrum["relativeErrorBoundRule"] as? String)?.contains("|Gamma~ - Gamma| / Gamma <= bound") == true)
        #expect(spectrum["unresolvedModes"] as? Int == 0)
        #expect(spectrum["unresolvedBound"] as? Double == 0)
        #expect(spectrum["resolvableRates"] as? Int == 3 * 199)
        for key in ["resolvableRateFloor", "resolvableRateFloorRule", "eigenvaluesBelowFloor", "zeroEigenvalues"] {
            #expect(spectrum[key] == nil, "\(key) has no meaning without a floor")
        }
        // Every realization's record: exactly N - 1 rates, none unresolved.
        let ledger = try RealizationLedger.load(URL(fileURLWithPath: "\(out)/\(RealizationLedger.fileName)"))
        #expect(ledger.payloads.count == 3 && ledger.problems.isEmpty)
        for p in ledger.payloads {
            var reader = BinaryReader(p)
            let record = try EGRealizationResult(from: &reader)
            #expect(record.outcome.rates.count == 199)
            #expect(record.spectrum?.routine == .dgejsv && record.spectrum?.unresolved == 0)
            #expect(record.spectrum?.rates.count == 199)
        }
        // The records decode to the same run: two shards merged equal the single run.
        #expect(CLI.run(Self.run + ["--out", a, "--shard", "0/2"]).status == 0)
        #expect(CLI.run(Self.run + ["--out", b, "--shard", "1/2"]).status == 0)
        let m = CLI.run(["merge", a, b, "--out", merged])
        #expect(m.status == 0, "\(m.stderr)")
        #expect(try runFingerprint(merged, files: ["dos.csv", "rates.csv", "rates_linear.csv", "relaxation.csv"])
                == runFingerprint(out, files: ["dos.csv", "rates.csv", "rates_linear.csv", "relaxation.csv"]))
    }

    @Test func bareWorksAndNoSpectrumIsRefused() throws {
        let bare = temporaryPath("eg-acc-bare"), none = temporaryPath("eg-acc-none")
        defer { for d in [bare, none] { try? FileManager.default.removeItem(atPath: d) } }
        #expect(CLI.run(["eg", "--n", "200", "--realizations", "2", "--bare", "--eigensolver", "accurate", "--quiet", "--out", bare]).status == 0)
        let s = try readJSONObject("\(bare)/summary.json")
        #expect((s["spectrum"] as? [String: Any])?["resolvableRates"] as? Int == 2 * 199)
        #expect(s["nnLaw"] is [String: Any])
        let r = CLI.run(["eg", "--eigensolver", "accurate", "--no-spectrum", "--quiet", "--out", none])
        #expect(r.refuses("--eigensolver", value: "accurate"), "stderr: \(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: none))
    }
}
