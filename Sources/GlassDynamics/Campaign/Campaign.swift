import Foundation
import Synchronization

/// Executes the realizations of an experiment, optionally with a checkpoint ledger in the run
/// folder: each finished realization is appended (flushed, checksummed) at once; `resume`
/// skips what the ledger already holds; a shard runs only its share of the indices. The
/// realizations are pooled sorted by index, so the outputs are bit-identical to an
/// uninterrupted, unsharded run. ``execute()`` is the one run loop of every command.
public struct Campaign<E: RealizationExperiment>: Sendable {
    /// The experiment whose realizations run.
    public var experiment: E
    /// The share of the realizations this process runs.
    public var shard = Shard.whole
    /// Run folder holding run.json and the ledger; nil keeps everything in memory.
    public var folder: URL? = nil
    /// Reuse the ledger of an earlier, interrupted run in `folder`.
    public var resume = false
    /// Stop taking new realizations when raised (SIGINT).
    public var interrupt: InterruptFlag? = nil
    /// How the run was started, stored in run.json for a reader (not compared).
    public var command: [String]? = nil

    /// A campaign of every realization of `experiment`, in memory.
    public init(experiment: E) { self.experiment = experiment }

    /// What the realizations of one process came to.
    public struct Outcome: Sendable {
        /// This shard's realizations found or computed, sorted by index.
        public var realizations: [E.Realization]
        /// True when every realization of the shard is present.
        public var complete: Bool
        /// True when the interrupt flag stopped the run.
        public var interrupted: Bool
        /// Realizations taken from the ledger instead of recomputed.
        public var resumed: Int
        /// Damaged ledger records that were dropped (and recomputed, unless interrupted).
        public var problems: [String]
        /// Seconds the realizations took.
        public var wallTime: Double
    }

    /// How ``execute()`` ended.
    public enum End: Sendable {
        /// Every realization of the run is there: the pooled result.
        case finished(E.Result)
        /// A shard finished its share; `glassdyn merge` pools the shards.
        case shardFinished(realizations: Int)
        /// Stopped before the end (SIGINT); the folder is resumable.
        case interrupted(done: Int, total: Int)
    }

    /// The manifest written to run.json.
    public var manifest: RunManifest<E.Configuration> { RunManifest(experiment, shard: shard, command: command) }

    /// Runs the realizations and, for a complete unsharded run, pools them into the result.
    public func execute() throws -> End {
        let total = shard.realizations(of: experiment.settings.realizations).count
        let progress = ProgressReporter(label: experiment.label, total: total, quiet: experiment.settings.quiet)
        let outcome = try run(progress: progress)
        if !outcome.complete { return .interrupted(done: outcome.realizations.count, total: total) }
        if shard != .whole { return .shardFinished(realizations: outcome.realizations.count) }
        return .finished(experiment.finish(outcome.realizations, wallTime: outcome.wallTime, progress: progress))
    }

    /// What an earlier run left in the folder: its good records, the problems found, where
    /// the ledger is cut and the good records after the cut (written back).
    struct ResumeState {
        var done = [Int: E.Realization]()
        var problems = [String]()
        var validLength = 0
        var keptAfterCut = [[UInt8]]()
    }

    /// Reads the ledger of an earlier run in `folder` after checking its manifest; every record
    /// is checked as untrusted input (``DecodedLedger``).
    func resumeState(in folder: URL, progress: ProgressReporter?, wanted: [Int]) throws -> ResumeState {
        let fm = FileManager.default
        let manifestURL = folder.appendingPathComponent(RunManifestHeader.fileName)
        let ledgerURL = folder.appendingPathComponent(RealizationLedger.fileName)
        if !fm.fileExists(atPath: manifestURL.path) && !fm.fileExists(atPath: ledgerURL.path) {
            // Stopped before it recorded anything (killed at start-up): nothing to reuse.
            progress?.note("\(experiment.label): nothing recorded in \(folder.path) yet; starting from the first realization")
            return ResumeState()
        }
        guard let old = try? JSONFormat.read(RunManifest<E.Configuration>.self, from: manifestURL) else {
            throw ParameterError(.resume, "\(Parameter.resume): \(folder.path) holds no readable \(RunManifestHeader.fileName) of an earlier \(experiment.label) run")
        }
        let diff = old.differences(from: manifest)
        if !diff.isEmpty {
            throw ParameterError(.resume, "\(Parameter.resume) refused: parameters differ from the earlier run (\(diff.joined(separator: "; ")))")
        }
        let loaded = try RealizationLedger.load(ledgerURL)
        let decoded = DecodedLedger(loaded, file: ledgerURL, experiment: experiment, wanted: Set(wanted))
        return ResumeState(done: decoded.records, problems: loaded.problems + decoded.problems,
                           validLength: decoded.firstBadOffset ?? loaded.validLength, keptAfterCut: decoded.keptAfterCut)
    }

    /// Runs this process's realizations (the ones not in the ledger when resuming).
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
            let state = resume ? try resumeState(in: folder, progress: progress, wanted: wanted) : ResumeState()
            done = state.done
            problems = state.problems
            try AtomicFile.write(try JSONFormat.encode(manifest), to: folder.appendingPathComponent(RunManifestHeader.fileName))
            ledger = try RealizationLedger(url: folder.appendingPathComponent(RealizationLedger.fileName), validLength: state.validLength)
            // The ledger was cut at its first undecodable record: write back the good ones after it.
            for payload in state.keptAfterCut { try ledger?.append(payload) }
        }
        let sink = ledger
        let resumed = done.count
        let todo = wanted.filter { done[$0] == nil }
        let inner = experiment.settings.innerThreads
        // OpenBLAS runs one thread: realizations run in parallel on our own workers (no
        // oversubscription), and threaded BLAS reductions would make the last bits depend on
        // the thread count. The setting is process-wide, so it is not restored afterwards (a
        // restore could switch threads on under a campaign still running elsewhere in the
        // process); an experiment may raise it inside a realization (EG blasThreads).
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
            let record: E.Realization
            do {
                record = try result.get()
            } catch GlassDynamicsError.interrupted(_) where interrupt?.isRaised ?? false {
                // Stopped by the signal with its state saved (kmc checkpoints): not done.
                continue
            }
            done[E.index(of: record)] = record
        }
        let all = wanted.compactMap { done[$0] }
        return Outcome(realizations: all, complete: all.count == wanted.count,
                       interrupted: interrupt?.isRaised ?? false, resumed: resumed, problems: problems,
                       wallTime: Date().timeIntervalSince(start))
    }
}
