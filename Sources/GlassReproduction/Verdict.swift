import Foundation
import GlassDynamics

/// How a measured number compares with a claim of the paper.
package enum Verdict: String, Sendable, Codable, CaseIterable {
    case agree, disagree, inconclusive
}

/// A number with its error bar (one standard error, from the bootstrap over realizations
/// unless said otherwise). A NaN error means "no error bar": only the value is known.
package struct Measurement: Sendable, Equatable, Codable {
    package var value: Double
    package var error: Double

    package init(_ value: Double, error: Double = .nan) {
        self.value = value
        self.error = error
    }

    /// The error bar, with an unknown error read as zero width.
    package var halfWidth: Double { error.isFinite ? error : 0 }
    package var low: Double { value - halfWidth }
    package var high: Double { value + halfWidth }

    /// "-31.10 ± 0.16": at least `minimumDigits` decimals, more when the error bar needs them
    /// to show two significant digits; without an error bar, the value to three digits.
    package func formatted(_ minimumDigits: Int = 2) -> String {
        guard value.isFinite else { return "n/a" }
        guard error.isFinite else { return String(format: "%.3g", value) }
        var digits = minimumDigits
        if error.isFinite && error > 0 { digits = Swift.min(6, Swift.max(digits, 1 - Int(floor(log10(error))))) }
        return String(format: "%.\(digits)f", value) + " ± " + String(format: "%.\(digits)f", error)
    }

}

/// A verdict with the one-line reason that backs it with numbers.
package struct Judgement: Sendable, Equatable {
    package var verdict: Verdict
    package var reason: String

    package init(_ verdict: Verdict, _ reason: String) {
        self.verdict = verdict
        self.reason = reason
    }

    /// The claim "value < bound": agree when the whole error bar lies below the bound,
    /// disagree when it lies wholly above, inconclusive when the bar straddles it.
    package static func below(_ m: Measurement, _ bound: Double, what: String) -> Judgement {
        guard m.value.isFinite else { return Judgement(.inconclusive, "\(what) could not be measured") }
        if m.high < bound { return Judgement(.agree, "\(what) = \(m.formatted()) < \(fmt(bound))") }
        if m.low > bound { return Judgement(.disagree, "\(what) = \(m.formatted()) > \(fmt(bound))") }
        return Judgement(.inconclusive, "\(what) = \(m.formatted()): the error bar straddles \(fmt(bound))")
    }

    /// The claim "value > bound" (mirror of `below`).
    package static func above(_ m: Measurement, _ bound: Double, what: String) -> Judgement {
        guard m.value.isFinite else { return Judgement(.inconclusive, "\(what) could not be measured") }
        if m.low > bound { return Judgement(.agree, "\(what) = \(m.formatted()) > \(fmt(bound))") }
        if m.high < bound { return Judgement(.disagree, "\(what) = \(m.formatted()) < \(fmt(bound))") }
        return Judgement(.inconclusive, "\(what) = \(m.formatted()): the error bar straddles \(fmt(bound))")
    }

    /// The claim "|value - target| < tolerance".
    package static func near(_ m: Measurement, _ target: Double, tolerance: Double, what: String) -> Judgement {
        guard m.value.isFinite else { return Judgement(.inconclusive, "\(what) could not be measured") }
        let off = abs(m.value - target)
        let text = "\(what) = \(m.formatted()) (claim \(fmt(target)) ± \(fmt(tolerance)))"
        if off + m.halfWidth < tolerance { return Judgement(.agree, text) }
        if off - m.halfWidth > tolerance { return Judgement(.disagree, text) }
        return Judgement(.inconclusive, text + ": the error bar straddles the tolerance")
    }

    /// Several judgements of one claim: disagree if any disagrees, agree only if all agree.
    package static func combine(_ parts: [Judgement]) -> Judgement {
        guard !parts.isEmpty else { return Judgement(.inconclusive, "nothing was measured") }
        let verdict: Verdict = parts.contains { $0.verdict == .disagree } ? .disagree
            : parts.allSatisfy { $0.verdict == .agree } ? .agree : .inconclusive
        return Judgement(verdict, parts.map(\.reason).joined(separator: "; "))
    }

    static func fmt(_ x: Double) -> String { String(format: "%g", x) }
}

/// The direction a quantity moves along a scheme (W, W/J, N or T increasing).
package enum TrendSign: Int, Sendable, Codable {
    case down = -1, undetermined = 0, up = 1

    /// "+", "-" or "?" as in Table I.
    package var symbol: String { self == .up ? "+" : self == .down ? "-" : "?" }
    package var reversed: TrendSign { TrendSign(rawValue: -rawValue)! }
}

/// A quantity measured at each point of a scheme, and the sign of its change.
///
/// The rule (the one REPORT.md states): compare the first and the last point; the change is
/// "+" or "-" only when their error bars do not overlap (|y_last - y_first| > e_first +
/// e_last); otherwise it is undetermined ("?"). Whether the intermediate points lie between
/// the ends (monotonic) is reported beside it, not folded into the sign.
package struct SchemeTrend: Sendable, Equatable {
    package var parameter: String
    package var x: [Double]
    package var y: [Measurement]

    package init(parameter: String, x: [Double], y: [Measurement]) {
        precondition(x.count == y.count, "one measurement per scheme point")
        self.parameter = parameter
        self.x = x
        self.y = y
    }

    package var change: Measurement {
        guard let a = y.first, let b = y.last, y.count > 1 else { return Measurement(.nan) }
        let e = a.error.isFinite || b.error.isFinite ? a.halfWidth + b.halfWidth : .nan
        return Measurement(b.value - a.value, error: e)
    }

    package var sign: TrendSign {
        let c = change
        guard c.value.isFinite else { return .undetermined }
        if abs(c.value) <= c.halfWidth { return .undetermined }
        return c.value > 0 ? .up : .down
    }

    /// Every step goes the same way as the overall change (values only).
    package var monotonic: Bool {
        guard y.count > 1 else { return true }
        let s = change.value
        return zip(y, y.dropFirst()).allSatisfy { ($1.value - $0.value) * s >= 0 }
    }

    /// "-31.20 ± 0.10 (W=1) → -29.00 ± 0.20 (W=100)".
    package var pointsText: String {
        zip(x, y).map { "\($1.formatted()) (\(parameter)=\(SchemeTrend.label($0)))" }.joined(separator: " → ")
    }

    /// A scheme value as a label: whole numbers in full (N = 10000), others to 3 digits.
    static func label(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e9 ? String(Int(x)) : String(format: "%.3g", x)
    }

    /// "ln Gamma_min: -31.20 ± 0.10 (W=1) → -29.00 ± 0.20 (W=100)".
    package func describe(_ what: String) -> String { "\(what): " + pointsText }

    /// Judges the claim that the quantity moves in direction `expected` along the scheme.
    package func judge(expected: TrendSign, what: String) -> Judgement {
        let text = describe(what) + "; change \(change.formatted())"
        switch sign {
        case .undetermined:
            return Judgement(.inconclusive, text + ": the end points' error bars overlap")
        case expected:
            return Judgement(.agree, text + (monotonic ? "" : " (not monotonic in between)"))
        default:
            return Judgement(.disagree, text + ", opposite to the claim (\(expected.symbol))")
        }
    }
}
