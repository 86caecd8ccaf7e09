import Foundation
import Synchronization

/// Reports realizations done, rate and ETA on stderr, at most about once a second, and a final
/// line at the end. Silent when `quiet`.
public final class ProgressReporter: Sendable {
    let label: String
    let total: Int
    let quiet: Bool
    let start = Date()
    let state = Mutex((done: 0, lastPrint: Date.distantPast))

    /// A reporter for `total` realizations whose lines begin with `label`; with `quiet`, only
    /// warnings are printed.
    public init(label: String, total: Int, quiet: Bool) {
        self.label = label
        self.total = total
        self.quiet = quiet
    }

    /// Counts one realization done; prints a progress line if a second has passed since the last
    /// one, and always after the last realization.
    public func step() {
        let line: String? = state.withLock { s in
            s.done += 1
            let now = Date()
            guard !quiet, s.done == total || now.timeIntervalSince(s.lastPrint) >= 1 else { return nil }
            s.lastPrint = now
            let elapsed = now.timeIntervalSince(start)
            let rate = Double(s.done) / Swift.max(elapsed, 1e-9)
            let eta = Double(total - s.done) / Swift.max(rate, 1e-12)
            return String(format: "%@: %d/%d realizations, %.2f/s, elapsed %.1fs, ETA %.1fs",
                          label, s.done, total, rate, elapsed, eta)
        }
        if let line { Self.emit(line) }
    }

    /// Prints a warning, even when quiet: something the user must know (a damaged checkpoint).
    public func warn(_ text: String) {
        Self.emit("glassdyn: warning: " + text)
    }

    /// Prints a free-form note (unless quiet).
    public func note(_ text: String) {
        if !quiet { Self.emit(text) }
    }

    /// Routes the progress, notes and warnings of the work `body` runs on this thread to
    /// `sink` instead of stderr (a front end capturing a command's output in-process). Lines
    /// from worker threads still go to stderr.
    public static func withSink<R>(_ sink: @escaping @Sendable (String) -> Void, _ body: () throws -> R) rethrows -> R {
        let d = Thread.current.threadDictionary
        let old = d[sinkKey]
        d[sinkKey] = Sink(write: sink)
        defer { d[sinkKey] = old }
        return try body()
    }

    static let sinkKey = "GlassDynamics.ProgressReporter.sink"

    final class Sink: Sendable {
        let write: @Sendable (String) -> Void
        init(write: @escaping @Sendable (String) -> Void) { self.write = write }
    }

    static func emit(_ line: String) {
        if let sink = Thread.current.threadDictionary[sinkKey] as? Sink {
            sink.write(line)
        } else {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }
}
