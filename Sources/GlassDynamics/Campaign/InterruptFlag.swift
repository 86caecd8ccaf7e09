import Dispatch
import Foundation
import Synchronization

/// SIGINT and SIGTERM handling for long runs: the first signal asks the workers to finish the
/// realization they are on and take no new one, so the folder is left resumable; the command
/// then exits with 128 + the signal (130 for Ctrl-C, 143 for SIGTERM, as a batch scheduler
/// sends before its time limit or on scancel) and a message. A second signal exits at once.
public final class InterruptFlag: Sendable {
    /// The process's one flag (SIGINT is delivered to the whole process).
    public static let shared = InterruptFlag()
    let raised = Atomic<Int>(0)
    let firstSignal = Atomic<Int32>(0)
    let sources = Mutex<[DispatchSourceSignal]>([])

    /// True once SIGINT or SIGTERM has been received (after `install`).
    public var isRaised: Bool { raised.load(ordering: .relaxed) > 0 }

    /// The first signal received (0 if none).
    public var signalNumber: Int32 { firstSignal.load(ordering: .relaxed) }

    /// Name of the first signal ("SIGINT", "SIGTERM").
    public var signalName: String { signalNumber == SIGTERM ? "SIGTERM" : "SIGINT" }

    /// The exit status of a run stopped by the signal: 128 + signal (130 when none was seen).
    public var exitStatus: Int32 { 128 + (signalNumber == 0 ? SIGINT : signalNumber) }

    /// Routes SIGINT and SIGTERM to this flag instead of terminating the process.
    public func install() {
        sources.withLock { s in
            guard s.isEmpty else { return }
            for sig in [SIGINT, SIGTERM] {
                signal(sig, SIG_IGN)
                let src = DispatchSource.makeSignalSource(signal: sig, queue: .global())
                src.setEventHandler { [self] in
                    let n = raised.add(1, ordering: .relaxed).newValue
                    if n == 1 {
                        firstSignal.store(sig, ordering: .relaxed)
                        let text = sig == SIGTERM
                            ? "glassdyn: SIGTERM received; finishing the running realizations (a kinetic Monte Carlo saves each at its next canonical point), then exiting with a resumable folder (a second signal stops at once)\n"
                            : "glassdyn: interrupted; finishing the running realizations (a kinetic Monte Carlo saves each at its next canonical point), then exiting with a resumable folder (Ctrl-C again to stop now)\n"
                        FileHandle.standardError.write(Data(text.utf8))
                    } else {
                        exit(128 + sig)
                    }
                }
                src.resume()
                s.append(src)
            }
        }
    }
}
