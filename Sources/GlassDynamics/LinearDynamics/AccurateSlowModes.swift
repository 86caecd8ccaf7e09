import CLAPACK
import Dispatch
import Foundation

/// Relaxation rates of a reversible rate matrix with high relative accuracy for every mode,
/// down to the slowest one (issue #11, section 3; docs/slow-modes.md).
///
/// The problem. A = G D^-1 (`LogRates`: symmetric equilibrium rates G_ij, weights
/// D_j = n_j (1 - n_j), A_jj = -sum_k A_kj). Its eigenvalues are those of the symmetric
/// positive semidefinite M = D^-1/2 L D^-1/2, with L = diag(G 1) - G the weighted graph
/// Laplacian: lambda(A) = -lambda(M), and the rates are Gamma = lambda(M) > 0, with exactly one
/// zero (particle conservation). dsyevd on M has absolute errors N eps ||M||, so a mode at
/// e^-40 of the fastest is lost or wrong. But the eigenvalues of M are perfectly conditioned
/// with respect to the data that define it: perturbing every rate G_ij and every weight D_j by
/// a relative delta moves every eigenvalue by a relative O(delta) (L is a sum of positive
/// multiples of b_e b_e^T, so (1 - delta) L <= L~ <= (1 + delta) L in the Loewner order, and
/// Courant-Fischer). An algorithm that never subtracts can inherit that.
///
/// The method.
/// 1. Subtraction-free pivoted elimination (Gaussian elimination of a diagonally dominant
///    M-matrix with the diagonal carried as row sums: Demmel, Koev; Ye). Work on the column
///    form A_ij = G_ij / D_j (i != j), whose column sums sigma_j = sum_i A_ij are the diagonal
///    of M. Eliminating vertex k leaves the Schur complement, again a Laplacian of the same
///    form, with
///
///        A'_ij = A_ij + A_ik A_kj / sigma_k,   sigma'_j = sum_{i != j} A'_ij
///
///    (sums of positive numbers only, the diagonal recomputed from the new off-diagonals,
///    never updated by subtraction), so every entry keeps its relative accuracy. The pivot is
///    the largest sigma (complete diagonal pivoting of M), so the factor is rank revealing.
///    M = F F^T with F_kk = sqrt(sigma_k), F_ik = -sqrt(A_ik A_ki / sigma_k) (i after k): the
///    pivoted Cholesky factor of M, computed with entrywise relative accuracy, and no D ratio
///    is ever formed (A_ik A_ki = m_ik^2, the squared symmetric element). After N - 1 steps the
///    last Schur complement is the 1 x 1 zero: the conservation mode is removed exactly, F has
///    N - 1 columns and full column rank for a connected graph. Blocked: see
///    `eliminate(_:threads:block:)`.
/// 2. F = B Delta^1/2 with B unit lower trapezoidal, |B_ik| <= 1 (to 1e-6 with the blocked
///    path's pivot choice): a column-graded matrix with a
///    well-conditioned B. One-sided Jacobi with QR preconditioning (LAPACK dgejsv, JOBA = 'E')
///    computes its singular values s_k with relative error about eps * kappa(B) (Demmel-Veselic;
///    Drmac-Veselic), and Gamma_k = c s_k^2 (c the builder's scale).
///
/// Accuracy criterion (``Result/relativeErrorBound``): every returned rate satisfies
///
///     |Gamma~ - Gamma| / Gamma <= 2 * 2 N eps * N^(3/4) * max(1, SCONDA)
///
/// with SCONDA dgejsv's estimate of ||B^-1||_2 for the column-equilibrated factor (within
/// N^(1/4) of it): entrywise relative error N eps in the factor (elimination) and N eps in
/// Jacobi, times sqrt(N) ||B^+||_2 (Demmel-Veselic, Thm. 2.14), doubled because Gamma = s^2.
/// It is a uniform relative bound, the same for the slowest mode as for the fastest.
/// Measured errors against a 106-bit reference are about 1e-14 (the bound is pessimistic by
/// 10^3-10^5). It does not include the rounding of the input itself (the builder's
/// A_ij = exp(ln G_ij - ln D_j - ln c): relative error about eps |ln A_ij|).
///
/// Unresolved modes. The elimination stops if every remaining column sum is below
/// N * leastNormal / eps (in the builder's scale): the remaining r vertices are then
/// disconnected at the double range, and r - 1 of their modes (one is the conservation mode)
/// are counted in ``Result/unresolved``; by Courant-Fischer on the Schur complement S_r,
/// M has r eigenvalues <= trace(S_r) = sum of those column sums, which times c is
/// ``Result/unresolvedBound``. A singular value that dgejsv truncates (numerical rank below
/// the column count, SCONDA = -1) or a rate outside the double range is counted the same way.
public enum AccurateSlowModes {
    /// What `rates(_:threads:)` computed.
    public struct Result: Sendable {
        /// Rates Gamma = -lambda in units of Gamma0, ascending, the conservation mode
        /// excluded: N - 1 - unresolved of them.
        public var rates: [Double]
        /// Physical modes that could not be resolved (0 unless the couplings underflow).
        public var unresolved: Int
        /// Every unresolved rate is at most this (Gamma0); 0 when unresolved = 0.
        public var unresolvedBound: Double
        /// Relative error bound of every returned rate (see the type's documentation).
        public var relativeErrorBound: Double
        /// dgejsv's SCONDA: estimate of ||B^-1||_2 for the column-equilibrated factor (-1
        /// if dgejsv truncated the rank).
        public var conditionEstimate: Double
        /// ln c: the rates are c times the eigenvalues of the scaled matrix.
        public var logScale: Double
        /// Elimination steps taken (N - 1 unless it stopped at underflowing couplings).
        public var eliminationSteps: Int
        /// Wall-clock seconds of the elimination (step 1) and of dgejsv (step 2).
        public var timings: (elimination: Double, singularValues: Double) = (0, 0)
    }

    /// The accurate rates of the rate matrix described by `logRates`. `threads` workers
    /// share the matrix build and the elimination (bit-identical for any count); the
    /// elimination's DGEMV/DGEMM and dgejsv use OpenBLAS's threads as set by the caller (like
    /// dsyevd, their last bits may depend on that count). Memory: one N x N matrix, plus
    /// dgejsv's workspace (about one more N x N, for its condition estimate).
    package static func rates(_ logRates: LogRates, threads: Int = 1) throws -> Result {
        let n = logRates.count
        if n < 2 {
            return Result(rates: [], unresolved: 0, unresolvedBound: 0, relativeErrorBound: 0,
                          conditionEstimate: 1, logScale: 0, eliminationSteps: 0)
        }
        let (matrix, logScale) = RateMatrixBuilder.build(logRates, form: .general, threads: threads)
        return try rates(columnForm: matrix, logScale: logScale, threads: threads)
    }

    /// The same from a matrix already in the column form of ``RateMatrixBuilder`` (`.general`:
    /// off-diagonal A_ij = G_ij / D_j >= 0; the diagonal is ignored). Destroys `matrix`.
    /// `block`: the elimination's panel width (`eliminate(_:threads:block:)`).
    package static func rates(columnForm matrix: ColumnMajorMatrix, logScale: Double, threads: Int = 1,
                             block: Int = 32) throws -> Result {
        let n = matrix.count
        let t0 = DispatchTime.now().uptimeNanoseconds
        let factor = eliminate(matrix, threads: threads, block: block)
        let t1 = DispatchTime.now().uptimeNanoseconds
        let k = factor.steps
        var unresolved = n - 1 - k
        // The remaining column sums, plus what the builder flushed to zero (at most N^2
        // entries below leastNormal in its scale).
        let trace = factor.remainingTrace + Double(n) * Double(n) * Double.leastNormalMagnitude
        var bound = unresolved > 0 ? Foundation.exp(Foundation.log(trace) + logScale) : 0
        var rates = [Double]()
        var sconda = 1.0
        if k > 0 {
            var sva = [Double](repeating: 0, count: k)
            var stat = [Double](repeating: 0, count: 7)
            var istat = [LAPACKInt](repeating: 0, count: 3)
            var u = 0.0, v = 0.0
            let c = { (s: String) in CChar(UInt8(ascii: s.unicodeScalars.first!)) }
            let info = LAPACKE_dgejsv(LAPACK_COL_MAJOR, c("E"), c("N"), c("N"), c("N"), c("N"), c("N"),
                                      LAPACKInt(n), LAPACKInt(k), matrix.baseAddress, LAPACKInt(n),
                                      &sva, &u, 1, &v, 1, &stat, &istat)
            guard info == 0 else { throw GlassDynamicsError.io("LAPACK dgejsv failed (info \(info))") }
            sconda = stat[2]
            // sigma = (stat[0] / stat[1]) * sva; Gamma = c sigma^2, by multiplication where
            // everything is a normal double (exp of a large logarithm would cost
            // |ln Gamma| eps of relative accuracy), in logarithms otherwise.
            let ratio = stat[0] / stat[1]
            let lnRatio = Foundation.log(stat[0]) - Foundation.log(stat[1])
            let scale = Foundation.exp(logScale)
            var truncated = 0
            for s in sva {
                if s > 0 {
                    let sigma = s * ratio
                    var g = sigma * sigma * scale
                    if !(g.isNormal && (sigma * sigma).isNormal && scale.isNormal) {
                        g = Foundation.exp(2 * (Foundation.log(s) + lnRatio) + logScale)
                    }
                    if g > 0 && g.isFinite { rates.append(g); continue }
                }
                truncated += 1
            }
            if truncated > 0 {
                unresolved += truncated
                // dgejsv truncates R(p,p) < sfmin / eps; the lost singular values are below
                // sqrt(k) times that.
                let lost = Foundation.exp(2 * Foundation.log(Double(k).squareRoot() * Double.leastNormalMagnitude / Double.ulpOfOne) + logScale)
                bound = Swift.max(bound, lost)
            }
            rates.sort()
        }
        let nn = Double(n)
        let eta = 2 * nn * Double.ulpOfOne
        let kappa = sconda > 0 ? Swift.max(1, sconda) : .infinity
        let relBound = 2 * eta * Foundation.pow(nn, 0.75) * kappa
        let t2 = DispatchTime.now().uptimeNanoseconds
        return Result(rates: rates, unresolved: unresolved, unresolvedBound: unresolved > 0 ? bound : 0,
                      relativeErrorBound: relBound, conditionEstimate: sconda, logScale: logScale,
                      eliminationSteps: k, timings: (Double(t1 - t0) * 1e-9, Double(t2 - t1) * 1e-9))
    }

    /// The outcome of `eliminate(_:threads:)`.
    public struct Factor: Sendable {
        /// Columns of the factor F (N - 1 for a connected graph).
        public var steps: Int
        /// Original index of each row of F (pivot order).
        public var permutation: [Int]
        /// Sum of the column sums left when the elimination stopped (0 after N - 1 steps).
        public var remainingTrace: Double
    }

    /// Step 1 in place: on return the first `steps` columns of `matrix` hold F (N x steps,
    /// lower trapezoidal, zero above the diagonal) with M = P F F^T P^T up to the unresolved
    /// remainder. The input is the column form (off-diagonal entries >= 0; the diagonal is
    /// ignored). `block` > 1 (default 32) takes the blocked path, `block` <= 1 the rank-1 one
    /// (same arithmetic up to the order of positive sums; kept as the plain reference).
    package static func eliminate(_ matrix: ColumnMajorMatrix, threads: Int = 1, block: Int = 32) -> Factor {
        block > 1 ? eliminateBlocked(matrix, threads: threads, block: block) : eliminateRankOne(matrix, threads: threads)
    }

    /// The blocked elimination. Within a panel of up to `block` pivots the trailing matrix is
    /// left alone: each pivot's column and row are brought up to date by their pending updates
    /// (two DGEMVs on positive numbers), its column sum is then summed exactly, and the pivot
    /// is chosen from column sums updated by subtraction, sigma_j - A_kj A_jk / sigma_k, which
    /// may cancel and are used for the choice only. The panel ends early when the chosen value
    /// is below 1e-8 of the largest column sum at the panel's start (below that the
    /// subtraction could reorder the pivots). Then one DGEMM of positive numbers applies the
    /// panel to the trailing matrix, the diagonal is reset to 0 and every column sum is summed
    /// again exactly. No quantity that enters F is formed by subtraction.
    static func eliminateBlocked(_ matrix: ColumnMajorMatrix, threads: Int, block: Int) -> Factor {
        let n = matrix.count
        let a = Pointer(matrix.baseAddress)
        var perm = Array(0..<n)
        var sigma = [Double](repeating: 0, count: n)
        for j in 0..<n {
            let col = a.p + j * n
            col[j] = 0
            sigma[j] = sum(col, count: n)
        }
        var approx = sigma
        let stop = Double(n) * Double.leastNormalMagnitude / Double.ulpOfOne
        let tau = 1e-8
        var ut = [Double](repeating: 0, count: block * n)
        var u = [Double](repeating: 0, count: block)
        var colTmp = [Double](repeating: 0, count: n), rowTmp = [Double](repeating: 0, count: n)
        let workers = Swift.max(1, threads)
        var k = 0
        var stopped = false
        sigma.withUnsafeMutableBufferPointer { sp in
            let sig = Pointer(sp.baseAddress!)
            while k < n - 1 && !stopped {
                let k0 = k
                var emax = 0.0
                for j in k0..<n { approx[j] = sig.p[j]; emax = Swift.max(emax, sig.p[j]) }
                while k < n - 1 && k - k0 < block {
                    var p = k
                    for j in (k + 1)..<n where approx[j] > approx[p] { p = j }
                    if k == k0 {
                        if !(approx[p] > stop) { stopped = true; break }
                    } else if !(approx[p] > tau * emax) {
                        break
                    }
                    if p != k {
                        let ck = a.p + k * n, cp = a.p + p * n
                        for i in 0..<n { let t = ck[i]; ck[i] = cp[i]; cp[i] = t }
                        for j in 0..<n { let t = a.p[k + j * n]; a.p[k + j * n] = a.p[p + j * n]; a.p[p + j * n] = t }
                        approx.swapAt(k, p)
                        let t = sig.p[k]; sig.p[k] = sig.p[p]; sig.p[p] = t
                        perm.swapAt(k, p)
                    }
                    let t = k - k0
                    let rows = n - k - 1
                    // Column k and row k up to date, in scratch first (a panel that ends here
                    // must leave them pending).
                    for i in 0..<rows { colTmp[i] = a.p[(k + 1 + i) + k * n]; rowTmp[i] = a.p[k + (k + 1 + i) * n] }
                    if t > 0 && rows > 0 {
                        // Column k: A_ik += sum_l A_il (A_lk / sigma_l), l pending in the panel.
                        for l in 0..<t { u[l] = a.p[(k0 + l) + k * n] / sig.p[k0 + l] }
                        cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(rows), Int32(t), 1.0,
                                    a.p + (k + 1) + k0 * n, Int32(n), u, 1, 1.0, &colTmp, 1)
                        // Row k: A_kj += sum_l (A_kl / sigma_l) A_lj.
                        for l in 0..<t { u[l] = a.p[k + (k0 + l) * n] / sig.p[k0 + l] }
                        cblas_dgemv(CblasColMajor, CblasTrans, Int32(t), Int32(rows), 1.0,
                                    a.p + k0 + (k + 1) * n, Int32(n), u, 1, 1.0, &rowTmp, 1)
                    }
                    let s = colTmp.withUnsafeMutableBufferPointer { sum($0.baseAddress!, count: rows) }
                    if !(s > stop) {
                        // Cancellation fooled the choice (or everything left underflows): end
                        // the panel here and choose again from exact sums.
                        if t == 0 { stopped = true }
                        break
                    }
                    for i in 0..<rows { a.p[(k + 1 + i) + k * n] = colTmp[i]; a.p[k + (k + 1 + i) * n] = rowTmp[i] }
                    sig.p[k] = s
                    for j in (k + 1)..<n { approx[j] -= a.p[k + j * n] * a.p[j + k * n] / s }
                    k += 1
                }
                let k1 = k
                let t = k1 - k0
                if t > 0 && k1 < n {
                    let m = n - k1
                    for j in 0..<m {
                        for l in 0..<t { ut[l + j * block] = a.p[(k0 + l) + (k1 + j) * n] / sig.p[k0 + l] }
                    }
                    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(m), Int32(t), 1.0,
                                a.p + k1 + k0 * n, Int32(n), ut, Int32(block), 1.0, a.p + k1 + k1 * n, Int32(n))
                    let chunks = m >= 192 ? workers : 1
                    DispatchQueue.concurrentPerform(iterations: chunks) { w in
                        var j = k1 + w
                        while j < n {
                            a.p[j + j * n] = 0
                            sig.p[j] = AccurateSlowModes.sum(a.p + k1 + j * n, count: m)
                            j += chunks
                        }
                    }
                }
                // Columns k0..<k1 of F.
                for l in k0..<k1 {
                    let col = a.p + l * n
                    let rs = sig.p[l].squareRoot()
                    for i in (l + 1)..<n { col[i] = -(col[i].squareRoot() * a.p[l + i * n].squareRoot()) / rs }
                    col[l] = rs
                }
            }
        }
        for j in 0..<k {
            let col = a.p + j * n
            for i in 0..<j { col[i] = 0 }
        }
        var rest = 0.0
        for j in k..<n { rest += sigma[j] }
        return Factor(steps: k, permutation: perm, remainingTrace: k == n - 1 ? 0 : rest)
    }

    /// The rank-1 elimination: every step updates the whole trailing matrix and sums its
    /// columns again.
    static func eliminateRankOne(_ matrix: ColumnMajorMatrix, threads: Int = 1) -> Factor {
        let n = matrix.count
        let a = Pointer(matrix.baseAddress)
        var perm = Array(0..<n)
        var sigma = [Double](repeating: 0, count: n)
        for j in 0..<n {
            let col = a.p + j * n
            col[j] = 0
            var s = 0.0
            for i in 0..<n { s += col[i] }
            sigma[j] = s
        }
        let stop = Double(n) * Double.leastNormalMagnitude / Double.ulpOfOne
        let workers = Swift.max(1, threads)
        var k = 0
        sigma.withUnsafeMutableBufferPointer { sp in
            let sig = Pointer(sp.baseAddress!)
            while k < n - 1 {
                // Pivot: the largest remaining column sum (first one on ties).
                var p = k
                for j in (k + 1)..<n where sig.p[j] > sig.p[p] { p = j }
                if !(sig.p[p] > stop) { break }
                if p != k {
                    // Symmetric swap of rows and columns k and p (also swaps F's rows).
                    let ck = a.p + k * n, cp = a.p + p * n
                    for i in 0..<n { let t = ck[i]; ck[i] = cp[i]; cp[i] = t }
                    for j in 0..<n { let t = a.p[k + j * n]; a.p[k + j * n] = a.p[p + j * n]; a.p[p + j * n] = t }
                    let t = sig.p[k]; sig.p[k] = sig.p[p]; sig.p[p] = t
                    perm.swapAt(k, p)
                }
                let s = sig.p[k]
                let kk = k
                let colK = a.p + k * n
                // Trailing update A_ij += A_ik (A_kj / s) and the new column sums, column by
                // column (each column's arithmetic is fixed, whatever the split).
                let first = k + 1
                let count = n - first
                let chunks = count >= 192 ? workers : 1
                DispatchQueue.concurrentPerform(iterations: chunks) { w in
                    let colK = a.p + kk * n
                    var j = first + w
                    while j < n {
                        let col = a.p + j * n
                        let f = a.p[kk + j * n] / s
                        if f != 0 {
                            for i in first..<n { col[i] += f * colK[i] }
                            col[j] = 0
                        }
                        let sum = AccurateSlowModes.sum(col + first, count: n - first)
                        sig.p[j] = sum
                        j += chunks
                    }
                }
                // Column k of F (after the update, which does not touch row or column k).
                let rs = s.squareRoot()
                for i in first..<n {
                    let row = a.p[k + i * n]
                    colK[i] = -(colK[i].squareRoot() * row.squareRoot()) / rs
                }
                colK[k] = rs
                k += 1
            }
        }
        // Zero above F's diagonal (leftovers of the eliminated rows).
        for j in 0..<k {
            let col = a.p + j * n
            for i in 0..<j { col[i] = 0 }
        }
        var rest = 0.0
        for j in k..<n { rest += sigma[j] }
        return Factor(steps: k, permutation: perm, remainingTrace: k == n - 1 ? 0 : rest)
    }

    /// Sum of `count` doubles in four interleaved partial sums (same order on every call).
    @inline(__always)
    static func sum(_ x: UnsafeMutablePointer<Double>, count: Int) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var i = 0
        while i + 4 <= count {
            s0 += x[i]; s1 += x[i + 1]; s2 += x[i + 2]; s3 += x[i + 3]
            i += 4
        }
        while i < count { s0 += x[i]; i += 1 }
        return (s0 + s1) + (s2 + s3)
    }

    private struct Pointer: @unchecked Sendable {
        let p: UnsafeMutablePointer<Double>
        init(_ p: UnsafeMutablePointer<Double>) { self.p = p }
    }
}
