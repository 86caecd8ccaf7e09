import Foundation

/// Aging and memory of a linear relaxation (issue #11, docs/linear-dynamics.md).
///
/// A perturbation held for a time t_w from equilibrium and then removed leaves, a time t
/// after removal, the response
///
///     O(t; t_w) = sum_k w_k (1 - e^{-Gamma_k t_w}) e^{-Gamma_k t},
///
/// with w_k >= 0 the weight of mode k in the conjugate observable (from
/// `EGLinearization.modes(potential:threads:)` or `TLSLinearization.modes(perturbation:method:)`).
public enum AgingResponse {
    /// O(t; t_w) for rates `rates` and weights `weights`.
    public static func response(rates: [Double], weights: [Double], time t: Double, waitingTime tw: Double) -> Double {
        precondition(rates.count == weights.count)
        var s = 0.0
        for k in rates.indices {
            let g = rates[k]
            // -expm1(-x) = 1 - e^-x without cancellation for small x.
            s += weights[k] * -Foundation.expm1(-g * tw) * Foundation.exp(-g * t)
        }
        return s
    }

    /// The t_w -> infinity limit sum_k w_k e^{-Gamma_k t} (the relaxation after a long field).
    public static func relaxation(rates: [Double], weights: [Double], time t: Double) -> Double {
        var s = 0.0
        for k in rates.indices { s += weights[k] * Foundation.exp(-rates[k] * t) }
        return s
    }

    /// The response of a 1/Gamma law with density c' per unit ln Gamma between gMin and gMax:
    ///
    ///     c' [E1(gMin t) - E1(gMin (t + t_w)) - E1(gMax t) + E1(gMax (t + t_w))],
    ///
    /// the integral of (1 - e^{-Gamma t_w}) e^{-Gamma t} dGamma / Gamma (t > 0).
    public static func inverseGammaLaw(gammaMin gMin: Double, gammaMax gMax: Double, amplitude c: Double = 1,
                                       time t: Double, waitingTime tw: Double) -> Double {
        c * (exponentialIntegralE1(gMin * t) - exponentialIntegralE1(gMin * (t + tw))
             - exponentialIntegralE1(gMax * t) + exponentialIntegralE1(gMax * (t + tw)))
    }

    /// The simple-aging limit of ``inverseGammaLaw(gammaMin:gammaMax:amplitude:time:waitingTime:)``
    /// for 1/gMax << t, t_w << 1/gMin: c' ln(1 + t_w / t), a function of t / t_w alone.
    public static func simpleAging(amplitude c: Double = 1, time t: Double, waitingTime tw: Double) -> Double {
        c * Foundation.log1p(tw / t)
    }
}
