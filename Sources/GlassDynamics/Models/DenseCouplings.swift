import CLAPACK
import Dispatch

/// A symmetric coupling matrix stored densely in row-major order (so row j = column j is
/// contiguous), filled from a pair function that is evaluated once per unordered pair.
package final class DenseCouplings: SymmetricCouplings, @unchecked Sendable {
    // @unchecked: `storage` is written only during init; afterwards it is read-only.
    package let count: Int
    let storage: UnsafeMutableBufferPointer<Double>
    package let maxAbsRowSum: Double
    package let storageName = "dense"
    /// N(N-1)/2 at build; reads are not counted (they are memory traffic, not pair work).
    package let pairEvaluations: Int

    /// Bytes needed for N sites.
    package static func bytes(sites n: Int) -> Double { Double(n) * Double(n) * 8 }

    /// Builds K from `pair(i, j)` for i < j, rows split over `threads` workers.
    package init(count n: Int, threads: Int = 1, pair: @Sendable (Int, Int) -> Double) {
        count = n
        storage = .allocate(capacity: n * n)
        let base = UnsafeSendablePointer(storage.baseAddress!)
        // Upper triangle, row by row; rows interleaved over workers to balance the triangle.
        let workers = Swift.max(1, Swift.min(threads, n))
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var i = w
            while i < n {
                let row = base.pointer + i * n
                row[i] = 0
                for j in (i + 1)..<Swift.max(i + 1, n) { row[j] = pair(i, j) }
                i += workers
            }
        }
        // Mirror into the lower triangle in cache-sized blocks.
        let block = 64
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var bi = w * block
            while bi < n {
                for bj in stride(from: 0, through: bi, by: block) {
                    for i in bi..<Swift.min(bi + block, n) {
                        for j in bj..<Swift.min(bj + block, i) {
                            base.pointer[i * n + j] = base.pointer[j * n + i]
                        }
                    }
                }
                bi += workers * block
            }
        }
        var m = 0.0
        for i in 0..<n {
            m = Swift.max(m, cblas_dasum(Int32(n), base.pointer + i * n, 1))
        }
        maxAbsRowSum = m
        pairEvaluations = n * (n - 1) / 2
    }

    deinit { storage.deallocate() }

    /// K_ij.
    package subscript(i: Int, j: Int) -> Double { storage[i * count + j] }

    package func addColumn(_ j: Int, scaledBy scale: Double, to field: UnsafeMutableBufferPointer<Double>) {
        cblas_daxpy(Int32(count), scale, storage.baseAddress! + j * count, 1, field.baseAddress!, 1)
    }

    package func multiply(_ m: UnsafeBufferPointer<Double>, into result: UnsafeMutableBufferPointer<Double>) {
        cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(count), Int32(count), 1.0,
                    storage.baseAddress!, Int32(count), m.baseAddress!, 1, 0.0, result.baseAddress!, 1)
    }
}

/// A raw pointer handed to worker closures that write disjoint regions of one buffer.
struct UnsafeSendablePointer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Double>
    init(_ p: UnsafeMutablePointer<Double>) { pointer = p }
}
