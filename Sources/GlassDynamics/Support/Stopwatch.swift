import Foundation

/// Wall-clock lap timer (monotonic).
public struct Stopwatch: Sendable {
    var last = DispatchTime.now().uptimeNanoseconds

    public init() {}

    /// Seconds since the previous lap (or creation).
    public mutating func lap() -> Double {
        let now = DispatchTime.now().uptimeNanoseconds
        defer { last = now }
        return Double(now - last) * 1e-9
    }
}
