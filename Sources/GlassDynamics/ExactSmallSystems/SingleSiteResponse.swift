import Foundation

/// The single-TLS law that closes a mean-field equation, m = f(D), m = -<sigma^z> = <s>, and its
/// inverse: the effective field D_eff = f^{-1}(m) that an exact average m corresponds to, so an
/// exact <sigma^z_i> can be set against a mean-field D_i in energy units.
package enum SingleSiteResponse: String, Sendable, Codable, CaseIterable {
    /// tanh(D / 2T): Eq. 4 as printed, and the exact law of a classical spin (Delta0 = 0).
    case classical
    /// (D / E) tanh(E / 2T), E = sqrt(D^2 + Delta0^2): the exact law of one quantum TLS, the
    /// closure whose Eq. 4 is the Weiss mean field of ``TLSClusterHamiltonian``.
    case quantum
    /// tanh(E / 2T) with E = sign(D) sqrt(D^2 + Delta0^2): the authors' scripts.
    case scripts

    /// f(D).
    package func callAsFunction(_ d: Double, tunneling d0: Double, temperature t: Double) -> Double {
        switch self {
        case .classical: return TLSMeanField.response(d, tunneling: d0, temperature: t, rule: .meanfield, convention: .paper)
        case .quantum: return TLSMeanField.response(d, tunneling: d0, temperature: t, rule: .exact, convention: .paper)
        case .scripts: return TLSMeanField.response(d, tunneling: d0, temperature: t, rule: .meanfield, convention: .scripts)
        }
    }

    /// The closure of Eq. 4 as the mean-field run solves it.
    package init(rule: SzRule, convention: MeanFieldConvention) {
        switch (rule, convention) {
        case (.exact, _): self = .quantum
        case (.meanfield, .paper), (.tap, .paper): self = .classical
        case (.meanfield, .scripts), (.tap, .scripts): self = .scripts
        }
    }

    /// D_eff with f(D_eff) = P(+) - P(-), from the two probabilities P(s = +1) and
    /// P(s = -1) (each accurate on its own, so the logarithm T ln(P+/P-) = 2T artanh m keeps
    /// its accuracy near saturation).
    package func inverse(plus: Double, minus: Double, tunneling d0: Double, temperature t: Double) -> Double {
        let x = t * Foundation.log(plus / minus)   // 2T artanh(m)
        switch self {
        case .classical: return x
        case .scripts:
            let e = abs(x)
            let d = (Swift.max(e * e - d0 * d0, 0)).squareRoot()
            return x < 0 ? -d : d
        case .quantum:
            // f is odd and increasing in D with |f(D)| <= tanh(|D| / 2T), so |D_eff| >= |x|;
            // bracket and bisect to the last bit.
            let m = (plus - minus) / (plus + minus)
            let target = abs(m)
            var lo = abs(x), hi = Swift.max(2 * lo, 1e-300)
            while self(hi, tunneling: d0, temperature: t) < target && hi < 1e300 { hi *= 2 }
            for _ in 0..<200 {
                let mid = 0.5 * (lo + hi)
                if mid <= lo || mid >= hi { break }
                if self(mid, tunneling: d0, temperature: t) < target { lo = mid } else { hi = mid }
            }
            let d = 0.5 * (lo + hi)
            return m < 0 ? -d : d
        }
    }
}
