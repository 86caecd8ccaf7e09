/// The root of a monotone function inside a bracket, by safeguarded Newton iteration
/// (Newton steps while they stay inside the current bracket and shrink it fast enough,
/// bisection otherwise; Numerical Recipes' `rtsafe`).
///
/// The bracket [lower, upper] must hold a sign change; every evaluation narrows it, so the
/// method cannot diverge, and near the root it converges quadratically. It stops when
/// |f| <= tolerance or when the bracket has shrunk to a few units in the last place.
/// The electron glass uses it to fix the chemical potential by half filling at every sweep.
package enum BracketedRoot {
    /// Result of a solve: the root estimate, f there, and the evaluations spent.
    package struct Result: Sendable, Equatable {
        package var root: Double
        package var value: Double
        package var evaluations: Int
        /// True when |value| <= tolerance (false only if the bracket collapsed first, which
        /// happens when f jumps by more than the tolerance between adjacent doubles).
        package var converged: Bool
    }

    /// Solves f(x) = 0 for x in [lower, upper], where `f` returns the value and the slope
    /// df/dx at x. `guess` (clamped into the bracket) starts the iteration.
    package static func solve(lower: Double, upper: Double, guess: Double? = nil,
                             tolerance: Double, maxEvaluations: Int = 200,
                             _ f: (Double) -> (value: Double, slope: Double)) -> Result {
        precondition(lower <= upper && lower.isFinite && upper.isFinite, "bracket must be finite and ordered")
        var evaluations = 0
        func eval(_ x: Double) -> (value: Double, slope: Double) {
            evaluations += 1
            return f(x)
        }
        let fl = eval(lower)
        if abs(fl.value) <= tolerance { return Result(root: lower, value: fl.value, evaluations: evaluations, converged: true) }
        let fu = eval(upper)
        if abs(fu.value) <= tolerance { return Result(root: upper, value: fu.value, evaluations: evaluations, converged: true) }
        precondition(fl.value.sign != fu.value.sign, "the bracket does not hold a sign change")
        // Orient so that f(lo) < 0 < f(hi) (lo may be above hi for a decreasing f).
        var lo = fl.value < 0 ? lower : upper
        var hi = fl.value < 0 ? upper : lower
        var x = Swift.min(Swift.max(guess ?? 0.5 * (lower + upper), lower), upper)
        var stepOld = abs(upper - lower)
        var step = stepOld
        var fx = eval(x)
        while evaluations < maxEvaluations {
            if abs(fx.value) <= tolerance { return Result(root: x, value: fx.value, evaluations: evaluations, converged: true) }
            if fx.value < 0 { lo = x } else { hi = x }
            // Newton if it lands strictly inside the bracket and at least halves the step;
            // bisection otherwise.
            let newton = fx.slope != 0 ? x - fx.value / fx.slope : Double.nan
            let inside = newton.isFinite && (newton - lo) * (newton - hi) < 0
            if inside && abs(2 * fx.value) <= abs(stepOld * fx.slope) {
                stepOld = step
                step = newton - x
                x = newton
            } else {
                stepOld = step
                step = 0.5 * (hi - lo)
                x = lo + step
            }
            // The bracket has collapsed to adjacent doubles: nothing left to refine.
            if abs(hi - lo) <= 4 * Swift.max(lo.ulp, hi.ulp) {
                fx = eval(x)
                return Result(root: x, value: fx.value, evaluations: evaluations, converged: abs(fx.value) <= tolerance)
            }
            fx = eval(x)
        }
        return Result(root: x, value: fx.value, evaluations: evaluations, converged: abs(fx.value) <= tolerance)
    }
}
