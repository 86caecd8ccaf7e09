import Foundation

/// Wall-clock lap timer (monotonic).
package struct Stopwatch: Sendable {
    var last = DispatchTime.now().uptimeNanoseconds

    package init() {}

    /// Seconds since the previous lap (or creation).
    package mutating func lap() -> Double {
        let now = DispatchTime.now().uptimeNanoseconds
        defer { last = now }
        return Double(now - last) * 1e-9
    }
}
