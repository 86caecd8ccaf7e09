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
