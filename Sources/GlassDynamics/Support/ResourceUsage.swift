import Foundation

/// Memory facts of this process and machine, read from /proc.
public enum ResourceUsage {
    /// Peak resident set size of this process in bytes (VmHWM), or 0 if unknown.
    public static var peakResidentBytes: Int { procStatusKilobytes("VmHWM:") * 1024 }

    /// Physical memory of the machine in bytes.
    public static var physicalMemoryBytes: Int { Int(ProcessInfo.processInfo.physicalMemory) }

    static func procStatusKilobytes(_ key: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(key) {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count >= 2, let v = Int(parts[1]) { return v }
        }
        return 0
    }

    /// Throws `.tooLarge` when `bytes` exceeds 80% of the memory limit (cgroup or physical,
    /// see ``MemoryLimit``); `check(terms:what:)` also names the option to lower.
    public static func check(estimate bytes: Double, what: String) throws {
        try check(terms: [MemoryTerm(bytes: bytes, advice: "lower --n or --threads")], what: what)
    }
}
