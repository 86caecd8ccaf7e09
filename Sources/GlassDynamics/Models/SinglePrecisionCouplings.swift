import Dispatch

/// A symmetric coupling matrix stored in single precision (rows padded to a multiple of 8),
/// filled from a pair function evaluated once per unordered pair and rounded to `Float`:
/// half the memory and half the memory traffic of ``DenseCouplings``, and a
/// ``BatchedCouplings``, so the blocked Gauss-Seidel iteration (with its held-back changes)
/// drives it. Every product is accumulated in double precision in the canonical orders.
///
/// The electron glass uses it with `--coulomb-precision single` (the paper preset's Fig. 8):
/// the equations are then solved exactly for the rounded couplings, K_ij (1 + delta) with
/// |delta| <= 2^-24; the effect on the DOS is measured in docs/performance.md and bounded in
/// `SinglePrecisionCouplingTests`.
package final class SinglePrecisionCouplings: BatchedCouplings, @unchecked Sendable {
    // @unchecked: `storage` is written only during init; afterwards it is read-only.
    package let count: Int
    /// Floats per stored row (N rounded up to a multiple of 8; the padding is zero).
    package let stride: Int
    package let threads: Int
    package let storageName = "dense-single"
    /// N(N-1)/2: every pair is evaluated once, at build.
    package let pairEvaluations: Int
    let storage: UnsafeMutablePointer<Float>
    let lazyMaxAbsRowSum = Lazy<Double>()

    /// Bytes of the matrix for N sites.
    package static func bytes(sites n: Int) -> Double { Double(n) * Double((n + 7) & ~7) * 4 }

    /// Builds K from `pair(i, j)` for i < j, upper triangle rows dealt to `threads` workers,
    /// then mirrored in cache blocks.
    package init(count n: Int, threads: Int = 1, pair: @Sendable (Int, Int) -> Double) {
        count = n
        stride = (n + 7) & ~7
        self.threads = Swift.max(1, threads)
        pairEvaluations = n * (n - 1) / 2
        let ld = stride
        storage = MatrixBufferPool.map(bytes: Int(Self.bytes(sites: n))).bindMemory(to: Float.self, capacity: n * ld)
        let base = SendablePointer(storage)
        let workers = Swift.max(1, Swift.min(self.threads, n))
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var i = w
            while i < n {
                let row = base.pointer + i * ld
                row[i] = 0
                for j in (i + 1)..<Swift.max(i + 1, n) { row[j] = Float(pair(i, j)) }
                for j in n..<ld { row[j] = 0 }
                i += workers
            }
        }
        let block = 64
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var bi = w * block
            while bi < n {
                for bj in Swift.stride(from: 0, through: bi, by: block) {
                    for i in bi..<Swift.min(bi + block, n) {
                        for j in bj..<Swift.min(bj + block, i) { base.pointer[i * ld + j] = base.pointer[j * ld + i] }
                    }
                }
                bi += workers * block
            }
        }
    }

    deinit { MatrixBufferPool.unmap(UnsafeMutableRawPointer(storage), bytes: Int(Self.bytes(sites: count))) }

    package func coupling(_ i: Int, _ j: Int) -> Double { Double(storage[i * stride + j]) }

    /// max_i sum_j |K_ij| (computed once, on first use, in the canonical order).
    package var maxAbsRowSum: Double { lazyMaxAbsRowSum.value { computeMaxAbsRowSum() } }

    package func column(_ j: Int, rows: Range<Int>, into out: UnsafeMutablePointer<Double>) {
        let row = storage + j * stride
        for k in rows { out[k - rows.lowerBound] = Double(row[k]) }
    }

    package func addColumn(_ j: Int, scaledBy scale: Double, to field: UnsafeMutableBufferPointer<Double>) {
        let row = storage + j * stride
        for k in 0..<count { field[k] += Double(row[k]) * scale }
    }

    /// field[k] += sum_t K[k, j_t] s_t: the batch's sum per row in 4-lane pieces, in batch order.
    package func addColumns(_ columns: UnsafeBufferPointer<Int>, scales: UnsafeBufferPointer<Double>,
                           to field: UnsafeMutableBufferPointer<Double>, skipping: Range<Int>) {
        forRows(0..<count, skipping: skipping) { rows in
            var k = rows.lowerBound
            while k < rows.upperBound {
                let len = Swift.min(4096, rows.upperBound - k)
                withUnsafeTemporaryAllocation(of: Double.self, capacity: len + 4) { tmp in
                    let t = tmp.baseAddress!
                    t.initialize(repeating: 0, count: len + 4)
                    for (c, j) in columns.enumerated() {
                        let s = SIMD4<Double>(repeating: scales[c])
                        let row = UnsafeRawPointer(storage + j * stride + k)
                        var q = 0
                        while q < len {
                            let kv = SIMD4<Double>(row.loadUnaligned(fromByteOffset: 4 * q, as: SIMD4<Float>.self))
                            let acc = UnsafeRawPointer(t + q).loadUnaligned(as: SIMD4<Double>.self) + kv * s
                            UnsafeMutableRawPointer(t + q).storeBytes(of: acc, as: SIMD4<Double>.self)
                            q += 4
                        }
                    }
                    for q in 0..<len { field[k + q] += t[q] }
                }
                k += len
            }
        }
    }

    package func multiply(_ m: UnsafeBufferPointer<Double>, into result: UnsafeMutableBufferPointer<Double>) {
        multiply(m, into: result, absoluteRowSums: nil)
    }

    package func multiply(_ m: UnsafeBufferPointer<Double>, into result: UnsafeMutableBufferPointer<Double>,
                         absoluteRowSums: UnsafeMutableBufferPointer<Double>?) {
        let n = count, ld = stride
        var padded = [Double](repeating: 0, count: ld)
        for k in 0..<n { padded[k] = m[k] }
        padded.withUnsafeBufferPointer { mp in
            let out = SendablePointer(result.baseAddress!)
            let sums = absoluteRowSums.map { SendablePointer($0.baseAddress!) }
            let x = UnsafeSendableBuffer(mp)
            let workers = Swift.max(1, Swift.min(threads, n / 256))
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                var i = w
                while i < n {
                    let row = UnsafePointer(self.storage + i * ld)
                    var total = SIMD4<Double>(), absTotal = SIMD4<Double>()
                    var b = 0
                    while b < ld {
                        let len = Swift.min(CanonicalOrder.block, ld - b)
                        let (acc, absAcc) = CanonicalOrder.segment(row + b, x.buffer.baseAddress! + b, count: len)
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
    }
}
