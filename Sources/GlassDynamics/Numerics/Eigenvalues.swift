import CLAPACK

/// LAPACKE's `lapack_int` (a C macro Swift cannot import): 32-bit in Debian's LP64 build.
typealias LAPACKInt = Int32

/// Eigenvalues (no eigenvectors) of a matrix built in LAPACK's layout, through LAPACKE.
///
/// Both routines overwrite the matrix. The `_work` entry points are called with a workspace
/// query first, so LAPACKE neither copies the matrix (it is already column-major) nor scans
/// it for NaNs; the cost is LAPACK's alone. OpenBLAS's thread count (`BLASThreads`, package
/// API) is whatever the caller has set.
public enum Eigenvalues {
    /// Which LAPACK routine computed a spectrum (written to summaries).
    /// The LAPACK driver that produced a spectrum.
    public enum Routine: String, Sendable, CaseIterable, Codable {
        /// Symmetric divide and conquer (Householder tridiagonalisation, then root-free QR for
        /// eigenvalues only): every eigenvalue with absolute error about N eps ||A||_2.
        case dsyevd
        /// General real nonsymmetric (balancing, Hessenberg QR); complex pairs possible.
        case dgeev
        /// Preconditioned one-sided Jacobi SVD of the subtraction-free Cholesky factor of the
        /// rate matrix (``AccurateSlowModes``): every rate with a uniform relative error bound.
        case dgejsv
    }

    /// Eigenvalues in ascending order of the symmetric matrix whose lower triangle and
    /// diagonal are stored in `a` (the strict upper triangle is never read). Destroys `a`.
    package static func symmetric(_ a: ColumnMajorMatrix) throws -> [Double] {
        let n = LAPACKInt(a.count)
        var w = [Double](repeating: 0, count: a.count)
        var workQuery = 0.0
        var iworkQuery: LAPACKInt = 0
        var info = LAPACKE_dsyevd_work(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "N")), CChar(UInt8(ascii: "L")),
                                       n, a.baseAddress, n, &w, &workQuery, -1, &iworkQuery, -1)
        guard info == 0 else { throw GlassDynamicsError.io("LAPACK dsyevd workspace query failed (info \(info))") }
        var work = [Double](repeating: 0, count: Swift.max(1, Int(workQuery)))
        var iwork = [LAPACKInt](repeating: 0, count: Swift.max(1, Int(iworkQuery)))
        info = LAPACKE_dsyevd_work(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "N")), CChar(UInt8(ascii: "L")),
                                   n, a.baseAddress, n, &w, &work, LAPACKInt(work.count),
                                   &iwork, LAPACKInt(iwork.count))
        guard info == 0 else { throw GlassDynamicsError.io("LAPACK dsyevd failed to converge (info \(info))") }
        return w
    }

    /// Eigenvalues (real and imaginary parts, in LAPACK's order) of the general matrix `a`.
    /// Destroys `a`.
    package static func general(_ a: ColumnMajorMatrix) throws -> (real: [Double], imaginary: [Double]) {
        let n = LAPACKInt(a.count)
        var wr = [Double](repeating: 0, count: a.count)
        var wi = [Double](repeating: 0, count: a.count)
        var vl = 0.0, vr = 0.0   // not referenced with jobvl = jobvr = 'N'
        var workQuery = 0.0
        let no = CChar(UInt8(ascii: "N"))
        var info = LAPACKE_dgeev_work(LAPACK_COL_MAJOR, no, no, n, a.baseAddress, n, &wr, &wi,
                                      &vl, 1, &vr, 1, &workQuery, -1)
        guard info == 0 else { throw GlassDynamicsError.io("LAPACK dgeev workspace query failed (info \(info))") }
        var work = [Double](repeating: 0, count: Swift.max(1, Int(workQuery)))
        info = LAPACKE_dgeev_work(LAPACK_COL_MAJOR, no, no, n, a.baseAddress, n, &wr, &wi,
                                  &vl, 1, &vr, 1, &work, LAPACKInt(work.count))
        guard info == 0 else { throw GlassDynamicsError.io("LAPACK dgeev failed to converge (info \(info))") }
        return (wr, wi)
    }
}
