import Foundation
import Synchronization

/// Executes the realizations of an experiment, optionally with a checkpoint ledger in the run
/// folder: each finished realization is appended (flushed, checksummed) at once; `resume`
/// skips what the ledger already holds; a shard runs only its share of the indices. The
/// returned realizations are sorted by index, so the pooled outputs are bit-identical to an
/// uninterrupted, unsharded run.
public struct Campaign<E: RealizationExperiment>: Sendable {
    public var experiment: E
    public var shard = Shard.whole
    /// Run folder holding run.json and the ledger; nil keeps everything in memory.
    public var folder: URL? = nil
    public var resume = false
    /// Stop taking new realizations when raised (SIGINT).
    public var interrupt: InterruptFlag? = nil
    /// Extra manifest fields the caller wants stored (e.g. the command line); not compared.
    public var annotations: [(String, JSONValue)] = []

    public static var manifestName: String { "run.json" }

    public init(experiment: E) { self.experiment = experiment }

    public struct Outcome: Sendable {
        /// This shard's realizations found or computed, sorted by index.
        public var realizations: [E.Realization]
        /// True when every realization of the shard is present.
        public var complete: Bool
        public var interrupted: Bool
        /// Realizations taken from the ledger instead of recomputed.
        public var resumed: Int
        /// Damaged ledger records that were dropped (and recomputed, unless interrupted).
        public var problems: [String]
        public var wallTime: Double
    }

    /// The manifest written to run.json: model, parameters, seed, realizations, shard.
    public var manifest: JSONValue {
        .object([
            ("model", .string(experiment.label)),
            ("version", .string(GlassDynamicsVersion.string)),
            ("seed", .string(String(experiment.settings.seed))),
            ("realizations", .integer(experiment.settings.realizations)),
            ("shard", .string(shard.description)),
            ("parameters", experiment.manifest),
        ] + annotations)
    }

    /// The keys compared on resume and merge (annotations are not).
    static func comparable(_ m: JSONValue, ignoringShard: Bool) -> [(String, String)] {
        guard case .object(let kv) = m else { return [] }
        var out = [(String, String)]()
        for (k, v) in kv where ["model", "seed", "realizations", "shard", "parameters"].contains(k) {
            if ignoringShard && k == "shard" { continue }
            if k == "parameters", case .object(let p) = v {
                for (pk, pv) in p { out.append(("parameters.\(pk)", pv.render())) }
            } else {
                out.append((k, v.render()))
            }
        }
        return out
    }

    /// The keys on which two manifests differ ("" when they agree).
    public static func differences(_ a: JSONValue, _ b: JSONValue, ignoringShard: Bool = false) -> [String] {
        let x = comparable(a, ignoringShard: ignoringShard), y = comparable(b, ignoringShard: ignoringShard)
        var keys = x.map { $0.0 }
        for (k, _) in y where !keys.contains(k) { keys.append(k) }
        return keys.filter { k in x.first { $0.0 == k }?.1 != y.first { $0.0 == k }?.1 }.map { k in
            "\(k): \(x.first { $0.0 == k }?.1 ?? "absent") vs \(y.first { $0.0 == k }?.1 ?? "absent")"
        }
    }

    /// Decodes ledger payloads, keeping the first record of each index in `wanted`.
    public static func decode(_ payloads: [[UInt8]], wanted: Set<Int>) throws -> [Int: E.Realization] {
        var found = [Int: E.Realization]()
        for p in payloads {
            var reader = BinaryReader(p)
            let record = try E.Realization(from: &reader)
            let r = E.index(of: record)
            if wanted.contains(r) && found[r] == nil { found[r] = record }
        }
        return found
    }

    public func run(progress: ProgressReporter? = nil) throws -> Outcome {
        let start = Date()
        let wanted = shard.realizations(of: experiment.settings.realizations)
        var done = [Int: E.Realization]()
        var problems = [String]()
        var ledger: RealizationLedger? = nil
        if let folder {
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw GlassDynamicsError.io("cannot create \(folder.path): \(error.localizedDescription)")
            }
            let manifestURL = folder.appendingPathComponent(Self.manifestName)
            let ledgerURL = folder.appendingPathComponent(RealizationLedger.fileName)
            var validLength = 0
            var keptAfterCut = [[UInt8]]()
            let fm = FileManager.default
            if resume && !fm.fileExists(atPath: manifestURL.path) && !fm.fileExists(atPath: ledgerURL.path) {
                // Stopped before it recorded anything (killed at start-up): nothing to reuse.
                progress?.note("\(experiment.label): nothing recorded in \(folder.path) yet; starting from the first realization")
            } else if resume {
                guard let data = try? Data(contentsOf: manifestURL), let old = try? JSONValue.parse(data) else {
                    throw GlassDynamicsError.invalidInput("--resume: \(folder.path) holds no readable \(Self.manifestName) of an earlier run")
                }
                let diff = Self.differences(old, manifest)
                if !diff.isEmpty {
                    throw GlassDynamicsError.invalidInput("--resume refused: parameters differ from the earlier run (\(diff.joined(separator: "; ")))")
                }
                let loaded = try RealizationLedger.load(ledgerURL)
                let decoded = DecodedLedger(loaded, file: ledgerURL, experiment: experiment, wanted: Set(wanted))
                problems = loaded.problems + decoded.problems
                validLength = decoded.firstBadOffset ?? loaded.validLength
                keptAfterCut = decoded.keptAfterCut
                done = decoded.records
            }
            try AtomicFile.write(manifest.render() + "\n", to: manifestURL)
            ledger = try RealizationLedger(url: ledgerURL, validLength: validLength)
            // The ledger was cut at its first undecodable record: write back the good ones after it.
            for payload in keptAfterCut { try ledger?.append(payload) }
        }
        let sink = ledger
        let resumed = done.count
        let todo = wanted.filter { done[$0] == nil }
        let inner = experiment.settings.innerThreads
        // OpenBLAS runs one thread: realizations run in parallel on our own workers (no
        // oversubscription), and threaded BLAS reductions would make the last bits depend on
        // the thread count. The setting is process-wide, so it is not restored afterwards (a
        // restore could switch threads on under a campaign still running elsewhere in the
        // process); an experiment may raise it inside a realization (EG --blas-threads).
        BLASThreads.set(1)
        let failure = Mutex<Error?>(nil)
        let interrupt = self.interrupt
        let experiment = self.experiment
        for p in problems { progress?.warn("\(p) (recomputed)") }
        if resumed > 0 { progress?.note("\(experiment.label): resuming, \(resumed) realizations already done, \(todo.count) to go") }
        let results = ParallelRunner(threads: experiment.settings.concurrentRealizations).forEach(
            todo, progress: progress,
            shouldStop: { (interrupt?.isRaised ?? false) || failure.withLock { $0 != nil } },
            onResult: { _, result in
                guard case .success(let record) = result, let ledger = sink else { return }
                var w = BinaryWriter()
                record.encode(into: &w)
                do { try ledger.append(w.bytes) } catch { failure.withLock { if $0 == nil { $0 = error } } }
            }
        ) { r in Result { try experiment.realization(r, innerThreads: inner) } }
        if let e = failure.withLock({ $0 }) { throw e }
        for case .some(let result) in results {
            let record = try result.get()
            done[E.index(of: record)] = record
        }
        let all = wanted.compactMap { done[$0] }
        return Outcome(realizations: all, complete: all.count == wanted.count,
                       interrupted: interrupt?.isRaised ?? false, resumed: resumed, problems: problems,
                       wallTime: Date().timeIntervalSince(start))
    }
}
