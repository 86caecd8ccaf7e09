import Foundation

/// The TLS mean-field equations of a small cluster, with or without the Onsager reaction term
/// (the TAP correction), solved by damped fixed-point iteration:
///
///     D_i = Delta_i + c sum_j J_ij m_j - [tap] m_i (c^2 / 2T) sum_j J_ij^2 (1 - m_j^2),
///     m_j = f(D_j) (``SingleSiteResponse``).
///
/// Without the reaction term this is Eq. 4 again, by an independent route (a cross-check of the
/// production solver). The reaction term is the second-order (Plefka) correction of the
/// classical Ising free energy with couplings c J_ij / 2 and fields Delta_i / 2 (docs/exact.md,
/// section 3): it makes the classical equations exact to order (J/T)^2; for Delta0 > 0 it is
/// the classical term applied with the quantum response, exact only as Delta0 -> 0.
package struct SmallClusterMeanField: Sendable {
    package var response: SingleSiteResponse
    package var onsager: Bool
    package var tolerance = 1e-12
    package var maxIterations = 100_000

    package init(response: SingleSiteResponse, onsager: Bool) {
        self.response = response
        self.onsager = onsager
    }

    /// The right-hand side at D.
    package func map(_ d: [Double], asymmetry: [Double], tunneling: [Double], couplings: [Double],
                     prefactor c: Double, temperature t: Double) -> [Double] {
        let n = d.count
        let m = (0..<n).map { response(d[$0], tunneling: tunneling[$0], temperature: t) }
        return (0..<n).map { i in
            var field = 0.0, reaction = 0.0
            for j in 0..<n where j != i {
                let k = couplings[i * n + j]
                field += k * m[j]
                reaction += k * k * (1 - m[j] * m[j])
            }
            var out = asymmetry[i] + c * field
            if onsager { out -= m[i] * c * c / (2 * t) * reaction }
            return out
        }
    }

    /// Solves from `start`; returns D, the final max residual and convergence. The mixing
    /// D <- D + alpha (map(D) - D) starts at 1 and halves whenever the largest change grows.
    package func solve(start: [Double], asymmetry: [Double], tunneling: [Double], couplings: [Double],
                       prefactor c: Double, temperature t: Double) -> (d: [Double], residual: Double, converged: Bool) {
        var d = start
        var alpha = 1.0
        var previous = Double.infinity
        var residual = Double.infinity
        for _ in 0..<maxIterations {
            let f = map(d, asymmetry: asymmetry, tunneling: tunneling, couplings: couplings, prefactor: c, temperature: t)
            residual = zip(f, d).reduce(0) { Swift.max($0, abs($1.0 - $1.1)) }
            if residual <= tolerance { return (d, residual, true) }
            if residual > previous { alpha = Swift.max(alpha / 2, 1.0 / 1024) }
            previous = residual
            for i in d.indices { d[i] += alpha * (f[i] - d[i]) }
        }
        return (d, residual, residual <= tolerance)
    }
}
