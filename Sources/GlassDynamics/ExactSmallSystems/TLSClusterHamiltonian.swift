import Foundation

/// The quantum Hamiltonian of a small TLS cluster whose Weiss mean field is exactly Eq. 4 as
/// implemented (docs/exact.md, section 1):
///
///     H = sum_i (Delta_i / 2) sigma^z_i + (Delta0_i / 2) sigma^x_i - (c / 2) sum_{i<j} J_ij sigma^z_i sigma^z_j
///
/// with c the field prefactor of the convention (1/4 paper, 1 scripts). The mean field of H
/// replaces sigma^z_j by its average: site i then sees the asymmetry
/// D_i = Delta_i + c sum_j J_ij m_j with m_j = -<sigma^z_j> = (D_j / E_j) tanh(E_j / 2T),
/// which is Eq. 4 closed with `SzRule.exact`; Eq. 4's default tanh(D_j / 2T) is its
/// Delta0 -> 0 limit.
///
/// Basis state b (0 ..< 2^N): bit i set means sigma^z_i = +1.
package struct TLSClusterHamiltonian: Sendable {
    /// Delta_i.
    package let asymmetry: [Double]
    /// Delta0_i.
    package let tunneling: [Double]
    /// J_ij (symmetric, zero diagonal), row-major N x N.
    package let couplings: [Double]
    /// c: 1/4 (paper) or 1 (scripts).
    package let prefactor: Double

    /// Largest N accepted at all (2^N basis states, a dense 4^N matrix).
    package static let maximumSites = 14

    package var sites: Int { asymmetry.count }
    package var dimension: Int { 1 << sites }

    package init(asymmetry: [Double], tunneling: [Double], couplings: [Double], prefactor: Double) {
        precondition(asymmetry.count == tunneling.count && couplings.count == asymmetry.count * asymmetry.count)
        self.asymmetry = asymmetry
        self.tunneling = tunneling
        self.couplings = couplings
        self.prefactor = prefactor
    }

    /// The cluster of one realization: the very Delta_i, Delta0_i and J_ij (single-precision
    /// rounded, as every coupling storage gives them) of the mean-field run with the same seed.
    package init(system: TLSSystem) {
        self.init(asymmetry: system.asymmetry, tunneling: system.tunneling,
                  couplings: rowMajorCouplings(system.parameters.sites, system.coupling),
                  prefactor: system.parameters.fieldPrefactor)
    }

    /// J_ij.
    package func coupling(_ i: Int, _ j: Int) -> Double { couplings[i * sites + j] }

    /// The diagonal element <b|H|b> (the classical energy of the sigma^z configuration b).
    package func diagonal(_ b: Int) -> Double {
        let n = sites
        var e = 0.0
        for i in 0..<n {
            let zi: Double = (b >> i) & 1 == 1 ? 1 : -1
            e += 0.5 * asymmetry[i] * zi
            var pair = 0.0
            for j in (i + 1)..<Swift.max(i + 1, n) {
                pair += couplings[i * n + j] * ((b >> j) & 1 == 1 ? 1 : -1)
            }
            e -= 0.5 * prefactor * zi * pair
        }
        return e
    }

    /// H as a dense symmetric matrix in LAPACK's layout (both triangles written).
    package func denseMatrix() -> ColumnMajorMatrix {
        let d = dimension
        let h = ColumnMajorMatrix(count: d)
        h.storage.initialize(repeating: 0)
        for b in 0..<d {
            h[b, b] = diagonal(b)
            for i in 0..<sites { h[b ^ (1 << i), b] = 0.5 * tunneling[i] }
        }
        return h
    }

    /// Bytes of a dense diagonalization with eigenvectors for N sites: the matrix, the
    /// eigenvalues, and dsyevd's workspace (1 + 6 d + 2 d^2 doubles and 3 + 5 d integers, d = 2^N).
    package static func bytes(sites n: Int) -> Double {
        let d = Double(1 << Swift.min(n, 30))
        return 8 * (d * d + d + 1 + 6 * d + 2 * d * d) + 4 * (3 + 5 * d)
    }
}

/// K_ij of every ordered pair as a row-major N x N array with a zero diagonal.
func rowMajorCouplings(_ n: Int, _ coupling: (Int, Int) -> Double) -> [Double] {
    var k = [Double](repeating: 0, count: n * n)
    for i in 0..<n { for j in 0..<n where j != i { k[i * n + j] = coupling(i, j) } }
    return k
}
