import ArgumentParser
import Foundation
import GlassDynamics

/// `glassdyn merge`: combines shard folders into the outputs of the single run.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine the folders of a sharded run (--shard i/n) into the outputs of the single run.")

    @Argument(help: "Shard folders written with --shard.") var folders: [String]
    @Option(help: "Output folder.") var out: String
    @Flag(help: "Reuse a non-empty output folder.") var force = false
    @Flag(help: "No progress on stderr.") var quiet = false

    func run() throws {
        try runReportingErrors {
            let urls = folders.map { URL(fileURLWithPath: $0, isDirectory: true) }
            let manifest = try ShardMerge.commonManifest(urls)
            guard case .array(let words)? = manifest["command"] else {
                throw GlassDynamicsError.invalidInput("\(folders[0])/run.json records no command to rebuild the run from")
            }
            var arguments = words.compactMap { if case .string(let s) = $0 { return s } else { return nil } }
            guard let model = arguments.first else { throw GlassDynamicsError.invalidInput("empty command in run.json") }
            // Parse as the original subcommand (with a placeholder --out), then finish there.
            arguments += ["--out", out] + (force ? ["--force"] : []) + (quiet ? ["--quiet"] : [])
            let parsed = try GlassDyn.parseAsRoot(arguments)
            guard let mergeable = parsed as? MergeableCommand else {
                throw GlassDynamicsError.invalidInput("runs of `\(model)` cannot be merged")
            }
            try mergeable.merge(folders: urls, manifest: manifest)
        }
    }
}

/// A subcommand whose sharded runs `glassdyn merge` can combine.
protocol MergeableCommand {
    func merge(folders: [URL], manifest: JSONValue) throws
}

/// The common merge: check the rebuilt run against the shards' manifest, gather every
/// realization, finish and write like the single run.
func mergeShards<E: RealizationExperiment, R: RunResultWriting>(
    _ experiment: E, folders: [URL], manifest: JSONValue, run options: RunOptions,
    finish: ([E.Realization], Double, ProgressReporter) -> R, describe: (R) -> [String]
) throws {
    var check = Campaign(experiment: experiment)
    check.shard = try Shard(index: 0, count: 1)
    let diff = Campaign<E>.differences(manifest, check.manifest, ignoringShard: true)
    if !diff.isEmpty {
        throw GlassDynamicsError.invalidInput("run.json does not match its own command (\(diff.joined(separator: "; ")))")
    }
    for f in folders {
        if let pid = FolderLock.holder(of: f) {
            throw GlassDynamicsError.invalidInput("merge refused: shard folder \(f.path) is still being written by glassdyn pid \(pid)")
        }
    }
    let start = Date()
    let realizations = try ShardMerge.realizations(of: experiment, folders: folders, total: experiment.settings.realizations)
    // The shards are read (nothing written yet); lock the output before writing into it.
    let out = try lockedOutput(path: options.out, force: options.force, resume: false, clearsRunFiles: true)
    let progress = ProgressReporter(label: experiment.label, total: realizations.count, quiet: options.quiet)
    let result = finish(realizations, Date().timeIntervalSince(start), progress)
    try result.write(to: out)
    for line in describe(result) { print(line) }
    print("\(experiment.label): merged \(folders.count) shards (\(realizations.count) realizations) into \(out.url.path)")
}
