/// A symmetric N x N coupling matrix K with zero diagonal, as the mean-field solvers see it.
///
/// Two storage strategies implement it: a dense stored matrix (fast, N^2 memory) and a
/// matrix-free kernel that regenerates each K_ij from positions and the counter-based
/// generator (memory O(N)). Both give the same numbers, so the solvers cannot tell them apart.
package protocol SymmetricCouplings: Sendable {
    /// Number of sites N.
    var count: Int { get }
    /// Adds `scale * K[:, j]` to `field` (the incremental local-field update).
    func addColumn(_ j: Int, scaledBy scale: Double, to field: UnsafeMutableBufferPointer<Double>)
    /// Writes K m into `result` (a full local-field evaluation).
    func multiply(_ m: UnsafeBufferPointer<Double>, into result: UnsafeMutableBufferPointer<Double>)
    /// max_i sum_j |K_ij|: bounds how far a neglected change can move any local field.
    var maxAbsRowSum: Double { get }
    /// Pair evaluations performed so far (K_ij generated or read), for cost reports.
    var pairEvaluations: Int { get }
    /// Short name for summaries ("dense", "matrix-free").
    var storageName: String { get }
    /// Writes sum_j K_ij^2 v_j into `result`: the squared couplings' product of the TAP
    /// reaction term (``TLSOnsagerSolver``). The default reads every column with nonzero v_j
    /// through ``addColumn(_:scaledBy:to:)`` (N column reads, so N^2 pair evaluations
    /// matrix-free); sparse storages sum their stored entries.
    func multiplySquared(_ v: UnsafeBufferPointer<Double>, into result: UnsafeMutableBufferPointer<Double>)
}

extension SymmetricCouplings {
    /// ``addColumn(_:scaledBy:to:)``, then appends to `drifted` every k (in increasing order)
    /// whose new field is more than `slack` from `reference[k]`: the update and drift test of
    /// drift-bounded thinning, in two passes (``DriftTestedColumns`` storages fuse them).
    package func addColumn(_ j: Int, scaledBy scale: Double, to field: UnsafeMutableBufferPointer<Double>,
                           reference: UnsafeBufferPointer<Double>, slack: Double, drifted: inout [Int32]) {
        addColumn(j, scaledBy: scale, to: field)
        for k in 0..<field.count where abs(field[k] - reference[k]) > slack { drifted.append(Int32(k)) }
    }

    package func multiplySquared(_ v: UnsafeBufferPointer<Double>, into result: UnsafeMutableBufferPointer<Double>) {
        let n = count
        var column = [Double](repeating: 0, count: n)
        for i in 0..<n { result[i] = 0 }
        column.withUnsafeMutableBufferPointer { col in
            for j in 0..<n where v[j] != 0 {
                addColumn(j, scaledBy: 1, to: col)
                let vj = v[j]
                for i in 0..<n {
                    result[i] += col[i] * col[i] * vj
                    col[i] = 0
                }
            }
        }
    }

    /// sum_j K_ij^2 v_j as a new array (``multiplySquared(_:into:)``).
    package func multiplySquared(_ v: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: count)
        v.withUnsafeBufferPointer { vp in
            out.withUnsafeMutableBufferPointer { op in multiplySquared(vp, into: op) }
        }
        return out
    }

    /// K m as a new array.
    package func multiply(_ m: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: count)
        m.withUnsafeBufferPointer { mp in
            out.withUnsafeMutableBufferPointer { op in multiply(mp, into: op) }
        }
        return out
    }
}

/// Couplings whose column update can test the drift of every field in the same pass
/// (``SymmetricCouplings/addColumn(_:scaledBy:to:reference:slack:drifted:)``).
package protocol DriftTestedColumns: Sendable {
    func addColumnTestingDrift(_ j: Int, scaledBy scale: Double, to field: UnsafeMutableBufferPointer<Double>,
                               reference: UnsafeBufferPointer<Double>, slack: Double, drifted: inout [Int32])
}
