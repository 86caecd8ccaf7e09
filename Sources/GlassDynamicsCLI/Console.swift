import Foundation
import GlassDynamics
import Synchronization

/// Where the commands' lines go: the terminal, or a buffer while ``GlassDyn/execute(_:)`` runs
/// a command in-process on this thread.
enum Console {
    static let key = "GlassDynamicsCLI.Console.buffer"

    /// Runs `body` with this thread's command output (and the library's progress and warnings)
    /// captured in `buffer`.
    static func capturing<R>(into buffer: ConsoleBuffer, _ body: () throws -> R) rethrows -> R {
        let d = Thread.current.threadDictionary
        let old = d[key]
        d[key] = buffer
        defer { d[key] = old }
        return try ProgressReporter.withSink({ buffer.append(err: $0 + "\n") }, body)
    }

    static var buffer: ConsoleBuffer? { Thread.current.threadDictionary[key] as? ConsoleBuffer }

    /// A line of results on stdout.
    static func out(_ line: String, terminator: String = "\n") {
        if let b = buffer { b.append(out: line + terminator) } else { print(line, terminator: terminator) }
    }

    /// A line of diagnostics on stderr.
    static func err(_ line: String) {
        if let b = buffer { b.append(err: line + "\n") } else { FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }
}

/// The captured output of an in-process command.
final class ConsoleBuffer: Sendable {
    let text = Mutex((out: "", err: ""))
    func append(out s: String) { text.withLock { $0.out += s } }
    func append(err s: String) { text.withLock { $0.err += s } }
    var stdout: String { text.withLock { $0.out } }
    var stderr: String { text.withLock { $0.err } }
}
