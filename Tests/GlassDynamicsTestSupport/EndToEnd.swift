import Foundation
import GlassDynamics

/// The release `glassdyn` binary, for the few tests that need a real process (signals, kill -9,
/// child processes). Those tests fail, not skip, when the binary is missing.
public enum EndToEnd {
    /// GLASSDYN_BIN (set by `make test`), or .build/release/glassdyn of this checkout.
    public static var binary: String {
        if let b = ProcessInfo.processInfo.environment["GLASSDYN_BIN"], !b.isEmpty { return b }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/release/glassdyn").path
    }

    /// True when the binary exists.
    public static var available: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    /// What a finished command printed.
    public typealias Result = ProcessResult

    /// Thrown when the binary is missing: `make test` builds it first.
    public struct MissingBinary: Error, CustomStringConvertible {
        public init() {}
        public var description: String { "no glassdyn binary at \(EndToEnd.binary): run `make test` (it builds the release binary first)" }
    }

    /// Runs the binary to completion.
    public static func run(_ arguments: [String]) throws -> Result {
        guard available else { throw MissingBinary() }
        return try Subprocess.run(binary, arguments)
    }

    /// Starts the binary without waiting (output discarded), for signal tests.
    public static func start(_ arguments: [String]) throws -> Process {
        guard available else { throw MissingBinary() }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }
}

/// A fresh temporary folder path (not created).
public func temporaryPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("glassdyn-test-\(name)-\(UUID().uuidString)").path
}

/// Errors of the test helpers.
public struct TestSupportError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A JSON file as a dictionary (throws, naming the file, when it is not a JSON object).
public func readJSONObject(_ path: String) throws -> [String: Any] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw TestSupportError("\(path) is not a JSON object")
    }
    return object
}

/// The data files of a finished run and its summary.json without the "cost" block (wall time,
/// memory, threads: the only fields allowed to differ between identical runs).
public func runFingerprint(_ dir: String, files: [String] = ["dos.csv", "rates.csv", "rates_linear.csv", "relaxation.csv", "sites.csv"]) throws -> [String: Data] {
    var out = [String: Data]()
    for f in files { out[f] = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/\(f)")) }
    var summary = try readJSONObject("\(dir)/summary.json")
    summary["cost"] = nil
    out["summary.json"] = try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys])
    return out
}
