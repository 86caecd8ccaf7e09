/// `--shard i/n`: this process runs only realizations r with r mod n == i.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    /// i: which residue class this process runs, 0 <= i < n.
    public let index: Int
    /// n: how many shards the run is split into.
    public let count: Int

    /// Shard `index` of `count`; throws a ``ParameterError`` unless 0 <= index < count.
    public init(index: Int, count: Int) throws {
        guard count >= 1, index >= 0, index < count else {
            throw ParameterError(.shard, "\(Parameter.shard) must be i/n with 0 <= i < n, got \(index)/\(count)")
        }
        self.index = index
        self.count = count
    }

    /// Parses "i/n".
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
            throw ParameterError(.shard, "\(Parameter.shard) must look like i/n (for example 0/3), got \(text)")
        }
        try self.init(index: i, count: n)
    }

    /// The whole run.
    public static let whole = Shard(unchecked: 0, 1)

    init(unchecked index: Int, _ count: Int) {
        self.index = index
        self.count = count
    }

    /// True when realization `r` belongs to this shard (r mod n == i).
    public func contains(_ r: Int) -> Bool { r % count == index }

    /// The realization indices of a run of `total` that this shard computes, ascending.
    public func realizations(of total: Int) -> [Int] { (0..<total).filter(contains) }

    /// "i/n", as `--shard` takes it.
    public var description: String { "\(index)/\(count)" }
}

extension Shard: Codable {
    /// Written as "i/n".
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    /// Reads "i/n"; a malformed or out-of-range shard is a decoding error.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        do { try self.init(parsing: text) } catch {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a shard i/n: \(text)")
        }
    }
}
