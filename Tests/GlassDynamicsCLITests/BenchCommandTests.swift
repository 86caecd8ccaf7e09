import Foundation
import Testing

/// `glassdyn bench` runs its children and writes a table and a JSON report.
@Suite struct BenchCommandTests {
    @Test(.enabled(if: CLI.available)) func benchReportsEverySize() throws {
        let json = CLI.temporaryPath("bench") + ".json"
        defer { try? FileManager.default.removeItem(atPath: json) }
        let r = try CLI.run(["bench", "--sizes", "300,600", "--realizations", "2", "--no-numpy", "--json", json])
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

    @Test(.enabled(if: CLI.available)) func badSizesAreRefused() throws {
        let r = try CLI.run(["bench", "--sizes", "1,x"])
        #expect(r.status != 0)
    }
}
