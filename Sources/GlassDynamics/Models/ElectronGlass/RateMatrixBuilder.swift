import Dispatch
import Foundation

/// Builds the rate matrix A = G D^-1 (diagonal from particle conservation) in LAPACK's
/// layout, in place, from ``LogRates``, scaled so that its largest off-diagonal element is 1.
///
/// Two forms, with the same eigenvalues:
/// - `symmetric`: S = D^-1/2 (G - diag(G 1)) D^-1/2, S_ij = G_ij / sqrt(D_i D_j), S_jj = A_jj;
///   only the lower triangle and the diagonal are written (what dsyevd reads with uplo 'L').
/// - `general`: A itself, every element written (for dgeev).
///
/// Steps, each split over `threads` workers by whole columns or whole row blocks:
/// 1. ln G_ij for i > j into the lower triangle, and the scale c = max_(i != j) A_ij kept as
///    ln c (a maximum, so the same for any split);
/// 2. the diagonal A_jj = -sum_{k != j} exp(ln G_kj - ln D_j - ln c), summed over k in
///    ascending order for every j whatever the split, so the matrix is bit-identical for any
///    thread count;
/// 3. the logarithms replaced by the scaled elements.
/// Every stored element is at most 1 in magnitude off the diagonal (at most N - 1 on it), and
/// nothing is exponentiated before the scale is subtracted, so nothing overflows; elements
/// that underflow are below 1e-308 of the largest and cannot move an eigenvalue.
package enum RateMatrixBuilder {
    package enum Form: Sendable { case symmetric, general }

    /// The scaled matrix and ln c: the eigenvalues of A are c times those of the matrix.
    package static func build(_ rates: LogRates, form: Form, threads: Int = 1) -> (matrix: ColumnMajorMatrix, logScale: Double) {
        let n = rates.count
        let matrix = ColumnMajorMatrix(count: n)
        let a = UnsafeSendablePointer(matrix.baseAddress)
        let lnD = rates.logWeights
        let workers = Swift.max(1, Swift.min(threads, n))

        // 1. ln G into the lower triangle; per-worker maxima of ln A_ij.
        var maxima = [Double](repeating: -.infinity, count: workers)
        maxima.withUnsafeMutableBufferPointer { mp in
            let m = UnsafeSendablePointer(mp.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                var best = -Double.infinity
                var j = w
                while j < n {
                    let column = a.pointer + j * n
                    let dj = lnD[j]
                    for i in (j + 1)..<Swift.max(j + 1, n) {
                        let g = rates.logCoupling(i, j)
                        column[i] = g
                        best = Swift.max(best, g - Swift.min(dj, lnD[i]))
                    }
                    j += workers
                }
                m.pointer[w] = best
            }
        }
        let logScale = n > 1 ? maxima.max()! : 0

        // 2. The diagonal, in blocks of rows: within a block, the k < j terms are read down
        //    each column k (contiguous), then the k > j terms down column j.
        var diagonal = [Double](repeating: 0, count: n)
        let block = 128
        let blocks = (n + block - 1) / block
        diagonal.withUnsafeMutableBufferPointer { dp in
            let d = UnsafeSendablePointer(dp.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: Swift.min(workers, blocks)) { w in
                var b = w
                while b < blocks {
                    let j0 = b * block, j1 = Swift.min(n, j0 + block)
                    for j in j0..<j1 { d.pointer[j] = 0 }
                    for k in 0..<(j1 - 1) {
                        let column = a.pointer + k * n
                        for j in Swift.max(j0, k + 1)..<j1 {
                            d.pointer[j] += Foundation.exp(column[j] - lnD[j] - logScale)
                        }
                    }
                    for j in j0..<j1 {
                        let column = a.pointer + j * n
                        var s = d.pointer[j]
                        let shift = lnD[j] + logScale
                        for k in (j + 1)..<Swift.max(j + 1, n) { s += Foundation.exp(column[k] - shift) }
                        d.pointer[j] = -s
                    }
                    b += Swift.min(workers, blocks)
                }
            }
        }

        // 3. Scaled elements in place.
        let diagonalValues = diagonal
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var j = w
            while j < n {
                let column = a.pointer + j * n
                column[j] = diagonalValues[j]
                let dj = lnD[j]
                switch form {
                case .symmetric:
                    let half = 0.5 * dj + logScale
                    for i in (j + 1)..<Swift.max(j + 1, n) {
                        column[i] = Foundation.exp(column[i] - 0.5 * lnD[i] - half)
                    }
                case .general:
                    for i in (j + 1)..<Swift.max(j + 1, n) {
                        let g = column[i] - logScale
                        column[i] = Foundation.exp(g - dj)                   // A_ij = G_ij / D_j
                        a.pointer[j + i * n] = Foundation.exp(g - lnD[i])    // A_ji = G_ij / D_i
                    }
                }
                j += workers
            }
        }
        return (matrix, logScale)
    }
}
