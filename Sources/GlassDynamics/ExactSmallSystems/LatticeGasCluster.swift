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

    /// The grand-canonical equilibrium at the chemical potential that makes the exact mean
    /// electron number N/2: every one of the 2^N configurations weighted by
    /// exp(-(H - mu N_e) / T), mu found by bisection (the mean number increases with mu). The
    /// reference that isolates mean field's own error from the canonical constraint (Eq. 20 is
    /// itself grand-canonical, with mu fixed by half filling).
    package func grandCanonical(temperature t: Double) -> (enumeration: BoltzmannEnumeration, chemicalPotential: Double) {
        let all = Array(0..<(1 << sites))
        let e = all.map { energy($0) }
        let half = 0.5 * Double(sites)
        func at(_ mu: Double) -> BoltzmannEnumeration {
            var k = 0
            return BoltzmannEnumeration(configurations: all, temperature: t) { b in
                defer { k += 1 }
                return e[k] - mu * Double(b.nonzeroBitCount)
            }
        }
        func excess(_ mu: Double) -> Double { at(mu).averages(sites: sites).reduce(0, +) - half }
        let span = bareEnergies.map(abs).reduce(0, Swift.max) + couplings.map(abs).reduce(0, +) + 50 * t
        var lo = -span, hi = span
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if mid <= lo || mid >= hi { break }
            if excess(mid) < 0 { lo = mid } else { hi = mid }
        }
        let mu = 0.5 * (lo + hi)
        return (at(mu), mu)
    }
}
