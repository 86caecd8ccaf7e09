import ArgumentParser
import Foundation
import GlassDynamics

/// Options for long runs: resume after an interruption, run one shard of a split run.
struct CheckpointOptions: ParsableArguments {
    @Flag(help: "Continue an interrupted run in --out, skipping realizations already recorded.") var resume = false
    @Option(help: "Run only realizations r with r mod n == i (i/n); combine shards with `glassdyn merge`.") var shard: String?
}

/// Runs an experiment with its checkpoint ledger in the output folder, then writes the outputs
/// (or, for a shard, leaves the ledger for `glassdyn merge`). `label` names the run in the
/// printed lines; `configure` may adapt the experiment to its locked run folder and shard
/// before any realization runs; `extraFiles` writes what the command adds beside the
/// result's files.
func executeCheckpointed<E: RealizationExperiment>(_ experiment: E, run options: RunOptions, checkpoint: CheckpointOptions,
                                                   label: String? = nil,
                                                   extraFiles: (OutputDirectory) throws -> Void = { _ in },
                                                   configure: (E, URL, Shard) throws -> E = { e, _, _ in e }) throws {
    try experiment.validate()
    let shard = try checkpoint.shard.map { try Shard(parsing: $0) } ?? .whole
    let out = try lockedOutput(path: options.out, force: options.force, resume: checkpoint.resume, clearsRunFiles: true)
    var campaign = Campaign(experiment: try configure(experiment, out.url, shard))
    campaign.shard = shard
    campaign.folder = out.url
    campaign.resume = checkpoint.resume
    campaign.interrupt = InterruptFlag.shared
    campaign.command = ["glassdyn"] + CommandLine.arguments.dropFirst()
    InterruptFlag.shared.install()
    switch try campaign.execute() {
    case .interrupted(let done, let total):
        let flag = InterruptFlag.shared
        Console.err("glassdyn: stopped by \(flag.signalName) after \(done) of \(total) realizations; \(out.url.path) is resumable: rerun the same command with --resume")
        throw ExitCode(flag.exitStatus)
    case .shardFinished(let count):
        Console.out("\(label ?? experiment.label): shard \(campaign.shard) done, \(count) realizations in \(out.url.path); combine the shards with `glassdyn merge`")
    case .finished(let result):
        try out.write(result.files)
        try extraFiles(out)
        report(result, in: out, label: label ?? result.model.rawValue)
    }
}

/// Prints a written result's headline and the files of its folder.
func report(_ result: any RunResult, in out: OutputDirectory, label: String) {
    Console.out(result.headline)
    let files = (try? FileManager.default.contentsOfDirectory(atPath: out.url.path))?
        .filter { !$0.hasPrefix(".") }.sorted().joined(separator: ", ") ?? ""
    Console.out("\(label): results in \(out.url.path) (\(files))")
}
