import Foundation

/// Little-endian binary encoding of checkpoint records. Doubles are stored by bit pattern, so
/// a record read back reproduces every value exactly and resumed runs stay bit-identical.
public struct BinaryWriter: Sendable {
    /// The record written so far.
    public private(set) var bytes: [UInt8] = []

    /// An empty writer.
    public init() {}

    /// Appends `v` as 8 bytes, least significant first.
    public mutating func write(_ v: UInt64) {
        for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) }
    }
    /// Appends `v` as a 64-bit two's-complement integer (8 bytes).
    public mutating func write(_ v: Int) { write(UInt64(bitPattern: Int64(v))) }
    /// Appends the bit pattern of `v` (8 bytes): NaN payloads, signed zeros and infinities
    /// survive exactly.
    public mutating func write(_ v: Double) { write(v.bitPattern) }
    /// Appends one byte, 1 for true and 0 for false.
    public mutating func write(_ v: Bool) { bytes.append(v ? 1 : 0) }
    /// Appends one raw byte.
    public mutating func writeByte(_ v: UInt8) { bytes.append(v) }
    /// Appends the UTF-8 byte count, then the bytes.
    public mutating func write(_ s: String) {
        let u = Array(s.utf8)
        write(u.count)
        bytes += u
    }
    /// Appends the element count, then each value's bit pattern.
    public mutating func write(_ xs: [Double]) {
        write(xs.count)
        bytes.reserveCapacity(bytes.count + 8 * xs.count)
        for x in xs { write(x) }
    }
    /// Appends the element count, then each value.
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
    /// Index of the next byte to read.
    public private(set) var offset = 0

    /// A reader positioned at the start of `bytes`.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// True when every byte has been read.
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
    /// Reads 8 bytes, least significant first; throws when fewer remain.
    public mutating func readUInt64() throws -> UInt64 {
        try need(8)
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(bytes[offset + k]) << (8 * UInt64(k)) }
        offset += 8
        return v
    }
    /// Reads an `Int` as `BinaryWriter` wrote it (8 bytes, two's complement).
    public mutating func readInt() throws -> Int { Int(Int64(bitPattern: try readUInt64())) }
    /// Reads a bit pattern back into the identical `Double`.
    public mutating func readDouble() throws -> Double { Double(bitPattern: try readUInt64()) }
    /// Reads one raw byte.
    public mutating func readByte() throws -> UInt8 {
        try need(1)
        defer { offset += 1 }
        return bytes[offset]
    }
    /// Reads one byte: any non-zero byte is true.
    public mutating func readBool() throws -> Bool {
        try need(1)
        defer { offset += 1 }
        return bytes[offset] != 0
    }
    /// Reads a byte count and that many UTF-8 bytes; throws when the count overruns the record.
    public mutating func readString() throws -> String {
        let n = try readCount(elementSize: 1)
        defer { offset += n }
        return String(decoding: bytes[offset..<offset + n], as: UTF8.self)
    }
    /// Reads a count and that many doubles. The whole length is checked before anything is
    /// allocated, so a corrupted count throws instead of allocating a huge array.
    public mutating func readDoubles() throws -> [Double] {
        let n = try readCount(elementSize: 8)
        return try (0..<n).map { _ in try readDouble() }
    }
    /// Reads a count and that many integers (length checked first, as in ``readDoubles()``).
    public mutating func readInts() throws -> [Int] {
        let n = try readCount(elementSize: 8)
        return try (0..<n).map { _ in try readInt() }
    }
    /// Reads what ``BinaryWriter/writeOptional(_:_:)`` wrote: a presence byte, then the value
    /// read by `body`, or nil when the byte is 0.
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
    /// Writes sweeps, residual, convergence, column updates and pair evaluations, then the
    /// fallback's report when there is one, then the TAP continuation's steps when counted. The
    /// convergence byte carries the flag: 0 or 1 as always (so a run without a fallback writes
    /// the records it always wrote), plus 2 when a fallback report follows and 4 when the TAP
    /// steps do.
    public func encode(into w: inout BinaryWriter) {
        w.write(sweeps); w.write(residual)
        w.writeByte((converged ? 1 : 0) | (fallback == nil ? 0 : 2) | (onsagerSteps == nil ? 0 : 4))
        w.write(columnUpdates); w.write(pairEvaluations)
        if let f = fallback {
            w.write(f.steps); w.write(f.continuationSweeps); w.write(f.factorizations); w.write(f.activeSites)
            w.write(f.startResidual); w.write(f.residual); w.write(f.converged); w.write(f.maxChange)
            w.writeOptional(f.smallestStabilityEigenvalue) { $0.write($1) }
            w.writeOptional(f.freeEnergyBefore) { $0.write($1) }
            w.writeOptional(f.freeEnergyAfter) { $0.write($1) }
        }
        if let onsagerSteps { w.write(onsagerSteps) }
    }
    /// Reads what ``encode(into:)`` wrote.
    public init(from r: inout BinaryReader) throws {
        let sweeps = try r.readInt(), residual = try r.readDouble(), flags = try r.readByte()
        self.init(sweeps: sweeps, residual: residual, converged: flags & 1 != 0,
                  columnUpdates: try r.readInt(), pairEvaluations: try r.readInt())
        if flags & 2 != 0 {
            fallback = FallbackReport(
                steps: try r.readInt(), continuationSweeps: try r.readInt(), factorizations: try r.readInt(), activeSites: try r.readInt(),
                startResidual: try r.readDouble(), residual: try r.readDouble(), converged: try r.readBool(),
                maxChange: try r.readDouble(),
                smallestStabilityEigenvalue: try r.readOptional { try $0.readDouble() },
                freeEnergyBefore: try r.readOptional { try $0.readDouble() },
                freeEnergyAfter: try r.readOptional { try $0.readDouble() })
        }
        if flags & 4 != 0 { onsagerSteps = try r.readInt() }
    }
}

extension RealizationOutcome: BinaryRecord {
    /// Writes the index, the energies, the rates, the solver report and the named timings.
    public func encode(into w: inout BinaryWriter) {
        w.write(index)
        w.write(energies)
        w.write(rates)
        solver.encode(into: &w)
        w.write(timings.count)
        for (name, seconds) in timings { w.write(name); w.write(seconds) }
    }
    /// Reads what ``encode(into:)`` wrote; throws on a malformed timing count.
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
