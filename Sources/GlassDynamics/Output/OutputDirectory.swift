import Foundation

/// The folder a command writes into, checked before any work starts: it must be creatable and
/// writable, and a non-empty folder is reused only when the user says `--force`.
public struct OutputDirectory: Sendable {
    public let url: URL

    /// Validates (and creates) the folder. Throws a one-line error otherwise.
    public init(path: String, force: Bool) throws {
        let fm = FileManager.default
        url = URL(fileURLWithPath: path, isDirectory: true)
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: url.path, isDirectory: &isDir) {
            guard isDir.boolValue else {
                throw GlassDynamicsError.invalidInput("--out \(path) exists and is not a folder")
            }
            let contents = ((try? fm.contentsOfDirectory(atPath: url.path)) ?? []).filter { $0 != FolderLock.fileName }
            if !contents.isEmpty && !force {
                throw GlassDynamicsError.invalidInput("--out \(path) is not empty (use --force to reuse it)")
            }
        } else {
            do {
                try fm.createDirectory(at: url, withIntermediateDirectories: true)
            } catch {
                throw GlassDynamicsError.invalidInput("--out \(path) cannot be created: \(OutputDirectory.reason(error))")
            }
        }
        guard access(url.path, W_OK | X_OK) == 0 else {
            throw GlassDynamicsError.invalidInput("--out \(path) is not writable")
        }
    }

    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    public func write(_ table: CSVTable, as name: String) throws {
        try AtomicFile.write(table.text, to: file(name))
    }

    public func write(_ json: JSONValue, as name: String) throws {
        try AtomicFile.write(json.render() + "\n", to: file(name))
    }

    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let u = ns.userInfo[NSUnderlyingErrorKey] as? NSError, u.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(u.code)))
        }
        return ns.localizedDescription
    }
}
