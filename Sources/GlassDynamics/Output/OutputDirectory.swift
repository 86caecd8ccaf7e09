import Foundation

/// The folder a command writes into, checked before any work starts: it must be creatable and
/// writable, and a non-empty folder is reused only when the user says `--force`.
public struct OutputDirectory: Sendable {
    /// The folder.
    public let url: URL

    /// Validates (and creates) the folder. Throws a one-line error otherwise.
    public init(path: String, force: Bool) throws {
        let fm = FileManager.default
        url = URL(fileURLWithPath: path, isDirectory: true)
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: url.path, isDirectory: &isDir) {
            guard isDir.boolValue else {
                throw ParameterError(.outputFolder, "\(Parameter.outputFolder) \(path) exists and is not a folder")
            }
            let contents = ((try? fm.contentsOfDirectory(atPath: url.path)) ?? []).filter { $0 != FolderLock.fileName }
            if !contents.isEmpty && !force {
                throw ParameterError(.outputFolder, "\(Parameter.outputFolder) \(path) is not empty (use \(Parameter.force) to reuse it)")
            }
        } else {
            do {
                try fm.createDirectory(at: url, withIntermediateDirectories: true)
            } catch {
                throw ParameterError(.outputFolder, "\(Parameter.outputFolder) \(path) cannot be created: \(OutputDirectory.reason(error))")
            }
        }
        guard access(url.path, W_OK | X_OK) == 0 else {
            throw ParameterError(.outputFolder, "\(Parameter.outputFolder) \(path) is not writable")
        }
    }

    /// A file in the folder.
    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Writes one file atomically.
    public func write(_ file: OutputFile) throws {
        try AtomicFile.write(try file.data(), to: self.file(file.name))
    }

    /// Writes files atomically, in order.
    public func write(_ files: [OutputFile]) throws {
        for f in files { try write(f) }
    }

    /// Writes a table atomically.
    public func write(_ table: CSVTable, as name: String) throws {
        try write(.csv(name, table))
    }

    /// Writes a value as JSON atomically.
    public func write(json value: any Encodable & Sendable, as name: String) throws {
        try write(.json(name, value))
    }

    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let u = ns.userInfo[NSUnderlyingErrorKey] as? NSError, u.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(u.code)))
        }
        return ns.localizedDescription
    }
}
