import Dispatch
import Foundation
import Synchronization

/// SIGINT handling for long runs: the first Ctrl-C asks the workers to finish the realization
/// they are on and take no new one, so the folder is left resumable; the command then exits
/// non-zero with a message. A second Ctrl-C exits at once.
public final class InterruptFlag: Sendable {
    /// The process's one flag (SIGINT is delivered to the whole process).
    public static let shared = InterruptFlag()
    let raised = Atomic<Int>(0)
    let source = Mutex<DispatchSourceSignal?>(nil)

    /// True once SIGINT has been received (after `install`).
    public var isRaised: Bool { raised.load(ordering: .relaxed) > 0 }

    /// Routes SIGINT to this flag instead of terminating the process.
    public func install() {
        source.withLock { s in
            guard s == nil else { return }
            signal(SIGINT, SIG_IGN)
            let src = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
            src.setEventHandler { [self] in
                let n = raised.add(1, ordering: .relaxed).newValue
                if n == 1 {
                    FileHandle.standardError.write(Data("glassdyn: interrupted; finishing the running realizations (Ctrl-C again to stop now)\n".utf8))
                } else {
                    exit(130)
                }
            }
            src.resume()
            s = src
        }
    }
}
