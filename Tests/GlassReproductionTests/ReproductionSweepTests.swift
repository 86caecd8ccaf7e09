import Foundation
import Testing
import GlassDynamics

/// `glassdyn sweep`: the plans of the paper's schemes, and the command end to end.
@Suite struct ReproductionSweepTests {
    /// MODEL.md: W/J = 3.1 gives J = 0.4342, W = 1.3459; W/J = 9.8 gives J = 0.1436, W = 1.4069;
    /// W/J = sqrt(17) gives J = 1/3; W/J = sqrt(97) gives J = 1/7.
    @Test func fixedSumGivesTheModelPairs() throws {
        let c = try SweepConstraint.parse(sum: "w2+j2=2")
        #expect(c == .sumOfSquares(.w, .j, 2))
        let plan = SweepPlan(base: .tls(TLSParameters()), variable: .wOverJ, values: [1, 3.1, 9.8], constraint: c)
        let pairs = try plan.points().map { (try $0.value(of: .w), try $0.value(of: .j)) }
        let expected = [(1.0, 1.0), (1.3459, 0.4342), (1.4069, 0.1436)]
        for (p, e) in zip(pairs, expected) {
            #expect(abs(p.0 - e.0) < 1e-4 && abs(p.1 - e.1) < 1e-4, "\(p) against \(e)")
            #expect(abs(p.0 * p.0 + p.1 * p.1 - 2) < 1e-12)
        }
        let eg = SweepPlan(base: .eg(EGParameters()), variable: .wOverJ, values: [sqrt(17.0), sqrt(97.0)],
                           constraint: try SweepConstraint.parse(sum: "w^2+j^2=2"))
        let js = try eg.points().map { try $0.value(of: .j) }
        #expect(abs(js[0] - 1.0 / 3) < 1e-12 && abs(js[1] - 1.0 / 7) < 1e-12)
        // Varying W itself on the circle: J = sqrt(2 - W^2).
        let byW = SweepPlan(base: .tls(TLSParameters()), variable: .w, values: [1.3459], constraint: c)
        #expect(abs(try byW.points()[0].value(of: .j) - 0.4342) < 1e-4)
    }

    @Test func fixedRatioAndBadPlans() throws {
        let plan = SweepPlan(base: .tls(TLSParameters()), variable: .w, values: [1, 10, 100],
                             constraint: try SweepConstraint.parse(ratio: "w/t=10"))
        #expect(try plan.points().map { try $0.value(of: .t) } == [0.1, 1, 10])
        #expect(plan.folderName(10) == "w=10")
        #expect(throws: GlassDynamicsError.self) { try SweepConstraint.parse(ratio: "w/x=10") }
        #expect(throws: GlassDynamicsError.self) { try SweepConstraint.parse(sum: "w+j=2") }
        #expect(throws: GlassDynamicsError.self) { try SweepPlan.parseValues("1,a") }
        // The constraint must involve the varied parameter; the sum must leave room.
        #expect(throws: GlassDynamicsError.self) {
            try SweepPlan(base: .tls(TLSParameters()), variable: .n, values: [100], constraint: .ratio(.w, .t, 10)).points()
        }
        #expect(throws: GlassDynamicsError.self) {
            try SweepPlan(base: .tls(TLSParameters()), variable: .w, values: [2], constraint: .sumOfSquares(.w, .j, 2)).points()
        }
        #expect(throws: GlassDynamicsError.self) { try ModelPoint.tls(TLSParameters()).setting(.xi, to: 0.1) }
        #expect(throws: GlassDynamicsError.self) {
            try SweepPlan(base: .tls(TLSParameters()), variable: .w, values: [1, 1]).points()
        }
    }

    /// The command writes each point's folder and a sweep.csv holding MODEL.md's W and J pairs.
    @Test(.enabled(if: CLI.available, "needs the release glassdyn binary (make test builds it)"))
    func sweepCommandWritesPointsAndTable() throws {
        let out = CLI.temporaryPath("sweep")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try CLI.run(["sweep", "--model", "tls", "--vary", "w/j", "--values", "1,3.1,9.8", "--fix-sum", "w2+j2=2",
                             "--n", "60", "--t", "0.05", "--realizations", "3", "--quiet", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = try String(contentsOfFile: "\(out)/sweep.csv", encoding: .utf8).split(separator: "\n")
        let header = lines[0].split(separator: ",").map(String.init)
        #expect(header.prefix(5) == ["value", "w", "j", "t", "n"])
        #expect(header.contains("lnGammaMinError") && header.contains("realizationsConverged"))
        let rows = lines.dropFirst().map { $0.split(separator: ",").map { Double($0)! } }
        #expect(rows.count == 3)
        for (row, (w, j)) in zip(rows, [(1.0, 1.0), (1.3459, 0.4342), (1.4069, 0.1436)]) {
            #expect(abs(row[1] - w) < 1e-4 && abs(row[2] - j) < 1e-4)
            #expect(row[4] == 60)
        }
        for name in ["w/j=1", "w/j=3.1", "w/j=9.8"].map({ $0.replacingOccurrences(of: "/", with: "") }) {
            #expect(FileManager.default.fileExists(atPath: "\(out)/\(name)/summary.json"), "\(name) missing")
        }
        #expect(FileManager.default.fileExists(atPath: "\(out)/sweep.gp"))
        // An electron-glass sweep carries xi in its table.
        let eg = CLI.temporaryPath("sweep-eg")
        defer { try? FileManager.default.removeItem(atPath: eg) }
        let e = try CLI.run(["sweep", "--model", "eg", "--vary", "xi", "--values", "0.1,0.2", "--n", "40",
                             "--realizations", "2", "--quiet", "--out", eg])
        #expect(e.status == 0, "\(e.stderr)")
        let egLines = try String(contentsOfFile: "\(eg)/sweep.csv", encoding: .utf8).split(separator: "\n")
        #expect(egLines[0].hasPrefix("value,w,j,t,n,xi,"))
        #expect(egLines.dropFirst().map { Double($0.split(separator: ",")[5])! } == [0.1, 0.2])
        // Bad input: one line, exit code 2, nothing run.
        let bad = try CLI.run(["sweep", "--model", "tls", "--vary", "xi", "--values", "0.1", "--out", CLI.temporaryPath("bad")])
        #expect(bad.status == 2 && bad.stderr.split(separator: "\n").count == 1)
        let badFig = try CLI.run(["reproduce", "--figures", "42", "--out", CLI.temporaryPath("badfig")])
        #expect(badFig.status == 2 && badFig.stderr.contains("--figures"))
        let wrongModel = try CLI.run(["sweep", "--model", "tls", "--vary", "w", "--values", "1", "--xi", "0.2",
                                      "--out", CLI.temporaryPath("badxi")])
        #expect(wrongModel.status == 2 && wrongModel.stderr.contains("--xi"))
    }
}
