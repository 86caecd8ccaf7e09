#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// Processor time (user plus system, all threads) this process has used so far. Beside a
/// stage's wall time it tells how well the stage kept the cores busy, and it is what the stage
/// would cost on a machine of its own when other work shares the cores.
package enum ProcessorTime {
    /// Seconds of processor time since the process started.
    package static var seconds: Double {
        var usage = rusage()
        #if canImport(Glibc)
        let who = __rusage_who_t(RUSAGE_SELF.rawValue)
        #else
        let who = RUSAGE_SELF
        #endif
        guard getrusage(who, &usage) == 0 else { return 0 }
        func s(_ t: timeval) -> Double { Double(t.tv_sec) + 1e-6 * Double(t.tv_usec) }
        return s(usage.ru_utime) + s(usage.ru_stime)
    }
}
