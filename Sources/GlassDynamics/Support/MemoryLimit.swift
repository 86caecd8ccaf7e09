import Foundation
import Synchronization

/// The memory this process may use: the smallest of the cgroup v2 `memory.max` of its cgroup
/// (and of every ancestor), the cgroup v1 `memory.limit_in_bytes`, and physical memory. Under
/// a batch scheduler (Slurm with cgroups, Kubernetes, Docker) the cgroup limit is the one that
/// kills a run that exceeds it, not physical memory. `GLASSDYN_MEMORY_LIMIT_BYTES` overrides
/// all of them (tests, or a scheduler that enforces memory some other way).
public struct MemoryLimit: Sendable, Equatable, CustomStringConvertible {
    /// The environment variable that overrides the limit (bytes).
    public static let environmentVariable = "GLASSDYN_MEMORY_LIMIT_BYTES"

    /// The limit in bytes.
    public var bytes: Double
    /// Where it comes from: "cgroup memory.max", "cgroup v1 memory.limit_in_bytes",
    /// "physical memory" or the environment variable.
    public var source: String

    /// A limit of `bytes` from `source`.
    public init(bytes: Double, source: String) {
        self.bytes = bytes
        self.source = source
    }

    /// "cgroup memory.max 2.0 GB".
    public var description: String { "\(source) \(MemoryLimit.format(bytes))" }

    static func format(_ bytes: Double) -> String {
        bytes >= 1e9 ? String(format: "%.1f GB", bytes / 1e9) : String(format: "%.0f MB", bytes / 1e6)
    }

    /// The limit of this process (the environment override, else cgroups and physical memory).
    public static func current() throws -> MemoryLimit {
        if let text = ProcessInfo.processInfo.environment[environmentVariable] {
            guard let v = Double(text.trimmingCharacters(in: .whitespaces)), v.isFinite, v > 0 else {
                throw GlassDynamicsError.invalidInput("\(environmentVariable) must be a positive number of bytes, got '\(text)'")
            }
            return MemoryLimit(bytes: v, source: environmentVariable)
        }
        let cgroup = (try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8)) ?? ""
        return read(procSelfCgroup: cgroup, cgroupRoot: URL(fileURLWithPath: "/sys/fs/cgroup"),
                    physicalBytes: Double(ProcessInfo.processInfo.physicalMemory))
    }

    /// The limit without the possibility of an error (an invalid override is ignored here;
    /// `current()` reports it before any work).
    /// Read once per value of the override (the cgroup files are read at most once).
    public static var effective: MemoryLimit {
        let override = ProcessInfo.processInfo.environment[environmentVariable]
        return cache.withLock { c in
            if let c = c, c.0 == override { return c.1 }
            let limit = (try? current()) ?? read(
                procSelfCgroup: (try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8)) ?? "",
                cgroupRoot: URL(fileURLWithPath: "/sys/fs/cgroup"), physicalBytes: Double(ProcessInfo.processInfo.physicalMemory))
            c = (override, limit)
            return limit
        }
    }
    static let cache = Mutex<(String?, MemoryLimit)?>(nil)

    /// The smallest limit found, given the text of /proc/self/cgroup and the cgroup mount root
    /// (a parameter so tests can use a fake tree).
    public static func read(procSelfCgroup: String, cgroupRoot: URL, physicalBytes: Double) -> MemoryLimit {
        var best = MemoryLimit(bytes: physicalBytes, source: "physical memory")
        func consider(_ file: URL, _ source: String) {
            guard let text = try? String(contentsOf: file, encoding: .utf8) else { return }
            let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
            // "max" (v2) and the v1 "unlimited" value (about 2^63, page-rounded) mean no limit.
            guard t != "max", let v = Double(t), v > 0, v < 4.0e18 else { return }
            if v < best.bytes { best = MemoryLimit(bytes: v, source: source) }
        }
        /// The cgroup folder of `path` under `mount` and every ancestor up to the mount.
        func chain(_ mount: URL, _ path: String) -> [URL] {
            var parts = path.split(separator: "/").map(String.init)
            var out = [URL]()
            while true {
                out.append(parts.reduce(mount) { $0.appendingPathComponent($1) })
                if parts.isEmpty { break }
                parts.removeLast()
            }
            return out
        }
        for line in procSelfCgroup.split(separator: "\n") {
            let f = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard f.count == 3 else { continue }
            if f[0] == "0" && f[1].isEmpty {
                // cgroup v2: unified at the root (pure v2) or at ./unified (hybrid).
                let fm = FileManager.default
                let mount = fm.fileExists(atPath: cgroupRoot.appendingPathComponent("cgroup.controllers").path)
                    ? cgroupRoot : cgroupRoot.appendingPathComponent("unified")
                for dir in chain(mount, f[2]) { consider(dir.appendingPathComponent("memory.max"), "cgroup memory.max") }
            } else if f[1].split(separator: ",").contains("memory") {
                let mount = cgroupRoot.appendingPathComponent("memory")
                for dir in chain(mount, f[2]) {
                    consider(dir.appendingPathComponent("memory.limit_in_bytes"), "cgroup v1 memory.limit_in_bytes")
                }
            }
        }
        return best
    }
}

/// One part of a run's memory need and the parameter that drives it.
public struct MemoryTerm: Sendable {
    /// Bytes of this part.
    public var bytes: Double
    /// The parameter to lower when this part dominates.
    public var parameter: Parameter
    /// What to do about it when it dominates ("lower realizations").
    public var advice: ParameterError.Message

    /// A part of `bytes` driven by `parameter`.
    public init(bytes: Double, parameter: Parameter, advice: ParameterError.Message) {
        self.bytes = bytes
        self.parameter = parameter
        self.advice = advice
    }
}

extension ResourceUsage {
    /// The fraction of the limit a run may plan to use (the rest: code, buffers, the OS).
    public static let usableFraction = 0.8

    /// Refuses, before any work, a run whose parts add up to more than 80% of the memory
    /// limit: one line with the need, the limit and where it comes from, naming the parameter
    /// that drives the dominant part.
    public static func check(terms: [MemoryTerm], what: ParameterError.Message) throws {
        let limit = try MemoryLimit.current()
        let need = terms.reduce(0) { $0 + $1.bytes }
        let usable = usableFraction * limit.bytes
        guard need > usable, let top = terms.max(by: { $0.bytes < $1.bytes }) else { return }
        throw ParameterError(top.parameter, what
            + " needs about \(MemoryLimit.format(need)), more than the memory limit allows (\(limit), \(Int(usableFraction * 100))% usable: \(MemoryLimit.format(usable))); "
            + top.advice)
    }
}
