import CLAPACK
import Foundation

/// The full spectrum of a small TLS cluster (``TLSClusterHamiltonian``), every eigenpair from
/// LAPACK, and its thermal states at any temperature (``state(temperature:)``): one dense
/// diagonalization serves every T.
package final class ThermalDiagonalization: @unchecked Sendable {
    // @unchecked: `vectors` is written by LAPACK in init and only read afterwards.

    /// The LAPACK driver of the dense symmetric eigenproblem.
    package enum Driver: String, Sendable, Codable, CaseIterable {
        /// Divide and conquer (the default; fastest with eigenvectors).
        case dsyevd
        /// Implicit QL/QR: an independent route for cross-checks.
        case dsyev
    }

    /// The thermal state at one temperature, in the sigma^z basis (bit i set: sigma^z_i = +1).
    package struct State: Sendable {
        /// rho_bb = sum_n w_n |<b|n>|^2: the probability of each sigma^z configuration.
        package var configurationProbabilities: [Double]
        /// P(sigma^z_i = +1) and P(sigma^z_i = -1), each summed over its own configurations, so
        /// the smaller keeps its relative accuracy (down to the eigenvectors' absolute error,
        /// about 1e-15) where 1 -/+ <sigma^z_i> would cancel.
        package var upProbability: [Double]
        package var downProbability: [Double]
        /// <sigma^z_i>.
        package var sigmaZ: [Double] { zip(upProbability, downProbability).map { $0 - $1 } }
    }

    package let sites: Int
    /// Eigenvalues, ascending.
    package let eigenvalues: [Double]
    /// Column k: the normalised eigenvector k.
    let vectors: ColumnMajorMatrix

    /// Diagonalizes `hamiltonian` with `driver`.
    package init(_ hamiltonian: TLSClusterHamiltonian, driver: Driver = .dsyevd) throws {
        sites = hamiltonian.sites
        vectors = hamiltonian.denseMatrix()
        eigenvalues = try Self.eigen(vectors, driver: driver)
    }

    /// The thermal state at `t` > 0: Boltzmann weights exp(-(E_n - E_0) / T) counted from the
    /// ground energy (no overflow at any T), states of relative weight below 1e-300 skipped.
    package func state(temperature t: Double) -> State {
        precondition(t > 0)
        let d = eigenvalues.count, n = sites
        let e0 = eigenvalues[0]
        var weights = eigenvalues.map { Foundation.exp(-($0 - e0) / t) }
        let z = weights.reduce(0, +)
        for k in weights.indices { weights[k] /= z }
        var rho = [Double](repeating: 0, count: d)
        for k in 0..<d where weights[k] > 1e-300 {
            let w = weights[k]
            let col = vectors.baseAddress + k * d
            for b in 0..<d { rho[b] += w * col[b] * col[b] }
        }
        var up = [Double](repeating: 0, count: n), down = up
        for b in 0..<d {
            for i in 0..<n {
                if (b >> i) & 1 == 1 { up[i] += rho[b] } else { down[i] += rho[b] }
            }
        }
        return State(configurationProbabilities: rho, upProbability: up, downProbability: down)
    }

    /// Eigenvalues ascending; `a` (lower triangle read) is overwritten by the eigenvectors.
    package static func eigen(_ a: ColumnMajorMatrix, driver: Driver) throws -> [Double] {
        let n = LAPACKInt(a.count)
        var w = [Double](repeating: 0, count: a.count)
        let v = CChar(UInt8(ascii: "V")), lower = CChar(UInt8(ascii: "L"))
        let info: LAPACKInt
        switch driver {
        case .dsyevd: info = LAPACKE_dsyevd(LAPACK_COL_MAJOR, v, lower, n, a.baseAddress, n, &w)
        case .dsyev: info = LAPACKE_dsyev(LAPACK_COL_MAJOR, v, lower, n, a.baseAddress, n, &w)
        }
        guard info == 0 else { throw GlassDynamicsError.io("LAPACK \(driver.rawValue) failed (info \(info))") }
        return w
    }
}
