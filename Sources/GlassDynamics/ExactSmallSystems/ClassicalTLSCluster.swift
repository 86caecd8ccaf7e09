import Foundation

/// The classical (Delta0 -> 0) TLS glass: pseudo-spins s_i = +-1 with
///
///     H = -sum_i (Delta_i / 2) s_i - (c / 2) sum_{i<j} J_ij s_i s_j,
///
/// c the field prefactor of the convention (1/4 paper, 1 scripts). Flipping s_i costs
/// s_i h_i with the local field h_i(s) = Delta_i + c sum_j J_ij s_j, so the exact single-site
/// law is <s_i | rest> = tanh(h_i / 2T) and its Weiss mean field is Eq. 4 exactly:
/// D_i = Delta_i + c sum_j J_ij tanh(D_j / 2T). One flip of s_j changes every h_i by
/// 2 c J_ij (J_ij / 2 in the paper convention). s_i = -sigma^z_i of ``TLSClusterHamiltonian``
/// at Delta0 = 0. Configuration bit i set means s_i = +1.
package struct ClassicalTLSCluster: Sendable {
    /// Delta_i.
    package let asymmetry: [Double]
    /// J_ij, row-major N x N, zero diagonal.
    package let couplings: [Double]
    /// c: 1/4 (paper) or 1 (scripts).
    package let prefactor: Double

    package var sites: Int { asymmetry.count }

    package init(asymmetry: [Double], couplings: [Double], prefactor: Double) {
        precondition(couplings.count == asymmetry.count * asymmetry.count)
        self.asymmetry = asymmetry
        self.couplings = couplings
        self.prefactor = prefactor
    }

    /// The classical limit of a realization (its Delta_i and J_ij; Delta0 dropped).
    package init(system: TLSSystem) {
        let q = TLSClusterHamiltonian(system: system)
        self.init(asymmetry: q.asymmetry, couplings: q.couplings, prefactor: q.prefactor)
    }

    /// s_i of configuration `b`.
    @inline(__always)
    package static func spin(_ b: Int, _ i: Int) -> Double { (b >> i) & 1 == 1 ? 1 : -1 }

    /// h_i(s) = Delta_i + c sum_j J_ij s_j.
    package func localField(_ i: Int, configuration b: Int) -> Double {
        var sum = 0.0
        for j in 0..<sites where j != i { sum += couplings[i * sites + j] * Self.spin(b, j) }
        return asymmetry[i] + prefactor * sum
    }

    /// H(s).
    package func energy(_ b: Int) -> Double {
        let n = sites
        var e = 0.0
        for i in 0..<n {
            let si = Self.spin(b, i)
            e -= 0.5 * asymmetry[i] * si
            for j in (i + 1)..<Swift.max(i + 1, n) { e -= 0.5 * prefactor * couplings[i * n + j] * si * Self.spin(b, j) }
        }
        return e
    }

    /// Every configuration with its Boltzmann probability at temperature `t`.
    package func boltzmann(temperature t: Double) -> BoltzmannEnumeration {
        BoltzmannEnumeration(configurations: Array(0..<(1 << sites)), temperature: t) { energy($0) }
    }
}
