import Foundation
import GlassDynamics

/// One cell of the paper's Table I: the sign of the change of relaxation speed (Gamma_min up
/// = "+", faster) when one quantity grows, and the figure whose scheme measures it.
package struct TableOneRow: Sendable, Equatable {
    package var model: GlassModel
    package var quantity: String
    package var figureID: String
    package var paperSign: TrendSign
    /// The paper calls the effect weak.
    package var weak: Bool
    /// The figure's scheme runs against the quantity (W/J grows while J shrinks).
    package var reversed: Bool

    /// The six cells of Table I.
    package static let all: [TableOneRow] = [
        TableOneRow(model: .eg, quantity: "disorder W", figureID: "11", paperSign: .up, weak: false, reversed: false),
        TableOneRow(model: .eg, quantity: "interaction J", figureID: "13", paperSign: .down, weak: false, reversed: true),
        TableOneRow(model: .eg, quantity: "system size N", figureID: "15", paperSign: .down, weak: false, reversed: false),
        TableOneRow(model: .tls, quantity: "disorder W", figureID: "06", paperSign: .up, weak: false, reversed: false),
        TableOneRow(model: .tls, quantity: "interaction J", figureID: "07", paperSign: .up, weak: false, reversed: true),
        TableOneRow(model: .tls, quantity: "system size N", figureID: "S1", paperSign: .down, weak: true, reversed: false),
    ]

    package var paperSymbol: String { paperSign.symbol + (weak ? " (weak)" : "") }

    /// A scheme's change counted along the growing quantity.
    func orient(_ m: Measurement?) -> Measurement {
        guard let m else { return Measurement(.nan) }
        return reversed ? Measurement(-m.value, error: m.error) : m
    }
}

/// A Table I cell as measured: ln Gamma_min and the median ln Gamma along the scheme, their
/// signs (counted along the growing quantity) and the verdict on ln Gamma_min's sign.
package struct TableOneEntry: Sendable {
    package var row: TableOneRow
    package var lnGammaMin: SchemeTrend?
    package var median: SchemeTrend?
    package var judgement: Judgement

    /// False when the cell's figure was not among the figures run.
    package var ran: Bool { lnGammaMin != nil }

    /// "agree", "disagree", "inconclusive", or "not run".
    package var verdictText: String { ran ? judgement.verdict.rawValue : "not run" }

    /// Sign along the growing quantity (the scheme's sign, flipped when `reversed`).
    package var sign: TrendSign { orient(lnGammaMin?.sign) }
    package var medianSign: TrendSign { orient(median?.sign) }
    /// The changes from the first to the last curve, counted along the growing quantity.
    package var change: Measurement { row.orient(lnGammaMin?.change) }
    package var medianChange: Measurement { row.orient(median?.change) }

    func orient(_ s: TrendSign?) -> TrendSign {
        guard let s else { return .undetermined }
        return row.reversed ? s.reversed : s
    }

    /// Evaluates a cell from its figure (nil when the figure was not run).
    package init(row: TableOneRow, figure: FigureOutcome?) {
        self.row = row
        guard let figure else {
            lnGammaMin = nil
            median = nil
            judgement = Judgement(.inconclusive, "its figure (\(row.figureID)) was not run")
            return
        }
        let symbol = figure.definition.scheme?.symbol ?? "x"
        let xs = figure.curves.map(\.definition.x)
        lnGammaMin = SchemeTrend(parameter: symbol, x: xs, y: figure.curves.map { $0.metrics[.lnGammaMin] })
        median = SchemeTrend(parameter: symbol, x: xs, y: figure.curves.map { $0.metrics[.medianLnGamma] })
        judgement = TableOneEntry.judge(row: row, trend: lnGammaMin!)
    }

    /// The verdict on a measured ln Gamma_min trend: inconclusive when the end points' error
    /// bars overlap, else agree or disagree with the paper's sign.
    package static func judge(row: TableOneRow, trend: SchemeTrend) -> Judgement {
        let measured = row.reversed ? trend.sign.reversed : trend.sign
        let text = trend.describe("ln Γ_min") + "; change \(trend.change.formatted())"
            + (row.reversed ? " (the scheme lowers \(row.quantity.split(separator: " ").last ?? "") as it goes)" : "")
        switch measured {
        case .undetermined: return Judgement(.inconclusive, text + ": error bars overlap")
        case row.paperSign: return Judgement(.agree, text + ": sign \(measured.symbol) as in the paper")
        default: return Judgement(.disagree, text + ": sign \(measured.symbol), the paper has \(row.paperSign.symbol)")
        }
    }
}

/// A scheme rerun with one alternative choice, to see which choice decides a disputed sign.
package struct AlternativeRun: Sendable {
    package var row: TableOneRow
    /// The choice that differs from the default run, e.g. "convention scripts".
    package var choice: String
    package var lnGammaMin: SchemeTrend?
    package var median: SchemeTrend?
    package var wallTime: Double
    /// Why the rerun was not done (too expensive, not applicable), when it was not.
    package var skipped: String?

    package init(row: TableOneRow, choice: String, lnGammaMin: SchemeTrend? = nil, median: SchemeTrend? = nil,
                wallTime: Double = 0, skipped: String? = nil) {
        self.row = row
        self.choice = choice
        self.lnGammaMin = lnGammaMin
        self.median = median
        self.wallTime = wallTime
        self.skipped = skipped
    }

    package var sign: TrendSign { orient(lnGammaMin?.sign) }
    package var medianSign: TrendSign { orient(median?.sign) }
    package var change: Measurement { row.orient(lnGammaMin?.change) }

    func orient(_ s: TrendSign?) -> TrendSign {
        guard let s else { return .undetermined }
        return row.reversed ? s.reversed : s
    }
}
