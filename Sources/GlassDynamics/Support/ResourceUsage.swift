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

    /// Throws `.tooLarge` when `bytes` exceeds 80% of physical memory.
    public static func check(estimate bytes: Double, what: String) throws {
        let limit = 0.8 * Double(physicalMemoryBytes)
        if bytes > limit {
            throw GlassDynamicsError.tooLarge(String(
                format: "%@ needs about %.1f GB, more than this machine can give (%.1f GB usable); lower --n, --threads or use the matrix-free path",
                what, bytes / 1e9, limit / 1e9))
        }
    }
}
