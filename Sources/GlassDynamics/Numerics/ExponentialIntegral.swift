import Foundation

/// The exponential integral E1(x) = integral_x^inf exp(-t)/t dt for x > 0.
///
/// Power series for x <= 1 (E1 = -gamma_E - ln x - sum (-x)^k / (k k!)), modified Lentz
/// continued fraction for x > 1 (Numerical Recipes 6.3); relative accuracy about 1e-15.
/// It is the exact relaxation of a 1/Gamma rate law between two cutoffs.
package func exponentialIntegralE1(_ x: Double) -> Double {
    precondition(x > 0, "E1 is defined here for x > 0")
    let eulerGamma = 0.577_215_664_901_532_860_6
    if x <= 1 {
        var sum = 0.0
        var term = 1.0
        for k in 1...200 {
            term *= -x / Double(k)
            let add = term / Double(k)
            sum += add
            if abs(add) < 1e-17 * abs(sum) { break }
        }
        return -eulerGamma - log(x) - sum
    }
    if x > 745 { return 0 }
    let tiny = 1e-300
    var b = x + 1
    var c = 1 / tiny
    var d = 1 / b
    var h = d
    for i in 1...500 {
        let a = -Double(i * i)
        b += 2
        d = 1 / (a * d + b)
        c = b + a / c
        let delta = c * d
        h *= delta
        if abs(delta - 1) < 1e-16 { break }
    }
    return h * exp(-x)
}

/// Euler's constant gamma_E.
package let eulerGamma = 0.577_215_664_901_532_860_6
