import Foundation

/// The append-only record of finished realizations in a run folder (`realizations.ledger`).
///
/// Each record is `magic "GDR1" | payload length (8 bytes) | FNV-1a-64 of the payload | payload`,
/// appended and flushed to disk (fsync) as soon as its realization finishes, so a kill -9 loses
/// at most the realizations still running. Loading verifies every record; a truncated tail or
/// a corrupted record is reported and dropped (its realization is recomputed), and the file is
/// cut back to the last good record before new ones are appended.
package final class RealizationLedger: @unchecked Sendable {
    // @unchecked: the file handle is used only under `lock`.
    package static let fileName = "realizations.ledger"
    static let magic: [UInt8] = Array("GDR1".utf8)

    package let url: URL
    let handle: FileHandle
    let lock = NSLock()

    /// What loading found.
    package struct Loaded {
        /// Payloads of the valid records, in file order.
        package var payloads: [[UInt8]]
        /// One line per problem found (truncated tail, bad checksum), for the user.
        package var problems: [String]
        /// Byte length of the valid prefix.
        package var validLength: Int
    }

    /// Reads and verifies the records of a ledger file (missing file = empty).
    package static func load(_ url: URL) throws -> Loaded {
        guard FileManager.default.fileExists(atPath: url.path) else { return Loaded(payloads: [], problems: [], validLength: 0) }
        let data: [UInt8]
        do { data = Array(try Data(contentsOf: url)) } catch {
            throw GlassDynamicsError.io("cannot read \(url.path): \(error.localizedDescription)")
        }
        var payloads = [[UInt8]]()
        var problems = [String]()
        var offset = 0
        while offset < data.count {
            let header = 4 + 8 + 8
            guard offset + header <= data.count, Array(data[offset..<offset + 4]) == magic else {
                problems.append("\(url.lastPathComponent): unreadable bytes from offset \(offset) (truncated or corrupted record); dropped")
                break
            }
            var reader = BinaryReader(Array(data[offset + 4..<offset + header]))
            let length = Int(try reader.readUInt64())
            let checksum = try reader.readUInt64()
            guard length >= 0, offset + header + length <= data.count else {
                problems.append("\(url.lastPathComponent): record at offset \(offset) is truncated; dropped")
                break
            }
            let payload = Array(data[offset + header..<offset + header + length])
            guard fnv1a64(payload) == checksum else {
                problems.append("\(url.lastPathComponent): record at offset \(offset) fails its checksum; dropped")
                break
            }
            payloads.append(payload)
            offset += header + length
        }
        return Loaded(payloads: payloads, problems: problems, validLength: offset)
    }

    /// Opens `url` for appending after its first `validLength` bytes (creating it if missing).
    package init(url: URL, validLength: Int) throws {
        self.url = url
        let fm = FileManager.default
        if !fm.fileExists(atPath: url.path) {
            guard fm.createFile(atPath: url.path, contents: nil) else {
                throw GlassDynamicsError.io("cannot create \(url.path)")
            }
        }
        do {
            handle = try FileHandle(forUpdating: url)
            try handle.truncate(atOffset: UInt64(validLength))
            try handle.seekToEnd()
        } catch {
            throw GlassDynamicsError.io("cannot open \(url.path) for writing: \(error.localizedDescription)")
        }
    }

    deinit { try? handle.close() }

    /// Appends one record and forces it to disk.
    package func append(_ payload: [UInt8]) throws {
        var w = BinaryWriter()
        var bytes = RealizationLedger.magic
        w.write(UInt64(payload.count))
        w.write(fnv1a64(payload))
        bytes += w.bytes
        bytes += payload
        try lock.withLock {
            do {
                try handle.write(contentsOf: Data(bytes))
                try handle.synchronize()
            } catch {
                throw GlassDynamicsError.io("cannot append to \(url.path) (disk full or read-only?): \(error.localizedDescription)")
            }
        }
    }
}
