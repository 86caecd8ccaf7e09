import Foundation

/// run.json: what determines every realization of a run folder. Written before the first
/// realization; `resume` and `merge` refuse a folder whose manifest differs (the shard apart,
/// for merge), and `merge` rebuilds the experiment from it.
public struct RunManifest<Configuration: Codable & Equatable & Sendable>: Codable, Sendable, Equatable {
    /// The model of the run.
    public var model: GlassModel
    /// The kind of run (nil: the model's own run; "aging"), see ``RealizationExperiment/kind``.
    public var kind: String?
    /// The GlassDynamics version that wrote the folder (informational).
    public var version: String
    /// The seed of the whole run.
    public var seed: UInt64
    /// Realizations of the whole run (all shards).
    public var realizations: Int
    /// The share of the realizations this folder holds.
    public var shard: Shard
    /// Whether each realization keeps its sites.
    public var saveSites: Bool
    /// The experiment's configuration.
    public var parameters: Configuration
    /// How the run was started (informational; a front end may record its command line).
    public var command: [String]?

    /// The manifest of `experiment` run as `shard`.
    public init<E: RealizationExperiment>(_ experiment: E, shard: Shard, command: [String]? = nil)
    where E.Configuration == Configuration {
        model = E.model
        kind = E.kind
        version = GlassDynamicsVersion.string
        seed = experiment.settings.seed
        realizations = experiment.settings.realizations
        self.shard = shard
        saveSites = experiment.settings.saveSites
        parameters = experiment.configuration
        self.command = command
    }

    /// The run settings the manifest fixes (threads and quiet are the caller's).
    public func settings(threads: Int, quiet: Bool) -> RunSettings {
        RunSettings(seed: seed, realizations: realizations, threads: threads, quiet: quiet, saveSites: saveSites)
    }

    /// The keys on which two manifests differ, as `parameters.w: 1.0 vs 2.0` (empty when
    /// they agree). The version and the command are not compared; the shard only when asked.
    public func differences(from other: RunManifest, comparingShard: Bool = true) -> [String] {
        let a = flattened(), b = other.flattened()
        var skip: Set<String> = ["version", "command"]
        if !comparingShard { skip.insert("shard") }
        let keys = Set(a.keys).union(b.keys).filter { k in !skip.contains(where: { k == $0 || k.hasPrefix($0 + ".") || k.hasPrefix($0 + "[") }) }
        return keys.sorted().compactMap { k in
            a[k] == b[k] ? nil : "\(k): \(a[k] ?? "absent") vs \(b[k] ?? "absent")"
        }
    }

    /// Every leaf as "path: value", from the manifest's own JSON.
    func flattened() -> [String: String] {
        guard let data = try? JSONFormat.encode(self),
              let tree = try? JSONSerialization.jsonObject(with: data) else { return [:] }
        var out = [String: String]()
        func walk(_ v: Any, _ path: String) {
            if let d = v as? [String: Any] {
                for (k, x) in d { walk(x, path.isEmpty ? k : path + "." + k) }
            } else if let a = v as? [Any] {
                for (i, x) in a.enumerated() { walk(x, "\(path)[\(i)]") }
            } else {
                out[path] = "\(v)"
            }
        }
        walk(tree, "")
        return out
    }
}

/// The model of a run folder, read before the full manifest (whose type depends on it).
public struct RunManifestHeader: Codable, Sendable {
    /// The model of the run.
    public var model: GlassModel
    /// The kind of run (nil: the model's own run).
    public var kind: String?

    /// The file name of the manifest in a run folder.
    public static let fileName = "run.json"

    /// Reads the header of `folder`'s run.json, with one line naming the folder when it is not
    /// a run folder.
    public static func read(folder: URL) throws -> RunManifestHeader {
        let url = folder.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw GlassDynamicsError.invalidInput("\(folder.path) is not a glassdyn run folder (no \(fileName))")
        }
        return try JSONFormat.read(RunManifestHeader.self, from: url)
    }
}
