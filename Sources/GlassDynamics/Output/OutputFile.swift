import Foundation

/// A file of a run's results, as a value: the Output layer writes it (``OutputDirectory``).
public enum OutputFile: Sendable {
    /// A CSV table.
    case csv(String, CSVTable)
    /// A JSON document (pretty-printed, keys sorted).
    case json(String, any Encodable & Sendable)

    /// The file name.
    public var name: String {
        switch self {
        case .csv(let n, _), .json(let n, _): return n
        }
    }

    /// The file's bytes.
    public func data() throws -> Data {
        switch self {
        case .csv(_, let table): return Data(table.text.utf8)
        case .json(_, let value): return try JSONFormat.encode(value)
        }
    }
}

/// The one JSON format of GlassDynamics's files: pretty-printed, keys sorted (stable, diffable),
/// non-finite numbers as the strings "NaN", "Infinity", "-Infinity", a final newline.
public enum JSONFormat {
    static let nonFinite = (nan: "NaN", positive: "Infinity", negative: "-Infinity")

    /// Encodes a value as GlassDynamics writes it.
    public static func encode(_ value: any Encodable) throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: nonFinite.positive, negativeInfinity: nonFinite.negative, nan: nonFinite.nan)
        var data = try e.encode(value)
        data.append(0x0a)
        return data
    }

    /// Decodes what ``encode(_:)`` wrote.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: nonFinite.positive, negativeInfinity: nonFinite.negative, nan: nonFinite.nan)
        return try d.decode(type, from: data)
    }

    /// Decodes a file, with one line naming the file when it is missing or malformed.
    public static func read<T: Decodable>(_ type: T.Type, from url: URL) throws -> T {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw GlassDynamicsError.io("\(url.path): cannot be read")
        }
        do { return try decode(type, from: data) } catch {
            throw GlassDynamicsError.io("\(url.path): not a readable \(url.lastPathComponent) (\(describe(error)))")
        }
    }

    static func describe(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, _)?: return "missing key \(key.stringValue)"
        case .typeMismatch(_, let c)?, .valueNotFound(_, let c)?:
            return "wrong value at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
        case .dataCorrupted(let c)?:
            return c.codingPath.isEmpty ? "malformed JSON" : "bad value at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
        default: return "malformed JSON"
        }
    }
}

/// A type-erased encodable value, for documents that collect values of several types.
public struct AnyEncodable: Encodable, Sendable {
    let value: any Encodable & Sendable
    /// Wraps `value`.
    public init(_ value: any Encodable & Sendable) { self.value = value }
    /// Encodes the wrapped value as itself.
    public func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}
