import Foundation
import GlassBenchmarks
import GlassDynamics
import GlassDynamicsCLI
import GlassDynamicsTestSupport
import Testing

/// `glassdyn bench` runs its children and writes a table and a JSON report.
@Suite struct BenchCommandTests {
    /// The real binary (the suite starts one child process per size).
    @Test func benchReportsEverySize() throws {
        let json = temporaryPath("bench") + ".json"
        defer { try? FileManager.default.removeItem(atPath: json) }
        let r = try EndToEnd.run(["bench", "--sizes", "300,600", "--realizations", "2", "--no-numpy", "--json", json])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("machine:"))
        let data = try Data(contentsOf: URL(fileURLWithPath: json))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect(rows.count == 4)
        for row in rows {
            #expect((row["converged"] as? Bool) == true)
            #expect(((row["build"] as? NSNumber)?.doubleValue ?? -1) > 0)
            #expect(((row["peakMemoryBytes"] as? NSNumber)?.intValue ?? 0) > 0)
            #expect(((row["pairEvaluations"] as? NSNumber)?.intValue ?? 0) >= 300 * 299 / 2)
        }
        #expect(((object["kernelCeilingPairsPerSecond"] as? NSNumber)?.doubleValue ?? 0) > 1e6)
    }

    /// `bench --kmc` rows: events made in the budget, the bare update timed beside them, and
    /// for the electron glass the floor of any O(N) hop update (at most the bare one).
    @Test func kmcBenchmarkMeasuresEventsBesideTheBareAndFloorUpdates() throws {
        var b = KMCBenchmark()
        b.sizes = [64]
        b.seconds = 0.05
        b.models = ["eg", "tls"]
        let rows = b.run { _ in }
        #expect(rows.map(\.model) == ["eg", "tls"])
        for r in rows {
            #expect(r.events > 0 && r.simulatedTime > 0 && r.bareUpdateSeconds > 0)
            #expect(r.acceptance > 0 && r.acceptance <= 1)
        }
        let floor = try #require(rows[0].floorUpdateSeconds)
        #expect(floor > 0 && floor <= rows[0].bareUpdateSeconds)
        #expect(rows[1].floorUpdateSeconds == nil)
    }

    @Test func badSizesAreRefused() throws {
        let r = CLI.run(["bench", "--sizes", "1,x"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--sizes"), "\(r.stderr)")
    }

    /// A child's request survives its command line: the suite's words are the CLI's own flags.
    @Test(arguments: [
        BenchmarkChild(model: .tls, n: 4000, storage: .matrixFree, cutoff: 3.5, threads: 2, realizations: 3, temperature: 0.07, seed: 9),
        BenchmarkChild(model: .tls, n: 1000, storage: .automatic, cutoff: nil, threads: 1, realizations: 1, temperature: 0.05, seed: 1),
        BenchmarkChild(model: .eg, n: 1000, storage: .automatic, cutoff: nil, threads: 2, realizations: 1, temperature: 0.05, seed: 4),
    ])
    func childRequestsRoundTripThroughTheirArguments(_ child: BenchmarkChild) throws {
        let parsed = try GlassDyn.parseAsRoot(BenchCommand.arguments(for: child))
        let bench = try #require(parsed as? BenchCommand)
        var expected = child
        if child.model == .eg { expected.storage = bench.couplings; expected.realizations = bench.realizations; expected.temperature = bench.t }
        #expect(bench.child)
        #expect(bench.childRequest == expected)
    }
}
