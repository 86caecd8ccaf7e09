import Dispatch
import CGlassKernels

/// Couplings that the blocked Gauss-Seidel solver can drive (``GaussSeidelSolver``): a batch of
/// column updates at once, one column restricted to a few rows, and K m with the row sums of
/// |K| in the same pass.
///
/// Every operation fixes its floating-point summation order (below), independent of threads
/// and of how K is stored. Two implementations that return the same K_ij therefore return the
/// same bits, and the solver takes the same path through every threshold decision: the stored
/// and the matrix-free TLS couplings give bit-identical solutions.
///
/// Canonical orders (B = ``CanonicalOrder/block`` sites, chunks of 4 consecutive sites):
/// - multiply: for row i and each block J of columns, a 4-lane accumulator starts at 0 and adds
///   K[i, 4c..4c+3] * m[4c..4c+3] for the chunks c of J in increasing order; a 4-lane total
///   starts at 0 and adds the block accumulators in increasing J; the result is
///   (t0 + t1) + (t2 + t3). Row sums of |K| likewise with |K| in place of K m.
/// - addColumns: for each row k outside the skipped range, a sum starts at 0 and adds
///   K[k, j_t] * s_t in the order of the batch; the sum is then added to field[k].
package protocol BatchedCouplings: SymmetricCouplings {
    /// K_ij for one pair (0 for i = j).
    func coupling(_ i: Int, _ j: Int) -> Double
    /// Writes K[k, j] for k in `rows` (a range starting at a multiple of 8) into `out`.
    func column(_ j: Int, rows: Range<Int>, into out: UnsafeMutablePointer<Double>)
    /// field[k] += sum_t K[k, columns[t]] scales[t] for every k outside `skipping`.
    func addColumns(_ columns: UnsafeBufferPointer<Int>, scales: UnsafeBufferPointer<Double>,
                    to field: UnsafeMutableBufferPointer<Double>, skipping: Range<Int>)
    /// K m into `result`, and the row sums of |K| into `absoluteRowSums` when given.
    func multiply(_ m: UnsafeBufferPointer<Double>, into result: UnsafeMutableBufferPointer<Double>,
                  absoluteRowSums: UnsafeMutableBufferPointer<Double>?)
}

/// The fixed block structure of the canonical summation orders.
package enum CanonicalOrder {
    /// Sites per block of the canonical multiply (a multiple of 8).
    package static let block = 512

    /// (t0 + t1) + (t2 + t3).
    @inline(__always)
    package static func total(_ t: SIMD4<Double>) -> Double { (t[0] + t[1]) + (t[2] + t[3]) }

    /// field[k] += sum_t K[k, j_t] s_t for k in `rows`, K stored in single precision with row
    /// stride `stride` (K symmetric: column j is row j). The canonical batched update: for each
    /// row a sum starts at 0 and adds K[k, j_t] s_t in batch order, then goes into the field.
    /// Done by the `axpy_group` kernel, per slab of `slab` rows, ``columnGroup`` columns per
    /// pass (the sum kept in registers across a group and in a partial-sum buffer in cache
    /// between groups), so each row gets the same operations in the same order whatever the
    /// slab and the group: the bits depend on neither. Shared by the TLS and electron-glass
    /// matrices.
    package static func addColumns(of storage: UnsafeMutablePointer<Float>, stride: Int, kernels: glass_kernels,
                                   _ columns: UnsafeBufferPointer<Int>, _ scales: UnsafeBufferPointer<Double>,
                                   _ field: UnsafeMutablePointer<Double>, rows: Range<Int>, slab: Int) {
        let count = columns.count
        if count == 0 || rows.isEmpty { return }
        let group = columnGroup
        withUnsafeTemporaryAllocation(of: UnsafePointer<Float>?.self, capacity: count) { pointers in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: count > group ? slab : 1) { tmp in
                let t = tmp.baseAddress!, p = pointers.baseAddress!, sc = scales.baseAddress!
                var lo = rows.lowerBound
                while lo < rows.upperBound {
                    let len = Swift.min(slab, rows.upperBound - lo)
                    for c in 0..<count { p[c] = UnsafePointer(storage + columns[c] * stride + lo) }
                    var g = 0
                    while g < count {
                        let width = Swift.min(group, count - g)
                        let last = g + width == count
                        kernels.axpy_group(p + g, sc + g, Int64(width), g == 0 ? 1 : 0, t,
                                           last ? field + lo : nil, Int64(len))
                        g += width
                    }
                    lo += len
                }
            }
        }
    }

    /// Columns summed per pass of the batched update (register accumulators over this many
    /// read streams).
    package static let columnGroup = 8

    /// result[i] = sum_j K_ij m_j (and, when asked, sum_j |K_ij|) for the `n` rows of a matrix
    /// stored in single precision with row stride `stride`, each row summed over its first
    /// `summed` entries (zero padding past N) in blocks of ``block`` by ``segment(_:_:count:_:)``:
    /// the canonical order, the same bits for any `threads` (rows are spread over the workers
    /// whole) and on every SIMD path. Shared by the TLS and electron-glass stored matrices.
    package static func multiplyRows(of storage: UnsafeMutablePointer<Float>, stride: Int, rows n: Int, summed: Int,
                                     threads: Int, kernels: glass_kernels, _ m: UnsafeBufferPointer<Double>,
                                     into result: UnsafeMutableBufferPointer<Double>,
                                     absoluteRowSums: UnsafeMutableBufferPointer<Double>?) {
        let padded = UnsafeMutablePointer<Double>.allocate(capacity: stride)
        defer { padded.deallocate() }
        padded.initialize(repeating: 0, count: stride)
        for k in 0..<n { padded[k] = m[k] }
        let mp = SendablePointer(padded), matrix = SendablePointer(storage)
        let out = SendablePointer(result.baseAddress!)
        let sums = absoluteRowSums.map { SendablePointer($0.baseAddress!) }
        let workers = Swift.max(1, Swift.min(threads, n / 256))
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var i = w
            while i < n {
                let row = UnsafePointer(matrix.pointer + i * stride)
                var total = SIMD4<Double>(), absTotal = SIMD4<Double>()
                var b = 0
                while b < summed {
                    let len = Swift.min(block, summed - b)
                    let (acc, absAcc) = segment(row + b, mp.pointer + b, count: len, kernels)
                    total += acc
                    absTotal += absAcc
                    b += len
                }
                out.pointer[i] = CanonicalOrder.total(total)
                sums?.pointer[i] = CanonicalOrder.total(absTotal)
                i += workers
            }
        }
    }

    /// The block accumulators of one row segment stored in single precision:
    /// (sum of K m, sum of |K|) over `count` entries (a multiple of 4) in chunk order.
    @inline(__always)
    static func segment(_ row: UnsafePointer<Float>, _ m: UnsafePointer<Double>, count: Int,
                        _ kernels: glass_kernels) -> (SIMD4<Double>, SIMD4<Double>)
    {
        var acc = SIMD4<Double>(), absAcc = SIMD4<Double>()
        withUnsafeMutableBytes(of: &acc) { a in
            withUnsafeMutableBytes(of: &absAcc) { b in
                kernels.segment(row, m, Int64(count), a.baseAddress!.assumingMemoryBound(to: Double.self),
                                b.baseAddress!.assumingMemoryBound(to: Double.self))
            }
        }
        return (acc, absAcc)
    }

    /// The Swift reference of the C `segment` kernel (same bits).
    package static func referenceSegment(_ row: UnsafePointer<Float>, _ m: UnsafePointer<Double>, count: Int)
        -> (SIMD4<Double>, SIMD4<Double>)
    {
        var acc = SIMD4<Double>(), absAcc = SIMD4<Double>()
        var b = 0
        while b < count {
            let k = SIMD4<Double>(UnsafeRawPointer(row + b).loadUnaligned(as: SIMD4<Float>.self))
            acc += k * UnsafeRawPointer(m + b).loadUnaligned(as: SIMD4<Double>.self)
            absAcc += k.replacing(with: -k, where: k .< 0)
            b += 4
        }
        return (acc, absAcc)
    }
}

/// A raw pointer handed to worker closures that read or write disjoint regions.
struct SendablePointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ p: UnsafeMutablePointer<T>) { pointer = p }
}

extension BatchedCouplings {
    /// max_i sum_j |K_ij| by one full pass of ``multiply(_:into:absoluteRowSums:)`` (summed in
    /// the canonical order, so every storage gets the same value). Conformers cache it.
    func computeMaxAbsRowSum() -> Double {
        let n = count
        let m = [Double](repeating: 0, count: n)
        var out = m, sums = m
        m.withUnsafeBufferPointer { mp in
            out.withUnsafeMutableBufferPointer { op in
                sums.withUnsafeMutableBufferPointer { sp in multiply(mp, into: op, absoluteRowSums: sp) }
            }
        }
        return sums.max() ?? 0
    }
}

/// Calls `body` with the parts of `rows` outside `skipping`, in order (none, one or two
/// ranges): the batched updates leave the rows of the current block alone.
@inline(__always)
func forRows(_ rows: Range<Int>, skipping: Range<Int>, _ body: (Range<Int>) -> Void) {
    if skipping.lowerBound > rows.lowerBound {
        body(rows.lowerBound..<Swift.min(rows.upperBound, skipping.lowerBound))
    }
    if skipping.upperBound < rows.upperBound {
        body(Swift.max(rows.lowerBound, skipping.upperBound)..<rows.upperBound)
    }
}
