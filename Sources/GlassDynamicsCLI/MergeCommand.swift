import ArgumentParser
import Foundation
import GlassDynamics
import GlassReproduction

/// `glassdyn merge`: combines shard folders into the outputs of the single run.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine the folders of a sharded run (--shard i/n) into the outputs of the single run.")

    @Argument(help: "Shard folders written with --shard.") var folders: [String]
    @Option(help: "Output folder.") var out: String
    @Flag(help: "Reuse a non-empty output folder.") var force = false
    @Flag(help: "No progress on stderr.") var quiet = false
    @Option(help: "Worker threads (default: all cores).") var threads = ParallelRunner.availableCores

    func run() throws {
        try runReportingErrors {
            let urls = folders.map { URL(fileURLWithPath: $0, isDirectory: true) }
            let dir = try lockedOutput(path: out, force: force, resume: false, clearsRunFiles: true)
            let result = try ShardMerge.merge(folders: urls, threads: threads, quiet: quiet)
            try dir.write(result.files)
            if let aging = result as? AgingResult {
                try AgingPlot.script(waitingTimes: aging.waitingTimes, model: aging.model).write(to: dir.url)
            }
            if let kmc = result as? KMCResult {
                for s in KMCPlot.scripts(protocol: kmc.protocolKind, model: kmc.model) { try s.write(to: dir.url) }
            }
            Console.out(result.headline)
            Console.out("\(result.model.rawValue): merged \(folders.count) shards (\(result.outcomes.count) realizations) into \(dir.url.path)")
        }
    }
}
