/// A CSV table: one header row, no comments, numbers in Swift's shortest round-trip form, so
/// `pandas.read_csv(path)` reads it without options and values survive the text round trip.
public struct CSVTable: Sendable {
    public let columns: [String]
    public private(set) var rows: [[String]] = []

    public init(columns: [String]) { self.columns = columns }

    public mutating func append(_ values: [Double]) {
        precondition(values.count == columns.count, "row width differs from the header")
        rows.append(values.map(CSVTable.format))
    }

    /// A row mixing text and numbers, already formatted.
    public mutating func append(fields: [String]) {
        precondition(fields.count == columns.count, "row width differs from the header")
        rows.append(fields)
    }

    public static func format(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        return "\(x)"
    }

    public var text: String {
        var s = columns.joined(separator: ",") + "\n"
        s.reserveCapacity(rows.count * 16 * columns.count)
        for r in rows { s += r.joined(separator: ","); s += "\n" }
        return s
    }
}
