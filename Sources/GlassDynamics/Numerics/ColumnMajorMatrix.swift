/// A square N x N matrix of doubles in LAPACK's own layout (column-major, leading dimension
/// N): element (i, j) sits at `i + j * N`, so a column is contiguous. Matrices handed to the
/// eigensolvers are built in place in this buffer; LAPACK works on it without a copy or a
/// transposition.
///
/// The memory is allocated uninitialised: a builder writes exactly the part LAPACK reads
/// (for a symmetric solver, one triangle and the diagonal).
package final class ColumnMajorMatrix: @unchecked Sendable {
    // @unchecked: builders write disjoint elements from several threads (each thread owns
    // whole columns or pairs of elements); the buffer is never resized.
    package let count: Int
    package let storage: UnsafeMutableBufferPointer<Double>

    /// Bytes held by an N x N matrix.
    package static func bytes(count n: Int) -> Double { Double(n) * Double(n) * 8 }

    package init(count n: Int) {
        precondition(n >= 1)
        count = n
        storage = .allocate(capacity: n * n)
    }

    /// A copy of another matrix (for benchmarks and cross-checks: the solvers destroy theirs).
    package convenience init(copying other: ColumnMajorMatrix) {
        self.init(count: other.count)
        _ = storage.initialize(from: other.storage)
    }

    deinit { storage.deallocate() }

    /// Element (i, j).
    package subscript(i: Int, j: Int) -> Double {
        get { storage[i + j * count] }
        set { storage[i + j * count] = newValue }
    }

    /// Pointer to the first element, for LAPACK and for builders.
    package var baseAddress: UnsafeMutablePointer<Double> { storage.baseAddress! }
}
