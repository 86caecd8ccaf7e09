import Foundation
import Testing
import GlassDynamics

/// Deterministic generator for the fuzz cases (SplitMix64).
struct FuzzRandom {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
}

private func le64(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) } }

/// A record as the ledger writes it: magic, length, FNV-1a checksum, payload.
private func record(_ payload: [UInt8], checksum: UInt64? = nil) -> [UInt8] {
    Array("GDR1".utf8) + le64(UInt64(payload.count)) + le64(checksum ?? fnv1a64(payload)) + payload
}

/// A folder for many small files: /dev/shm when present (fsync is free there).
private func scratch(_ name: String) -> URL {
    let base = FileManager.default.isWritableFile(atPath: "/dev/shm") ? URL(fileURLWithPath: "/dev/shm")
        : FileManager.default.temporaryDirectory
    return base.appendingPathComponent("glassdyn-\(name)-\(UUID().uuidString)", isDirectory: true)
}

private func encoded<R: BinaryRecord>(_ r: R) -> [UInt8] {
    var w = BinaryWriter()
    r.encode(into: &w)
    return w.bytes
}

/// A record's bytes without its wall-clock timings (the only field a recomputation changes).
private func content<R: BinaryRecord>(_ r: R) -> [UInt8] {
    if var t = r as? TLSRealization { t.outcome.timings = []; return encoded(t) }
    if var e = r as? EGRealizationResult { e.outcome.timings = []; return encoded(e) }
    return encoded(r)
}

/// The mutations of a good ledger the fuzz applies.
enum LedgerMutation: CaseIterable {
    case truncate, bitFlips, randomBytes, craftedCount, craftedShortPayload, duplicate, garbageTail, hugeLength, byte11
}

/// Damaged ledgers fed to resume and merge in-process: every outcome is a complete, correct
/// resume ("recomputed") or, for merge, one error line naming the shard folder, the ledger and
/// the byte offset. A trap would kill the test process.
@Suite(.serialized) struct LedgerFuzzTests {
    struct Harness<E: RealizationExperiment> {
        let experiment: E
        let root: URL
        let reference: [Int: [UInt8]]        // realization -> encoded record
        let ledger: [UInt8]                  // the whole run's ledger
        let payloads: [[UInt8]]
        let manifest: Data
        let shardB: URL                      // shard 1/2, untouched, for merges

        init(_ experiment: E, name: String) throws {
            self.experiment = experiment
            root = scratch(name)
            let whole = root.appendingPathComponent("whole")
            var c = Campaign(experiment: experiment)
            c.folder = whole
            let out = try c.run()
            var ref = [Int: [UInt8]]()
            for r in out.realizations { ref[E.index(of: r)] = content(r) }
            reference = ref
            ledger = Array(try Data(contentsOf: whole.appendingPathComponent(RealizationLedger.fileName)))
            payloads = try RealizationLedger.load(whole.appendingPathComponent(RealizationLedger.fileName)).payloads
            manifest = try Data(contentsOf: whole.appendingPathComponent(RunManifestHeader.fileName))
            shardAPayloads = payloads.filter { p in
                var r = BinaryReader(p)
                return ((try? E.Realization(from: &r)).map { E.index(of: $0) % 2 == 0 }) ?? false
            }
            shardB = root.appendingPathComponent("shardB")
            var b = Campaign(experiment: experiment)
            b.folder = shardB
            b.shard = try Shard(index: 1, count: 2)
            _ = try b.run()
        }

        /// The records of shard 0/2, as its own ledger.
        let shardAPayloads: [[UInt8]]

        func mutate(_ good: [UInt8], records: [[UInt8]], _ m: LedgerMutation, _ rng: inout FuzzRandom) -> [UInt8] {
            var b = good
            switch m {
            case .truncate:
                b = Array(b.prefix(rng.below(b.count)))
            case .bitFlips:
                for _ in 0...rng.below(4) where !b.isEmpty { b[rng.below(b.count)] ^= UInt8(1 << rng.below(8)) }
            case .randomBytes:
                let n = rng.below(200)
                b = (rng.below(2) == 0 ? Array("GDR1".utf8) : []) + (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            case .craftedCount:
                // A real payload with one 8-byte word replaced by a wild count, checksum recomputed.
                var p = records[rng.below(records.count)]
                let values: [UInt64] = [1 << 61, UInt64.max, UInt64(Int64.max), 1 << 63, 0, 1, 1 << 32, UInt64(p.count)]
                if p.count >= 8 {
                    let at = rng.below(p.count - 7)
                    for (k, v) in le64(values[rng.below(values.count)]).enumerated() { p[at + k] = v }
                }
                b += record(p)
            case .craftedShortPayload:
                b += record((0..<rng.below(24)).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
            case .duplicate:
                b += record(records[rng.below(records.count)])
            case .garbageTail:
                b += (0..<(1 + rng.below(64))).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            case .hugeLength:
                b += Array("GDR1".utf8) + [UInt8](repeating: 0xff, count: 16)
            case .byte11:
                if b.count > 11 { b[11] = 0xff }
            }
            return b
        }

        /// One case: resume over the damaged whole-run ledger, and merge with the damaged
        /// ledger as shard 0/2. Returns (resume problems reported, merge refused).
        func run(case k: Int, _ m: LedgerMutation, _ rng: inout FuzzRandom) throws -> (Int, Bool) {
            // Resume.
            let dir = root.appendingPathComponent("case\(k)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let file = dir.appendingPathComponent(RealizationLedger.fileName)
            try Data(mutate(ledger, records: payloads, m, &rng)).write(to: file)
            try manifest.write(to: dir.appendingPathComponent(RunManifestHeader.fileName))
            var c = Campaign(experiment: experiment)
            c.folder = dir
            c.resume = true
            let out = try c.run()
            #expect(out.complete, "case \(k) \(m): resume incomplete")
            var got = [Int: [UInt8]]()
            for r in out.realizations { got[E.index(of: r)] = content(r) }
            let same = got == reference
            #expect(same, "case \(k) \(m): resumed realizations differ from the reference")
            for p in out.problems {
                #expect(p.contains(file.path) && p.contains("offset") && !p.contains("\n"), "case \(k): \(p)")
            }
            let after = try RealizationLedger.load(file)
            #expect(after.problems.isEmpty, "case \(k) \(m): ledger still damaged after resume: \(after.problems)")
            #expect(DecodedLedger(after, file: file, experiment: experiment, wanted: Set(0..<experiment.settings.realizations)).problems.isEmpty)

            // Merge: the damaged ledger as shard 0/2 beside a good shard 1/2.
            let shardA = root.appendingPathComponent("caseA\(k)")
            try FileManager.default.createDirectory(at: shardA, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: shardA) }
            let goodA = shardAPayloads.flatMap { record($0) }
            try Data(mutate(goodA, records: shardAPayloads, m, &rng)).write(to: shardA.appendingPathComponent(RealizationLedger.fileName))
            do {
                let merged = try ShardMerge.realizations(of: experiment, folders: [shardA, shardB], total: experiment.settings.realizations)
                let same = merged.map(content) == (0..<experiment.settings.realizations).map { reference[$0]! }
                #expect(same, "case \(k) \(m): merge differs")
                return (out.problems.count, false)
            } catch {
                // One line (a ParameterError for a damaged shard, a GlassDynamicsError otherwise).
                let line = "\(error)"
                #expect(!line.contains("\n"), "case \(k): multi-line error")
                let named = line.contains(shardA.path) && line.contains(RealizationLedger.fileName) && line.contains("offset")
                #expect(named || line.contains("missing"), "case \(k) \(m): merge error does not name folder, file and offset: \(line)")
                return (out.problems.count, true)
            }
        }
    }

    @Test func damagedLedgersResumeOrAreRefused() throws {
        let start = Date()
        var rng = FuzzRandom(state: 20_261_129)
        var tlsParameters = TLSParameters()
        tlsParameters.sites = 12
        var settings = RunSettings()
        settings.realizations = 4
        settings.threads = 1
        settings.quiet = true
        settings.saveSites = true
        let tls = try Harness(TLSExperiment(parameters: tlsParameters, settings: settings), name: "fuzz-tls")
        var egParameters = EGParameters()
        egParameters.sites = 8
        let eg = try Harness(EGExperiment(parameters: egParameters, settings: settings), name: "fuzz-eg")
        defer { for r in [tls.root, eg.root] { try? FileManager.default.removeItem(at: r) } }
        var cases = 0, reported = 0, refused = 0
        let mutations = LedgerMutation.allCases
        for k in 0..<4800 {
            let m = mutations[k % mutations.count]
            let (p, r) = k % 4 == 3 ? try eg.run(case: k, m, &rng) : try tls.run(case: k, m, &rng)
            cases += 1
            reported += p > 0 ? 1 : 0
            refused += r ? 1 : 0
        }
        let seconds = Date().timeIntervalSince(start)
        print("ledger fuzz: \(cases) cases (resume + merge each), \(reported) resumes reported damage, \(refused) merges refused, \(String(format: "%.1f", seconds)) s")
        #expect(reported > cases / 2 && refused > cases / 2)
        #expect(seconds < 60)
    }

    /// The four damaged ledgers of issue #13, each named with file and offset and recomputed.
    @Test func issueExamplesAreReportedWithFileAndOffset() throws {
        var p = TLSParameters()
        p.sites = 12
        var s = RunSettings()
        s.realizations = 3
        s.threads = 1
        let h = try Harness(TLSExperiment(parameters: p, settings: s), name: "issue13")
        defer { try? FileManager.default.removeItem(at: h.root) }
        let firstLength = RealizationLedger.headerSize + h.payloads[0].count
        var byte11 = h.ledger
        byte11[firstLength + 11] = 0xff
        var hugeCount = h.payloads[1]
        for (k, v) in le64(1 << 61).enumerated() { hugeCount[8 + k] = v }   // the energies count
        let cases: [(String, [UInt8], String)] = [
            ("GDR1 + 16 x 0xFF", h.ledger + Array("GDR1".utf8) + [UInt8](repeating: 0xff, count: 16), "offset \(h.ledger.count) declares"),
            ("byte 11 of record 2", byte11, "offset \(firstLength) declares"),
            ("count 2^61", Array(h.ledger.prefix(firstLength)) + record(hugeCount), "offset \(firstLength) cannot be decoded"),
            ("3-byte payload", record([1, 2, 3]) + h.ledger, "offset 0 cannot be decoded"),
        ]
        for (name, bytes, expected) in cases {
            let dir = h.root.appendingPathComponent(UUID().uuidString)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let file = dir.appendingPathComponent(RealizationLedger.fileName)
            try Data(bytes).write(to: file)
            try h.manifest.write(to: dir.appendingPathComponent("run.json"))
            var c = Campaign(experiment: h.experiment)
            c.folder = dir
            c.resume = true
            let out = try c.run()
            #expect(out.complete, "\(name)")
            #expect(out.problems.count == 1 && out.problems[0].contains(file.path) && out.problems[0].contains(expected),
                    "\(name): \(out.problems)")
            let same = Dictionary(uniqueKeysWithValues: out.realizations.map { (TLSExperiment.index(of: $0), content($0)) }) == h.reference
            #expect(same, "\(name)")
        }
    }
}
