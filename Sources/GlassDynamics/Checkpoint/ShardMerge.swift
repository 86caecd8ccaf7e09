import Foundation

/// Combines the ledgers of shard folders into one complete set of realizations, refusing mixed
/// parameters and duplicated or missing realizations, each with a message naming what is wrong.
public enum ShardMerge {
    /// The manifest of a run folder (its run.json).
    public static func manifest(of folder: URL) throws -> JSONValue {
        let url = folder.appendingPathComponent("run.json")
        guard let data = try? Data(contentsOf: url) else {
            throw GlassDynamicsError.invalidInput("\(folder.path) is not a glassdyn run folder (no run.json)")
        }
        do { return try JSONValue.parse(data) } catch {
            throw GlassDynamicsError.invalidInput("\(url.path) is damaged: \(error)")
        }
    }

    /// Checks that every folder's manifest agrees with the first (shard apart); returns it.
    public static func commonManifest(_ folders: [URL]) throws -> JSONValue {
        guard let first = folders.first else { throw GlassDynamicsError.invalidInput("merge needs at least one folder") }
        let m0 = try manifest(of: first)
        for f in folders.dropFirst() {
            let diff = Campaign<TLSExperiment>.differences(m0, try manifest(of: f), ignoringShard: true)
            if !diff.isEmpty {
                throw GlassDynamicsError.invalidInput("cannot merge \(first.path) and \(f.path): parameters differ (\(diff.joined(separator: "; ")))")
            }
        }
        return m0
    }

    /// Loads every shard's records of experiment type E and returns all realizations
    /// 0..<total sorted by index, or throws naming duplicates, gaps and damaged records.
    public static func realizations<E: RealizationExperiment>(
        of experiment: E, folders: [URL], total: Int
    ) throws -> [E.Realization] {
        var found = [Int: (E.Realization, String)]()
        for f in folders {
            let file = f.appendingPathComponent(RealizationLedger.fileName)
            let loaded = try RealizationLedger.load(file)
            let decoded = DecodedLedger(loaded, file: file, experiment: experiment, wanted: Set(0..<total))
            if let p = (loaded.problems + decoded.problems).first {
                throw GlassDynamicsError.invalidInput("merge refused, shard folder \(f.path) is damaged: \(p); rerun that shard with --resume before merging")
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
        return (0..<total).map { found[$0]!.0 }
    }
}
