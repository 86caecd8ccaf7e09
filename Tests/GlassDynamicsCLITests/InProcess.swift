import Foundation
import GlassDynamics
import GlassDynamicsCLI
import GlassDynamicsTestSupport
import Testing

/// Runs `glassdyn` commands in this process: parse the arguments and run them, capturing what
/// they print, so no command test depends on a binary being built.
enum CLI {
    static func run(_ arguments: [String]) -> EndToEnd.Result {
        let r = GlassDyn.execute(arguments)
        return EndToEnd.Result(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }

    /// Runs `arguments` with `--quiet --out` a fresh path and expects the refusal of `bad`
    /// (one line naming its option and value, non-zero exit) before any work: no output folder.
    static func expectRefusedBeforeAnyWork(_ arguments: [String], _ bad: BadInput,
                                           sourceLocation: SourceLocation = #_sourceLocation) {
        let out = temporaryPath("refused")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = run(arguments + ["--quiet", "--out", out])
        #expect(r.refuses(bad.option, value: bad.value), "stderr: \(r.stderr)", sourceLocation: sourceLocation)
        #expect(!FileManager.default.fileExists(atPath: out), sourceLocation: sourceLocation)
    }
}

extension EndToEnd.Result {
    /// The refusal of a bad value: a non-zero exit and exactly one line on stderr naming the
    /// option, and the value as typed or as Swift prints the number.
    func refuses(_ option: String, value: String? = nil) -> Bool {
        let lines = stderr.split(separator: "\n")
        guard status != 0, lines.count == 1, lines[0].contains(option) else { return false }
        guard let value else { return true }
        let printed = Double(value).map { "\($0)" }
        return lines[0].contains(value) || printed.map { lines[0].contains($0) } == true
    }
}

/// A bad-input case: the arguments, the option the message must name and the value it must
/// quote (nil when the message is about a relation rather than one value).
struct BadInput: Sendable, CustomTestStringConvertible {
    var arguments: [String]
    var option: String
    var value: String?

    init(_ arguments: [String], names option: String, value: String? = nil) {
        self.arguments = arguments
        self.option = option
        self.value = value
    }

    var testDescription: String { arguments.joined(separator: " ") }
}
