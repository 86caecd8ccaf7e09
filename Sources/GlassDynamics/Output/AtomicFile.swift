import Foundation

/// Writes a file so that it is either absent or complete: the bytes go to a temporary file in
/// the same folder, which is then renamed over the target (rename is atomic on POSIX).
package enum AtomicFile {
    package static func write(_ data: Data, to url: URL) throws {
        let dir = url.deletingLastPathComponent()
        let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try data.write(to: tmp, options: [])
            if rename(tmp.path, url.path) != 0 {
                throw GlassDynamicsError.io("cannot rename \(tmp.path) to \(url.path): \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(at: tmp)
            if let e = error as? GlassDynamicsError { throw e }
            throw GlassDynamicsError.io("cannot write \(url.path): \(error.localizedDescription)")
        }
    }

    package static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }
}
