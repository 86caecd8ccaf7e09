import Foundation
import GlassDynamics
import GlassDynamicsCLI
import GlassDynamicsTestSupport
import Testing

/// `glassdyn aging` (issue #11).
@Suite
struct AgingCommandTests {
    static func rows(_ path: String) throws -> [[Double]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",").map { Double($0)! } }
    }

    @Test(arguments: [
        BadInput(["--tw", ""], names: "--tw"),
        BadInput(["--tw", "1e2,abc"], names: "--tw"),
        BadInput(["--tw", "1e2,,1e3"], names: "--tw"),
        BadInput(["--tw", "0"], names: "--tw", value: "0"),
        BadInput(["--tw", "1e3,-5"], names: "--tw", value: "-5"),
        BadInput(["--tw", "1e3", "--strength", "0"], names: "--strength"),
        BadInput(["--tw", "1e3", "--model", "eg", "--sz", "exact"], names: "--sz"),
        BadInput(["--tw", "1e3", "--n", "1"], names: "--n"),
    ])
    func refusals(_ c: BadInput) throws {
        var args = ["aging"] + c.arguments
        if !args.contains("--model") { args += ["--model", "tls"] }
        CLI.expectRefusedBeforeAnyWork(args, c)
    }

    /// The columns of aging.csv are consistent: response is the weighted sum over weights.csv,
    /// closedForm and simpleAging are the 1/Gamma law of summary.json's cutoffs; with J = 0 and
    /// T = 1 (every TLS thermal, Gamma ~ Delta0^2 log-uniform: a dense 1/Gamma law) the
    /// response approaches the closed form for t within a decade of t_w.
    @Test func columnsAreConsistent() throws {
        let a = temporaryPath("aging")
        defer { try? FileManager.default.removeItem(atPath: a) }
        let args = ["aging", "--model", "tls", "--j", "0", "--t", "1", "--n", "400", "--realizations", "2",
                    "--tw", "1e2,1e4", "--quiet", "--out", a]
        let r = CLI.run(args)
        #expect(r.status == 0, "\(r.stderr)")
        for f in ["aging.csv", "weights.csv", "summary.json", "aging.gp"] {
            #expect(FileManager.default.fileExists(atPath: "\(a)/\(f)"), "\(f)")
        }
        let s = try readJSONObject("\(a)/summary.json")
        let cf = try #require(s["closedForm"] as? [String: Double])
        let (lo, hi, c) = (cf["lnGammaMin"]!, cf["lnGammaMax"]!, cf["amplitude"]!)
        let weights = try Self.rows("\(a)/weights.csv")
        #expect(weights.count == 800)
        let aging = try Self.rows("\(a)/aging.csv")
        #expect(aging.count == 2 * 61)
        var near = 0
        for row in aging {
            let (t, tw) = (row[0], row[1])
            let sum = AgingResponse.response(rates: weights.map { Foundation.exp($0[0]) }, weights: weights.map { $0[1] },
                                             time: t, waitingTime: tw)
            #expect(abs(row[2] - sum) <= 1e-9 * abs(sum))
            let closed = AgingResponse.inverseGammaLaw(gammaMin: Foundation.exp(lo), gammaMax: Foundation.exp(hi),
                                                       amplitude: c, time: t, waitingTime: tw)
            #expect(abs(row[3] - closed) <= 1e-12 * abs(closed))
            #expect(abs(row[4] - c * Foundation.log1p(tw / t)) <= 1e-12 * abs(row[4]))
            if tw == 1e4 && t >= 0.1 * tw && t <= 10 * tw {
                near += 1
                #expect(abs(row[2] / row[3] - 1) < 0.1, "t = \(t): \(row[2]) vs \(row[3])")
            }
        }
        #expect(near == 21)
        // Resume of the finished run (from the ledger) gives the same table.
        let before = try Data(contentsOf: URL(fileURLWithPath: "\(a)/aging.csv"))
        #expect(CLI.run(args + ["--resume"]).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(a)/aging.csv")) == before)
    }

    /// Two shards merged give the unsharded run's aging.csv, weights.csv and aging.gp.
    @Test func shardsMerge() throws {
        let whole = temporaryPath("aging-whole"), s0 = temporaryPath("aging-s0"), s1 = temporaryPath("aging-s1"),
            merged = temporaryPath("aging-merged")
        defer { for p in [whole, s0, s1, merged] { try? FileManager.default.removeItem(atPath: p) } }
        let base = ["aging", "--model", "eg", "--n", "60", "--realizations", "3", "--tw", "1e2,1e3", "--quiet"]
        #expect(CLI.run(base + ["--out", whole]).status == 0)
        #expect(CLI.run(base + ["--shard", "0/2", "--out", s0]).status == 0)
        #expect(CLI.run(base + ["--shard", "1/2", "--out", s1]).status == 0)
        let r = CLI.run(["merge", s0, s1, "--quiet", "--out", merged])
        #expect(r.status == 0, "\(r.stderr)")
        for f in ["aging.csv", "weights.csv", "aging.gp"] {
            #expect(try Data(contentsOf: URL(fileURLWithPath: "\(whole)/\(f)")) == Data(contentsOf: URL(fileURLWithPath: "\(merged)/\(f)")), "\(f)")
        }
    }

    /// The electron glass: weights non-negative, the t_w -> 0 response vanishes.
    @Test func electronGlass() throws {
        let a = temporaryPath("aging-eg")
        defer { try? FileManager.default.removeItem(atPath: a) }
        let r = CLI.run(["aging", "--model", "eg", "--n", "100", "--realizations", "2", "--tw", "1e3", "--quiet", "--out", a])
        #expect(r.status == 0, "\(r.stderr)")
        let weights = try Self.rows("\(a)/weights.csv")
        #expect(!weights.isEmpty && weights.allSatisfy { $0[1] >= 0 })
        let s = try readJSONObject("\(a)/summary.json")
        #expect(s["realizationsKept"] as? Int == 2 - ((s["saddleRealizations"] as? [Int])?.count ?? 0) - ((s["positiveEigenvalueRealizations"] as? [Int])?.count ?? 0))
    }
}
