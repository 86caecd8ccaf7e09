import ArgumentParser
import Foundation
import GlassDynamics

/// `glassdyn`: the command-line front end. It parses arguments, maps the library's errors to
/// the flags a user typed, and prints; the physics lives in the libraries.
public struct GlassDyn: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "glassdyn",
        abstract: "Mean-field relaxation of the TLS glass and the electron glass.",
        version: GlassDynamicsVersion.string,
        subcommands: [TLSCommand.self, EGCommand.self, AgingCommand.self, KMCCommand.self, ExactCommand.self, ReproduceCommand.self, SweepCommand.self, MergeCommand.self, BenchCommand.self]
    )

    public init() {}

    /// Parses and runs one command line in this process, with what it prints captured: the
    /// same path as the executable, for tests and for Swift programs that drive the tool.
    public static func execute(_ arguments: [String]) -> (status: Int32, stdout: String, stderr: String) {
        let buffer = ConsoleBuffer()
        let status: Int32 = Console.capturing(into: buffer) {
            do {
                var command = try parseAsRoot(arguments)
                try command.run()
                return 0
            } catch {
                let code = exitCode(for: error).rawValue
                let message = fullMessage(for: error)
                if !message.isEmpty { code == 0 ? Console.out(message) : Console.err(message) }
                return code
            }
        }
        buffer.releaseLocks()
        return (status, buffer.stdout, buffer.stderr)
    }
}

/// Runs a command body, turning library errors into one line on stderr (naming the flag) and
/// exit code 2, or 130 for an interruption. An invalid `GLASSDYN_SIMD` is refused first.
func runReportingErrors(_ body: () throws -> Void) throws {
    do {
        _ = try SIMDPath.resolve()
        try body()
    } catch GlassDynamicsError.interrupted(let message) {
        Console.err("glassdyn: \(message)")
        throw ExitCode(InterruptFlag.shared.exitStatus)
    } catch let e as ParameterError {
        Console.err("glassdyn: error: \(e.render { $0.flag })")
        throw ExitCode(2)
    } catch let e as GlassDynamicsError {
        Console.err("glassdyn: error: \(e.description)")
        throw ExitCode(2)
    }
}
