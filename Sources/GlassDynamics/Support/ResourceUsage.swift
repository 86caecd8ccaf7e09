import Foundation

/// Memory facts of this process and machine, read from /proc.
package enum ResourceUsage {
    /// Peak resident set size of this process in bytes (VmHWM), or 0 if unknown.
    package static var peakResidentBytes: Int { procStatusKilobytes("VmHWM:") * 1024 }

    /// Physical memory of the machine in bytes.
    package static var physicalMemoryBytes: Int { Int(ProcessInfo.processInfo.physicalMemory) }

    static func procStatusKilobytes(_ key: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(key) {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count >= 2, let v = Int(parts[1]) { return v }
        }
        return 0
    }
}
