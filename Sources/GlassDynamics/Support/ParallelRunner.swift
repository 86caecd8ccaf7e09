import Dispatch
import Foundation
import Synchronization

/// Runs independent realizations on a fixed number of worker threads.
///
/// Workers take the next realization index from a shared counter and store the result at that
/// index, so the returned array does not depend on the thread count or on scheduling: with
/// per-realization random streams, any `threads` gives bit-identical results.
package struct ParallelRunner: Sendable {
    package let threads: Int

    package init(threads: Int) { self.threads = Swift.max(1, threads) }

    /// Cores available to this process.
    package static var availableCores: Int { ProcessInfo.processInfo.activeProcessorCount }

    package func map<T: Sendable>(
        _ indices: [Int], progress: ProgressReporter? = nil,
        _ body: @Sendable (Int) -> T
    ) -> [T] {
        forEach(indices, progress: progress, body).map { $0! }
    }

    /// Like `map`, but workers stop taking new indices once `shouldStop` is true (results of
    /// indices never started are nil), and `onResult` sees each result as soon as it exists
    /// (for checkpointing); `onResult` is called under a lock, one result at a time.
    package func forEach<T: Sendable>(
        _ indices: [Int], progress: ProgressReporter? = nil,
        shouldStop: @Sendable () -> Bool = { false },
        onResult: @Sendable (Int, T) -> Void = { _, _ in },
        _ body: @Sendable (Int) -> T
    ) -> [T?] {
        let next = Mutex(0)
        let results = Mutex([T?](repeating: nil, count: indices.count))
        let workers = Swift.min(threads, Swift.max(indices.count, 1))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while !shouldStop() {
                let slot: Int = next.withLock { n in
                    defer { n += 1 }
                    return n
                }
                if slot >= indices.count { break }
                let value = body(indices[slot])
                results.withLock {
                    $0[slot] = value
                    onResult(indices[slot], value)
                }
                progress?.step()
            }
        }
        return results.withLock { $0 }
    }
}
