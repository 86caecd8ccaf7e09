import ArgumentParser
import Foundation
import GlassDynamics

@main
struct GlassDyn: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "glassdyn",
        abstract: "Mean-field relaxation of the TLS glass and the electron glass.",
        version: GlassDynamicsVersion.string,
        subcommands: [TLSCommand.self, EGCommand.self, ReproduceCommand.self, SweepCommand.self, MergeCommand.self, BenchCommand.self]
    )
}

/// Runs a command body, turning library errors into one line on stderr and exit code 2.
func runReportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch GlassDynamicsError.interrupted(let message) {
        FileHandle.standardError.write(Data("glassdyn: \(message)\n".utf8))
        throw ExitCode(InterruptFlag.shared.exitStatus)
    } catch let e as GlassDynamicsError {
        FileHandle.standardError.write(Data("glassdyn: error: \(e.description)\n".utf8))
        throw ExitCode(2)
    }
}
