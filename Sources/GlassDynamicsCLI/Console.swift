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

    /// Keeps a folder lock of the command running on this thread: an in-process command
    /// releases its locks when it ends (a process keeps them until it exits).
    static func held(_ lock: FolderLock) { buffer?.locks.withLock { $0.append(lock) } }

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
    let locks = Mutex<[FolderLock]>([])
    /// Releases the folder locks the command took.
    func releaseLocks() { for lock in locks.withLock({ l in defer { l.removeAll() }; return l }) { lock.release() } }
    func append(out s: String) { text.withLock { $0.out += s } }
    func append(err s: String) { text.withLock { $0.err += s } }
    var stdout: String { text.withLock { $0.out } }
    var stderr: String { text.withLock { $0.err } }
}
