import Foundation
import GlassDynamics
import Testing

@Suite struct BinaryRecordTests {
    /// A realization survives the ledger encoding bit for bit, including NaN payloads and
    /// signed zeros.
    @Test func outcomeRoundTripsExactly() throws {
        let o = RealizationOutcome(index: 7, energies: [-0.0, 1.5, .pi, -.infinity], rates: [1e-300, .nan, 4],
                                   solver: SolverReport(sweeps: 12, residual: 3e-9, converged: true, columnUpdates: 99, pairEvaluations: 4950),
                                   timings: [("build", 0.25), ("solve", 1e-3)])
        var w = BinaryWriter()
        o.encode(into: &w)
        var r = BinaryReader(w.bytes)
        let back = try RealizationOutcome(from: &r)
        #expect(r.isAtEnd)
        #expect(back.index == 7 && back.solver == o.solver)
        #expect(back.energies.map(\.bitPattern) == o.energies.map(\.bitPattern))
        #expect(back.rates.map(\.bitPattern) == o.rates.map(\.bitPattern))
        #expect(back.timings.map(\.0) == ["build", "solve"])
        var short = BinaryReader(Array(w.bytes.dropLast(3)))
        #expect(throws: GlassDynamicsError.self) { try RealizationOutcome(from: &short) }
    }

    @Test func shardsPartitionTheRealizations() throws {
        let shards = try (0..<4).map { try Shard(index: $0, count: 4) }
        let all = shards.flatMap { $0.realizations(of: 23) }.sorted()
        #expect(all == Array(0..<23))
        #expect(throws: ParameterError.self) { try Shard(parsing: "3/3") }
        #expect(throws: ParameterError.self) { try Shard(parsing: "x") }
    }

    /// run.json round-trips through its Codable form, and a difference is named by its key.
    @Test func manifestRoundTripsAndNamesDifferences() throws {
        var p = TLSParameters()
        p.anneal = AnnealProtocol()
        p.box = .density(0.5)
        var s = RunSettings()
        s.seed = UInt64.max - 3
        s.realizations = 12
        let m = RunManifest(TLSExperiment(parameters: p, settings: s), shard: try Shard(index: 1, count: 3))
        let back = try JSONFormat.decode(RunManifest<TLSParameters>.self, from: JSONFormat.encode(m))
        #expect(back == m)
        #expect(back.seed == UInt64.max - 3)
        var q = p
        q.disorder = 2
        let other = RunManifest(TLSExperiment(parameters: q, settings: s), shard: .whole)
        #expect(m.differences(from: other) == ["parameters.w: 1.0 vs 2.0", "shard: 1/3 vs 0/1"]
                || m.differences(from: other) == ["parameters.w: 1 vs 2", "shard: 1/3 vs 0/1"])
        #expect(m.differences(from: other, comparingShard: false).count == 1)
    }

    /// Non-finite numbers survive summary.json as the strings NaN and Infinity.
    @Test func nonFiniteNumbersRoundTrip() throws {
        struct Box: Codable, Equatable { var a: Double; var b: Double; var c: [Double] }
        let v = Box(a: .infinity, b: -.infinity, c: [1e-300, -0.0])
        let data = try JSONFormat.encode(v)
        #expect(String(decoding: data, as: UTF8.self).contains("\"Infinity\""))
        let back = try JSONFormat.decode(Box.self, from: data)
        #expect(back == v)
        let nan = try JSONFormat.decode(Box.self, from: JSONFormat.encode(Box(a: .nan, b: 0, c: [])))
        #expect(nan.a.isNaN)
    }
}

/// Every experiment a folder can hold is found again from its run.json's model and kind.
@Suite struct ExperimentRegistryTests {
    @Test func everyRegisteredExperimentIsFoundByModelAndKind() throws {
        var seen = Set<String>()
        for type in ExperimentRegistry.experiments {
            let found = try #require(ExperimentRegistry.experiment(model: type.model, kind: type.kind))
            #expect(ObjectIdentifier(found) == ObjectIdentifier(type), "\(type)")
            #expect(seen.insert("\(type.model.rawValue) \(type.kind ?? "run")").inserted, "\(type) registered twice")
        }
        #expect(ExperimentRegistry.experiment(model: .tls, kind: nil).map { ObjectIdentifier($0) } == ObjectIdentifier(TLSExperiment.self))
        #expect(ExperimentRegistry.experiment(model: .eg, kind: "aging").map { ObjectIdentifier($0) }
                == ObjectIdentifier(AgingExperiment<EGExperiment>.self))
        #expect(ExperimentRegistry.experiment(model: .tls, kind: "unknown") == nil)
    }

    /// A model's own run writes no kind (so folders of earlier versions still resume); an
    /// aging run says so.
    @Test func manifestsRecordTheKind() throws {
        let plain = RunManifest(TLSExperiment(parameters: TLSParameters(), settings: RunSettings()), shard: .whole)
        #expect(plain.kind == nil)
        #expect(!String(decoding: try JSONFormat.encode(plain), as: UTF8.self).contains("\"kind\""))
        let aging = AgingExperiment<TLSExperiment>(parameters: TLSParameters(), waitingTimes: [10], strength: 0.01,
                                                  settings: RunSettings())
        let m = RunManifest(aging, shard: .whole)
        #expect(m.kind == "aging")
        let header = try JSONFormat.decode(RunManifestHeader.self, from: JSONFormat.encode(m))
        #expect(header.model == .tls && header.kind == "aging")
    }
}
