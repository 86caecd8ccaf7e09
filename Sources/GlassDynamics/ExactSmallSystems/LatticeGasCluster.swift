import Foundation

/// The electron glass as a classical lattice gas of N sites and N/2 electrons:
///
///     H = sum_i eps_i n_i + sum_{i<j} K_ij (n_i - 1/2)(n_j - 1/2),    K_ij = e^2 / r_ij,
///
/// so that the energy to add an electron at i is E~_i = eps_i + sum_j K_ij (n_j - 1/2) and its
/// Weiss mean field (n_j -> <n_j>, Fermi occupations at the half-filling mu) is Eq. 20
/// exactly. Configuration bit i set means n_i = 1; only configurations with N/2 bits set exist
/// (the canonical ensemble that particle-conserving dynamics samples).
package struct LatticeGasCluster: Sendable {
    /// eps_i.
    package let bareEnergies: [Double]
    /// K_ij, row-major N x N, zero diagonal.
    package let couplings: [Double]

    package var sites: Int { bareEnergies.count }

    package init(bareEnergies: [Double], couplings: [Double]) {
        precondition(couplings.count == bareEnergies.count * bareEnergies.count)
        self.bareEnergies = bareEnergies
        self.couplings = couplings
    }

    /// The lattice gas of one realization: its eps_i and e^2 / r_ij.
    package init(system: EGSystem) {
        self.init(bareEnergies: system.bareEnergies, couplings: rowMajorCouplings(system.parameters.sites, system.coupling))
    }

    @inline(__always)
    static func occupation(_ b: Int, _ i: Int) -> Double { (b >> i) & 1 == 1 ? 1 : 0 }

    /// E~_i(n) = eps_i + sum_j K_ij (n_j - 1/2).
    package func siteEnergy(_ i: Int, configuration b: Int) -> Double {
        var sum = 0.0
        for j in 0..<sites where j != i { sum += couplings[i * sites + j] * (Self.occupation(b, j) - 0.5) }
        return bareEnergies[i] + sum
    }

    /// H(n).
    package func energy(_ b: Int) -> Double {
        let n = sites
        var e = 0.0
        for i in 0..<n {
            let xi = Self.occupation(b, i)
            e += bareEnergies[i] * xi
            for j in (i + 1)..<Swift.max(i + 1, n) {
                e += couplings[i * n + j] * (xi - 0.5) * (Self.occupation(b, j) - 0.5)
            }
        }
        return e
    }

    /// Every configuration with `electrons` electrons (N/2 by default), in increasing order.
    package func configurations(electrons: Int? = nil) -> [Int] {
        let m = electrons ?? sites / 2
        return (0..<(1 << sites)).filter { $0.nonzeroBitCount == m }
    }

    /// Every configuration of N/2 electrons with its Boltzmann probability at temperature `t`.
    package func boltzmann(temperature t: Double) -> BoltzmannEnumeration {
        BoltzmannEnumeration(configurations: configurations(), temperature: t) { energy($0) }
    }
}
