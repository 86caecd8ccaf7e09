/// `--shard i/n`: this process runs only realizations r with r mod n == i.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) throws {
        guard count >= 1, index >= 0, index < count else {
            throw GlassDynamicsError.invalidInput("--shard must be i/n with 0 <= i < n, got \(index)/\(count)")
        }
        self.index = index
        self.count = count
    }

    /// Parses "i/n".
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
            throw GlassDynamicsError.invalidInput("--shard must look like i/n (for example 0/3), got \(text)")
        }
        try self.init(index: i, count: n)
    }

    public static let whole = try! Shard(index: 0, count: 1)

    public func contains(_ r: Int) -> Bool { r % count == index }

    public func realizations(of total: Int) -> [Int] { (0..<total).filter(contains) }

    public var description: String { "\(index)/\(count)" }
}
