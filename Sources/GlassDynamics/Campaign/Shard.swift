/// `--shard i/n`: this process runs only realizations r with r mod n == i.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public let index: Int
    public let count: Int

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

    public func contains(_ r: Int) -> Bool { r % count == index }

    public func realizations(of total: Int) -> [Int] { (0..<total).filter(contains) }

    public var description: String { "\(index)/\(count)" }
}

extension Shard: Codable {
    /// Written as "i/n".
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        do { try self.init(parsing: text) } catch {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a shard i/n: \(text)")
        }
    }
}
