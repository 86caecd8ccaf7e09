/// A CSV table: one header row, no comments, numbers in Swift's shortest round-trip form, so
/// `pandas.read_csv(path)` reads it without options and values survive the text round trip.
public struct CSVTable: Sendable {
    /// The header: one name per column.
    public let columns: [String]
    /// The rows, each already formatted as text.
    public private(set) var rows: [[String]] = []

    /// An empty table with this header.
    public init(columns: [String]) { self.columns = columns }

    /// Appends a row of numbers, formatted by ``format(_:)``; traps when the row's width
    /// differs from the header's.
    public mutating func append(_ values: [Double]) {
        precondition(values.count == columns.count, "row width differs from the header")
        rows.append(values.map(CSVTable.format))
    }

    /// A row mixing text and numbers, already formatted.
    public mutating func append(fields: [String]) {
        precondition(fields.count == columns.count, "row width differs from the header")
        rows.append(fields)
    }

    /// A number as the table writes it: Swift's shortest round-trip form, NaN and the
    /// infinities as "nan", "inf" and "-inf" (which pandas reads as floats).
    public static func format(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        return "\(x)"
    }

    /// The file's text: the header line, then one line per row, each ending in a newline.
    public var text: String {
        var s = columns.joined(separator: ",") + "\n"
        s.reserveCapacity(rows.count * 16 * columns.count)
        for r in rows { s += r.joined(separator: ","); s += "\n" }
        return s
    }
}
