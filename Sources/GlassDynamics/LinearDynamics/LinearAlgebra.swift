import CLAPACK

/// The LAPACK calls of the exact linear relaxation (issue #11), through LAPACKE on matrices
/// in LAPACK's own column-major layout (``ColumnMajorMatrix``). Nothing here is a hand-written
/// eigensolver: every factorisation and spectrum is LAPACK's.
package enum LinearAlgebra {
    /// The outcome of a generalized symmetric-definite eigenproblem (``generalized``).
    package enum GeneralizedResult: Sendable {
        /// Eigenvalues ascending; with vectors, column k of the first matrix holds eigenvector k.
        case solved(eigenvalues: [Double])
        /// B is not positive definite: its leading minor of this order is not positive (LAPACK
        /// info = N + order). For a mean-field linearisation: the solution is not a local minimum.
        case notPositiveDefinite(order: Int)
    }

    static func char(_ s: String) -> CChar { CChar(UInt8(ascii: s.unicodeScalars.first!)) }

    /// Eigenvalues (ascending) and, if `vectors`, eigenvectors (overwriting `a`, column k the
    /// normalised eigenvector k) of the symmetric matrix whose lower triangle is in `a`
    /// (LAPACK dsyevd, divide and conquer).
    package static func symmetricEigen(_ a: ColumnMajorMatrix, vectors: Bool) throws -> [Double] {
        let n = LAPACKInt(a.count)
        var w = [Double](repeating: 0, count: a.count)
        let info = LAPACKE_dsyevd(LAPACK_COL_MAJOR, char(vectors ? "V" : "N"), char("L"), n, a.baseAddress, n, &w)
        guard info == 0 else { throw GlassDynamicsError.io("LAPACK dsyevd failed (info \(info))") }
        return w
    }

    /// The generalized symmetric-definite eigenproblem (LAPACK dsygvd), lower triangles of
    /// `a` and `b` read:
    /// - `itype` 1: A x = lambda B x;
    /// - `itype` 2: A B x = lambda x;
    /// - `itype` 3: B A x = lambda x.
    /// B must be positive definite; its Cholesky factor (left in `b`) is computed first and
    /// its failure is returned as ``GeneralizedResult/notPositiveDefinite(order:)``, never
    /// thrown away. With `vectors`, `a` is overwritten by the eigenvectors Z, normalised as
    /// Z^T B Z = I (itype 1, 2) or Z^T B^-1 Z = I (itype 3).
    package static func generalized(itype: Int, _ a: ColumnMajorMatrix, _ b: ColumnMajorMatrix,
                                   vectors: Bool) throws -> GeneralizedResult {
        precondition(a.count == b.count)
        let n = LAPACKInt(a.count)
        var w = [Double](repeating: 0, count: a.count)
        let info = LAPACKE_dsygvd(LAPACK_COL_MAJOR, LAPACKInt(itype), char(vectors ? "V" : "N"), char("L"),
                                  n, a.baseAddress, n, b.baseAddress, n, &w)
        if info > n { return .notPositiveDefinite(order: Int(info - n)) }
        guard info == 0 else { throw GlassDynamicsError.io("LAPACK dsygvd failed (info \(info))") }
        return .solved(eigenvalues: w)
    }

    /// Solves A X = B for symmetric positive definite A (lower triangle read; LAPACK dposv).
    /// `b` is N x nrhs column-major; returns nil when A is not positive definite.
    package static func solvePositiveDefinite(_ a: ColumnMajorMatrix, _ b: [Double]) throws -> [Double]? {
        let n = a.count
        precondition(b.count % n == 0)
        var x = b
        let info = LAPACKE_dposv(LAPACK_COL_MAJOR, char("L"), LAPACKInt(n), LAPACKInt(b.count / n),
                                 a.baseAddress, LAPACKInt(n), &x, LAPACKInt(n))
        if info > 0 { return nil }
        guard info == 0 else { throw GlassDynamicsError.io("LAPACK dposv failed (info \(info))") }
        return x
    }

    /// The inverse of a general square matrix (LAPACK dgesv on the identity); nil when singular.
    /// Destroys `a`.
    package static func inverse(_ a: ColumnMajorMatrix) throws -> ColumnMajorMatrix? {
        let n = a.count
        let x = ColumnMajorMatrix(count: n)
        for j in 0..<n { for i in 0..<n { x[i, j] = i == j ? 1 : 0 } }
        var pivots = [LAPACKInt](repeating: 0, count: n)
        let info = LAPACKE_dgesv(LAPACK_COL_MAJOR, LAPACKInt(n), LAPACKInt(n), a.baseAddress, LAPACKInt(n),
                                 &pivots, x.baseAddress, LAPACKInt(n))
        if info > 0 { return nil }
        guard info == 0 else { throw GlassDynamicsError.io("LAPACK dgesv failed (info \(info))") }
        return x
    }

    /// C = alpha A B + beta C for N x N column-major matrices (BLAS dgemm).
    package static func multiply(_ a: ColumnMajorMatrix, _ b: ColumnMajorMatrix, into c: ColumnMajorMatrix,
                                alpha: Double = 1, beta: Double = 0) {
        let n = Int32(a.count)
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, n, n, n, alpha, a.baseAddress, n,
                    b.baseAddress, n, beta, c.baseAddress, n)
    }
}
