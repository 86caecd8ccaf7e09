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
        /// Byte offset in the file of each record of `payloads` (its magic).
        package var offsets: [Int] = []
    }

    /// Size of a record header: magic, payload length, checksum.
    package static let headerSize = 4 + 8 + 8

    /// Reads and verifies the records of a ledger file (missing file = empty). The file is
    /// untrusted: every length is bounded by the bytes actually present before it is used, and
    /// the first damaged record (bad magic, impossible length, truncation, bad checksum) ends
    /// the valid prefix; it is reported as one line naming the file and its byte offset.
    package static func load(_ url: URL) throws -> Loaded {
        guard FileManager.default.fileExists(atPath: url.path) else { return Loaded(payloads: [], problems: [], validLength: 0) }
        let data: [UInt8]
        do { data = Array(try Data(contentsOf: url)) } catch {
            throw GlassDynamicsError.io("cannot read \(url.path): \(error.localizedDescription)")
        }
        var payloads = [[UInt8]]()
        var offsets = [Int]()
        var problems = [String]()
        var offset = 0
        let name = url.path
        func word(at o: Int) -> UInt64 {
            var v: UInt64 = 0
            for k in 0..<8 { v |= UInt64(data[o + k]) << (8 * UInt64(k)) }
            return v
        }
        while offset < data.count {
            let left = data.count - offset
            guard left >= headerSize else {
                problems.append("\(name): record at offset \(offset) is truncated (\(left) bytes, a header needs \(headerSize)); dropped from there")
                break
            }
            guard Array(data[offset..<offset + 4]) == magic else {
                problems.append("\(name): bytes at offset \(offset) are not a record (bad magic: truncated or corrupted); dropped from there")
                break
            }
            let length = word(at: offset + 4)
            let checksum = word(at: offset + 12)
            guard length <= UInt64(left - headerSize) else {
                problems.append("\(name): record at offset \(offset) declares \(length) payload bytes but only \(left - headerSize) follow (truncated or corrupted); dropped from there")
                break
            }
            let start = offset + headerSize, end = start + Int(length)
            let payload = Array(data[start..<end])
            guard fnv1a64(payload) == checksum else {
                problems.append("\(name): record at offset \(offset) fails its checksum; dropped from there")
                break
            }
            payloads.append(payload)
            offsets.append(offset)
            offset = end
        }
        return Loaded(payloads: payloads, problems: problems, validLength: offset, offsets: offsets)
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
