import Foundation

/// Combines the ledgers of shard folders into one complete run, refusing mixed parameters and
/// duplicated or missing realizations, each with a message naming what is wrong. The run is
/// rebuilt from the shards' typed run.json, so a merge needs nothing but the folders.
public enum ShardMerge {
    /// Merges shard folders into the pooled result of the single run; `threads` and `quiet`
    /// are the caller's (they do not change results).
    public static func merge(folders: [URL], threads: Int = RunSettings.availableCores, quiet: Bool = false) throws -> any RunResult {
        guard let first = folders.first else { throw GlassDynamicsError.invalidInput("merge needs at least one folder") }
        for f in folders {
            if let pid = FolderLock.holder(of: f) {
                throw GlassDynamicsError.invalidInput("merge refused: shard folder \(f.path) is still being written by glassdyn pid \(pid)")
            }
        }
        let header = try RunManifestHeader.read(folder: first)
        guard let type = ExperimentRegistry.experiment(model: header.model, kind: header.kind) else {
            throw GlassDynamicsError.invalidInput("\(first.path): runs of kind \(header.kind ?? "run") of the \(header.model.title) cannot be merged by this version")
        }
        return try mergeAny(type, folders: folders, threads: threads, quiet: quiet)
    }

    static func mergeAny<E: RealizationExperiment>(_ type: E.Type, folders: [URL], threads: Int, quiet: Bool) throws -> any RunResult {
        try merge(type, folders: folders, threads: threads, quiet: quiet)
    }

    static func merge<E: RealizationExperiment>(_ type: E.Type, folders: [URL], threads: Int, quiet: Bool) throws -> E.Result {
        let start = Date()
        let manifest = try commonManifest(E.self, folders)
        let experiment = E(configuration: manifest.parameters, settings: manifest.settings(threads: threads, quiet: quiet))
        try experiment.validate()
        let realizations = try self.realizations(of: experiment, folders: folders, total: manifest.realizations)
        let progress = ProgressReporter(label: experiment.label, total: realizations.count, quiet: quiet)
        return experiment.finish(realizations, wallTime: Date().timeIntervalSince(start), progress: progress)
    }

    /// Checks that every folder's manifest agrees with the first (shard apart); returns it.
    static func commonManifest<E: RealizationExperiment>(_ type: E.Type, _ folders: [URL]) throws -> RunManifest<E.Configuration> {
        func read(_ f: URL) throws -> RunManifest<E.Configuration> {
            let header = try RunManifestHeader.read(folder: f)
            guard header.model == E.model && header.kind == E.kind else {
                throw GlassDynamicsError.invalidInput("cannot merge \(folders[0].path) (\(E.model.rawValue) \(E.kind ?? "run")) and \(f.path) (\(header.model.rawValue) \(header.kind ?? "run"))")
            }
            return try JSONFormat.read(RunManifest<E.Configuration>.self, from: f.appendingPathComponent(RunManifestHeader.fileName))
        }
        let m0 = try read(folders[0])
        for f in folders.dropFirst() {
            let diff = m0.differences(from: try read(f), comparingShard: false)
            if !diff.isEmpty {
                throw GlassDynamicsError.invalidInput("cannot merge \(folders[0].path) and \(f.path): parameters differ (\(diff.joined(separator: "; ")))")
            }
        }
        return m0
    }

    /// Loads every shard's records and returns all realizations 0..<total sorted by index, or
    /// throws naming duplicates, gaps and damaged records.
    package static func realizations<E: RealizationExperiment>(of experiment: E, folders: [URL], total: Int) throws -> [E.Realization] {
        var found = [Int: (E.Realization, String)]()
        for f in folders {
            let file = f.appendingPathComponent(RealizationLedger.fileName)
            let loaded = try RealizationLedger.load(file)
            let decoded = DecodedLedger(loaded, file: file, experiment: experiment, wanted: Set(0..<total))
            if let p = (loaded.problems + decoded.problems).first {
                throw ParameterError(.resume, "merge refused, shard folder \(f.path) is damaged: \(p); rerun that shard with \(Parameter.resume) before merging")
            }
            for (r, record) in decoded.records {
                if let (_, other) = found[r] {
                    throw GlassDynamicsError.invalidInput("realization \(r) appears in both \(other) and \(f.path)")
                }
                found[r] = (record, f.path)
            }
        }
        let missing = (0..<total).filter { found[$0] == nil }
        if !missing.isEmpty {
            let list = missing.prefix(10).map(String.init).joined(separator: ", ") + (missing.count > 10 ? ", ..." : "")
            throw GlassDynamicsError.invalidInput("merge is missing \(missing.count) of \(total) realizations (\(list)); run or resume the shards that own them")
        }
        return (0..<total).compactMap { found[$0]?.0 }
    }
}
