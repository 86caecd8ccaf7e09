import Foundation
import GlassDynamics

/// A relation held fixed while one parameter is varied.
package enum SweepConstraint: Sendable, Equatable {
    /// numerator / denominator = value, e.g. `w/t=10` (the paper's W/T = 10 scheme).
    case ratio(SweepVariable, SweepVariable, Double)
    /// a^2 + b^2 = value, e.g. `w2+j2=2` (the paper's W^2 + J^2 = 2 scheme).
    case sumOfSquares(SweepVariable, SweepVariable, Double)

    /// Parses `w/t=10` (ratio) or `w2+j2=2` / `w^2+j^2=2` (sum of squares).
    package static func parse(ratio text: String) throws -> SweepConstraint {
        let (lhs, value) = try split(text, option: .fixRatio)
        let names = lhs.split(separator: "/").map(String.init)
        guard names.count == 2, let a = energy(names[0]), let b = energy(names[1]), a != b else {
            throw ParameterError(.fixRatio, "\(Parameter.fixRatio) takes the form w/t=10 (two of w, j, t), got \(text)")
        }
        guard value > 0 else { throw ParameterError(.fixRatio, "\(Parameter.fixRatio) needs a positive ratio, got \(text)") }
        return .ratio(a, b, value)
    }

    package static func parse(sum text: String) throws -> SweepConstraint {
        let (lhs, value) = try split(text, option: .fixSum)
        let names = lhs.replacingOccurrences(of: "^", with: "").split(separator: "+").map(String.init)
        guard names.count == 2, names.allSatisfy({ $0.hasSuffix("2") }),
              let a = energy(String(names[0].dropLast())), let b = energy(String(names[1].dropLast())), a != b else {
            throw ParameterError(.fixSum, "\(Parameter.fixSum) takes the form w2+j2=2 (two of w, j, t), got \(text)")
        }
        guard value > 0 else { throw ParameterError(.fixSum, "\(Parameter.fixSum) needs a positive sum, got \(text)") }
        return .sumOfSquares(a, b, value)
    }

    static func split(_ text: String, option: Parameter) throws -> (String, Double) {
        let parts = text.lowercased().replacingOccurrences(of: " ", with: "").split(separator: "=")
        guard parts.count == 2, let v = Double(parts[1]), v.isFinite else {
            throw ParameterError(option, "\(option) needs a value after '=', got \(text)")
        }
        return (String(parts[0]), v)
    }

    static func energy(_ s: String) -> SweepVariable? {
        guard let v = SweepVariable(rawValue: s), [.w, .j, .t].contains(v) else { return nil }
        return v
    }

    /// Applies the constraint after `varied` was set to `x` on `point`.
    func apply(to point: ModelPoint, varied: SweepVariable, value x: Double) throws -> ModelPoint {
        switch self {
        case .ratio(let a, let b, let c):
            if varied == a { return try point.setting(b, to: x / c) }
            if varied == b { return try point.setting(a, to: x * c) }
            throw ParameterError(.fixRatio, "\(Parameter.fixRatio) \(a.rawValue)/\(b.rawValue) must involve the varied parameter \(Parameter.variable) \(varied.rawValue)")
        case .sumOfSquares(let a, let b, let s):
            if varied == .wOverJ {
                guard Set([a, b]) == Set([.w, .j]) else {
                    throw ParameterError(.fixSum, "\(Parameter.variable) w/j with \(Parameter.fixSum) needs w2+j2=S")
                }
                guard x > 0 else { throw ParameterError(.values, "W/J must be positive, got \(x)") }
                let j = (s / (1 + x * x)).squareRoot()
                return try point.setting(.j, to: j).setting(.w, to: x * j)
            }
            let other: SweepVariable
            if varied == a { other = b } else if varied == b { other = a } else {
                throw ParameterError(.fixSum, "\(Parameter.fixSum) \(a.rawValue)2+\(b.rawValue)2 must involve the varied parameter \(Parameter.variable) \(varied.rawValue)")
            }
            let rest = s - x * x
            guard rest >= 0 else {
                throw ParameterError(.fixSum, "\(Parameter.fixSum) \(a.rawValue)2+\(b.rawValue)2=\(Judgement.fmt(s)) leaves nothing for \(other.rawValue) at \(varied.rawValue) = \(Judgement.fmt(x))")
            }
            return try point.setting(other, to: rest.squareRoot())
        }
    }
}

/// A one-parameter scan: the base point with `variable` set to each value in turn, the
/// constraint applied after each setting.
package struct SweepPlan: Sendable {
    package var base: ModelPoint
    package var variable: SweepVariable
    package var values: [Double]
    package var constraint: SweepConstraint?

    package init(base: ModelPoint, variable: SweepVariable, values: [Double], constraint: SweepConstraint? = nil) {
        self.base = base
        self.variable = variable
        self.values = values
        self.constraint = constraint
    }

    /// The points, in the order of `values`; throws a one-line error for an impossible plan.
    package func points() throws -> [ModelPoint] {
        guard !values.isEmpty else { throw ParameterError(.values, "\(Parameter.values) needs at least one value") }
        if let bad = values.first(where: { !$0.isFinite }) {
            throw ParameterError(.values, "\(Parameter.values) must be finite numbers, got \(bad)")
        }
        if Set(values).count != values.count {
            throw ParameterError(.values, "\(Parameter.values) repeats a value")
        }
        return try values.map { x in
            var p = try base.setting(variable, to: x)
            if let c = constraint { p = try c.apply(to: p, varied: variable, value: x) }
            return p
        }
    }

    /// Folder name of the point with value `x`, e.g. `w=10`, `wj=3.1`.
    package func folderName(_ x: Double) -> String {
        variable.rawValue.replacingOccurrences(of: "/", with: "") + "=" + Judgement.fmt(x)
    }

    /// Parses `1,10,100` (an empty entry is refused).
    package static func parseValues(_ text: String) throws -> [Double] {
        try text.split(separator: ",", omittingEmptySubsequences: false).map { s in
            guard let v = Double(s.trimmingCharacters(in: .whitespaces)) else {
                throw ParameterError(.values, "\(Parameter.values) takes comma-separated numbers, got \(text)")
            }
            return v
        }
    }
}
