import Foundation
import GlassDynamics
import GlassReproduction
import Testing

/// `glassdyn sweep`: the plans of the paper's schemes, and the command end to end.
@Suite struct ReproductionSweepTests {
    /// MODEL.md: W/J = 3.1 gives J = 0.4342, W = 1.3459; W/J = 9.8 gives J = 0.1436, W = 1.4069;
    /// W/J = sqrt(17) gives J = 1/3; W/J = sqrt(97) gives J = 1/7.
    @Test func fixedSumGivesTheModelPairs() throws {
        let c = try SweepConstraint.parse(sum: "w2+j2=2")
        #expect(c == .sumOfSquares(.w, .j, 2))
        let plan = SweepPlan(base: ModelPoint(TLSParameters()), variable: .wOverJ, values: [1, 3.1, 9.8], constraint: c)
        let pairs = try plan.points().map { (try $0.value(of: .w), try $0.value(of: .j)) }
        let expected = [(1.0, 1.0), (1.3459, 0.4342), (1.4069, 0.1436)]
        try #require(pairs.count == expected.count)
        for (p, e) in zip(pairs, expected) {
            #expect(abs(p.0 - e.0) < 1e-4 && abs(p.1 - e.1) < 1e-4, "\(p) against \(e)")
            #expect(abs(p.0 * p.0 + p.1 * p.1 - 2) < 1e-12)
        }
        let eg = SweepPlan(base: ModelPoint(EGParameters()), variable: .wOverJ, values: [sqrt(17.0), sqrt(97.0)],
                           constraint: try SweepConstraint.parse(sum: "w^2+j^2=2"))
        let js = try eg.points().map { try $0.value(of: .j) }
        try #require(js.count == 2)
        #expect(abs(js[0] - 1.0 / 3) < 1e-12 && abs(js[1] - 1.0 / 7) < 1e-12)
        // Varying W itself on the circle: J = sqrt(2 - W^2).
        let byW = SweepPlan(base: ModelPoint(TLSParameters()), variable: .w, values: [1.3459], constraint: c)
        #expect(abs(try byW.points()[0].value(of: .j) - 0.4342) < 1e-4)
    }

    @Test func fixedRatioAndBadPlans() throws {
        let plan = SweepPlan(base: ModelPoint(TLSParameters()), variable: .w, values: [1, 10, 100],
                             constraint: try SweepConstraint.parse(ratio: "w/t=10"))
        #expect(try plan.points().map { try $0.value(of: .t) } == [0.1, 1, 10])
        #expect(plan.folderName(10) == "w=10")
        #expect(throws: ParameterError.self) { try SweepConstraint.parse(ratio: "w/x=10") }
        #expect(throws: ParameterError.self) { try SweepConstraint.parse(sum: "w+j=2") }
        #expect(throws: ParameterError.self) { try SweepPlan.parseValues("1,a") }
        #expect(throws: ParameterError.self) { try SweepPlan.parseValues("1,,2") }
        #expect(throws: ParameterError.self) { try SweepPlan.parseValues("1,") }
        // The constraint must involve the varied parameter; the sum must leave room.
        #expect(throws: ParameterError.self) {
            try SweepPlan(base: ModelPoint(TLSParameters()), variable: .n, values: [100], constraint: .ratio(.w, .t, 10)).points()
        }
        #expect(throws: ParameterError.self) {
            try SweepPlan(base: ModelPoint(TLSParameters()), variable: .w, values: [2], constraint: .sumOfSquares(.w, .j, 2)).points()
        }
        #expect(throws: ParameterError.self) { try ModelPoint(TLSParameters()).setting(.xi, to: 0.1) }
        #expect(throws: ParameterError.self) {
            try SweepPlan(base: ModelPoint(TLSParameters()), variable: .w, values: [1, 1]).points()
        }
    }
}
