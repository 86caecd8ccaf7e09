import ArgumentParser
import Foundation
import GlassDynamics

/// Options for long runs: resume after an interruption, run one shard of a split run.
struct CheckpointOptions: ParsableArguments {
    @Flag(help: "Continue an interrupted run in --out, skipping realizations already recorded.") var resume = false
    @Option(help: "Run only realizations r with r mod n == i (i/n); combine shards with `glassdyn merge`.") var shard: String?
}

/// The flags that do not change results, dropped from the command line stored in run.json.
private let nonResultFlags: Set<String> = ["--force", "--quiet", "--resume"]
private let nonResultOptions: Set<String> = ["--out", "--threads", "--shard"]

/// The arguments that determine results, for run.json (merge rebuilds the run from them).
func resultArguments(_ arguments: [String]) -> [String] {
    var out = [String]()
    var skipNext = false
    for a in arguments {
        if skipNext { skipNext = false; continue }
        let name = a.split(separator: "=", maxSplits: 1).first.map(String.init) ?? a
        if nonResultFlags.contains(name) { continue }
        if nonResultOptions.contains(name) { skipNext = !a.contains("="); continue }
        out.append(a)
    }
    return out
}

/// Runs an experiment with its checkpoint ledger in the output folder, then writes the outputs
/// (or, for a shard, leaves the ledger for `glassdyn merge`).
func executeCheckpointed<E: RealizationExperiment, R: RunResultWriting>(
    _ experiment: E, run options: RunOptions, checkpoint: CheckpointOptions, subcommand: String,
    finish: ([E.Realization], Double, ProgressReporter) -> R, describe: (R) -> [String]
) throws {
    try experiment.validate()
    let shard = try checkpoint.shard.map { try Shard(parsing: $0) } ?? .whole
    let out = try lockedOutput(path: options.out, force: options.force, resume: checkpoint.resume, clearsRunFiles: true)
    var campaign = Campaign(experiment: experiment)
    campaign.folder = out.url
    campaign.shard = shard
    campaign.resume = checkpoint.resume
    campaign.interrupt = InterruptFlag.shared
    let args = Array(CommandLine.arguments.dropFirst())
    campaign.annotations = [("command", .array(resultArguments(args).map { .string($0) }))]
    InterruptFlag.shared.install()
    let total = shard.realizations(of: experiment.settings.realizations).count
    let progress = ProgressReporter(label: experiment.label, total: total, quiet: options.quiet)
    let outcome = try campaign.run(progress: progress)
    if outcome.interrupted && !outcome.complete {
        let flag = InterruptFlag.shared
        FileHandle.standardError.write(Data("glassdyn: stopped by \(flag.signalName) after \(outcome.realizations.count) of \(total) realizations; \(out.url.path) is resumable: rerun the same command with --resume\n".utf8))
        throw ExitCode(flag.exitStatus)
    }
    if shard != .whole {
        print("\(experiment.label): shard \(shard) done, \(outcome.realizations.count) realizations in \(out.url.path); combine the shards with `glassdyn merge`")
        return
    }
    let result = finish(outcome.realizations, outcome.wallTime, progress)
    try result.write(to: out)
    for line in describe(result) { print(line) }
    let files = (try? FileManager.default.contentsOfDirectory(atPath: out.url.path))?
        .filter { !$0.hasPrefix(".") }.sorted().joined(separator: ", ") ?? ""
    print("\(experiment.label): results in \(out.url.path) (\(files))")
}
