import Foundation

/// Little-endian binary encoding of checkpoint records. Doubles are stored by bit pattern, so
/// a record read back reproduces every value exactly and resumed runs stay bit-identical.
public struct BinaryWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func write(_ v: UInt64) {
        for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) }
    }
    public mutating func write(_ v: Int) { write(UInt64(bitPattern: Int64(v))) }
    public mutating func write(_ v: Double) { write(v.bitPattern) }
    public mutating func write(_ v: Bool) { bytes.append(v ? 1 : 0) }
    public mutating func write(_ s: String) {
        let u = Array(s.utf8)
        write(u.count)
        bytes += u
    }
    public mutating func write(_ xs: [Double]) {
        write(xs.count)
        bytes.reserveCapacity(bytes.count + 8 * xs.count)
        for x in xs { write(x) }
    }
    public mutating func write(_ xs: [Int]) {
        write(xs.count)
        for x in xs { write(x) }
    }
    /// An optional: a presence byte, then the value.
    public mutating func writeOptional<T>(_ v: T?, _ body: (inout BinaryWriter, T) -> Void) {
        write(v != nil)
        if let v { body(&self, v) }
    }
}

/// Reads what ``BinaryWriter`` wrote; every read is bounds-checked and throws on a short or
/// malformed record (a corrupted checkpoint is reported, never trusted).
public struct BinaryReader {
    let bytes: [UInt8]
    public private(set) var offset = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var isAtEnd: Bool { offset == bytes.count }

    /// Bytes left to read.
    public var remaining: Int { bytes.count - offset }

    /// Checks that `n` more bytes exist (overflow-safe: `n` comes from an untrusted file).
    mutating func need(_ n: Int) throws {
        if n < 0 || n > remaining {
            throw GlassDynamicsError.io("record is truncated or malformed (needs \(n) bytes at payload offset \(offset), \(remaining) left)")
        }
    }

    /// Reads an element count and checks that `count * elementSize` bytes follow, without
    /// overflow, before anything is allocated.
    mutating func readCount(elementSize: Int) throws -> Int {
        let start = offset
        let raw = try readUInt64()
        guard raw <= UInt64(remaining / elementSize) else {
            throw GlassDynamicsError.io("record is malformed (count \(raw) at payload offset \(start) exceeds the \(remaining) bytes left)")
        }
        return Int(raw)
    }
    public mutating func readUInt64() throws -> UInt64 {
        try need(8)
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(bytes[offset + k]) << (8 * UInt64(k)) }
        offset += 8
        return v
    }
    public mutating func readInt() throws -> Int { Int(Int64(bitPattern: try readUInt64())) }
    public mutating func readDouble() throws -> Double { Double(bitPattern: try readUInt64()) }
    public mutating func readBool() throws -> Bool {
        try need(1)
        defer { offset += 1 }
        return bytes[offset] != 0
    }
    public mutating func readString() throws -> String {
        let n = try readCount(elementSize: 1)
        defer { offset += n }
        return String(decoding: bytes[offset..<offset + n], as: UTF8.self)
    }
    public mutating func readDoubles() throws -> [Double] {
        let n = try readCount(elementSize: 8)
        return try (0..<n).map { _ in try readDouble() }
    }
    public mutating func readInts() throws -> [Int] {
        let n = try readCount(elementSize: 8)
        return try (0..<n).map { _ in try readInt() }
    }
    public mutating func readOptional<T>(_ body: (inout BinaryReader) throws -> T) throws -> T? {
        try readBool() ? try body(&self) : nil
    }
}

/// A value that can be stored in a checkpoint record.
public protocol BinaryRecord: Sendable {
    func encode(into writer: inout BinaryWriter)
    init(from reader: inout BinaryReader) throws
}

/// FNV-1a, 64 bit: detects truncation and bit flips in checkpoint records.
public func fnv1a64(_ bytes: some Sequence<UInt8>) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes {
        h ^= UInt64(b)
        h = h &* 0x0000_0100_0000_01b3
    }
    return h
}

extension SolverReport: BinaryRecord {
    public func encode(into w: inout BinaryWriter) {
        w.write(sweeps); w.write(residual); w.write(converged); w.write(columnUpdates); w.write(pairEvaluations)
    }
    public init(from r: inout BinaryReader) throws {
        self.init(sweeps: try r.readInt(), residual: try r.readDouble(), converged: try r.readBool(),
                  columnUpdates: try r.readInt(), pairEvaluations: try r.readInt())
    }
}

extension RealizationOutcome: BinaryRecord {
    public func encode(into w: inout BinaryWriter) {
        w.write(index)
        w.write(energies)
        w.write(rates)
        solver.encode(into: &w)
        w.write(timings.count)
        for (name, seconds) in timings { w.write(name); w.write(seconds) }
    }
    public init(from r: inout BinaryReader) throws {
        let index = try r.readInt()
        let energies = try r.readDoubles()
        let rates = try r.readDoubles()
        let solver = try SolverReport(from: &r)
        let n = try r.readInt()
        guard n >= 0 && n < 1000 else { throw GlassDynamicsError.io("record is malformed (\(n) timings)") }
        var timings = [(String, Double)]()
        for _ in 0..<n { timings.append((try r.readString(), try r.readDouble())) }
        self.init(index: index, energies: energies, rates: rates, solver: solver, timings: timings)
    }
}
