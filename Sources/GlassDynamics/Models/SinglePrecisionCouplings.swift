import CGlassKernels
import Dispatch

/// The electron glass's Coulomb couplings stored in single precision (rows padded to a multiple
/// of 8), each computed in double and rounded to `Float`:
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
    /// N(N-1): every pair is evaluated twice, at build (whole rows).
    package let pairEvaluations: Int
    let storage: UnsafeMutablePointer<Float>
    let pool: MatrixBufferPool?
    let lazyMaxAbsRowSum = Lazy<Double>()

    /// Bytes of the matrix for N sites.
    package static func bytes(sites n: Int) -> Double { Double(n) * Double((n + 7) & ~7) * 4 }

    /// The 2D Coulomb couplings K_ij = e^2 / r_ij (minimum image) of the sites of `box`, each
    /// computed in double precision exactly as ``EGSystem/coupling(_:_:)`` computes it and
    /// rounded to `Float`. Whole rows are computed (each pair twice, 4 pairs per vector
    /// operation; the minimum image is odd in the separation, so K stays exactly symmetric)
    /// and dealt to `threads` workers: no mirror pass reads the matrix again. The rows are
    /// computed by the C kernel of `simd` (the same bits on every path as
    /// `coulombRowReference`), into a buffer from `pool` when given (a run recycles one matrix
    /// per concurrent realization instead of mapping fresh pages each time).
    package init(coulomb box: PeriodicBox, chargeSquared e2: Double, threads: Int = 1,
                 pool: MatrixBufferPool? = nil, simd: SIMDPath = .current) {
        precondition(box.dimension == 2)
        let n = box.count
        count = n
        stride = (n + 7) & ~7
        self.threads = Swift.max(1, threads)
        pairEvaluations = n * (n - 1)
        let ld = stride
        self.pool = pool
        let bytes = Int(Self.bytes(sites: n))
        storage = (pool?.acquire(bytes: bytes, threads: self.threads)
                   ?? MatrixBufferPool.map(bytes: bytes, threads: self.threads))
            .bindMemory(to: Float.self, capacity: n * ld)
        let kernels = simd.kernels
        let base = SendablePointer(storage)
        let side = box.side
        // Coordinates split by axis and padded to the row stride (the padding columns are set to 0).
        var xs = [Double](repeating: 0, count: ld), ys = xs
        for i in 0..<n { xs[i] = box.coordinate(i, 0); ys[i] = box.coordinate(i, 1) }
        precondition(xs.allSatisfy { $0 >= 0 && $0 <= side } && ys.allSatisfy { $0 >= 0 && $0 <= side },
                     "sites must lie in the box (the minimum image below assumes |separation| <= L)")
        let workers = Swift.max(1, Swift.min(self.threads, n / 64))
        xs.withUnsafeBufferPointer { xp in
            ys.withUnsafeBufferPointer { yp in
                let x = UnsafeSendableBuffer(xp), y = UnsafeSendableBuffer(yp)
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    var i = w
                    while i < n {
                        let row = base.pointer + i * ld
                        kernels.coulomb_row(x.buffer.baseAddress!, y.buffer.baseAddress!, x.buffer[i], y.buffer[i],
                                            side, e2, Int64(ld), row)
                        row[i] = 0
                        for j in n..<ld { row[j] = 0 }
                        i += workers
                    }
                }
            }
        }
    }

    /// q rounded to the nearest integer, ties away from zero, for |q| < 1.5 (the separations of
    /// sites inside the box): -1, 0 or 1 by two comparisons, where SSE2 has no vector rounding.
    @inline(__always)
    static func roundedImage(_ q: SIMD4<Double>) -> SIMD4<Double> {
        SIMD4<Double>(repeating: 0).replacing(with: 1, where: q .>= 0.5).replacing(with: -1, where: q .<= -0.5)
    }

    /// Row i of K: e^2 / sqrt(wrap(dx)^2 + wrap(dy)^2), wrap(d) = d - L round(d / L) (ties away
    /// from zero, as ``PeriodicBox/wrap(_:)``), 0 on the diagonal and in the padding. The
    /// reference the C kernels (`coulomb_row` of every SIMD path) are tested against.
    package static func coulombRowReference(_ i: Int, x: UnsafeBufferPointer<Double>, y: UnsafeBufferPointer<Double>,
                           side: Double, e2: Double, count n: Int, into row: UnsafeMutablePointer<Float>) {
        let xi = SIMD4<Double>(repeating: x[i]), yi = SIMD4<Double>(repeating: y[i])
        let l = SIMD4<Double>(repeating: side), q = SIMD4<Double>(repeating: e2)
        var j = 0
        while j < x.count {
            var dx = UnsafeRawPointer(x.baseAddress! + j).loadUnaligned(as: SIMD4<Double>.self) - xi
            var dy = UnsafeRawPointer(y.baseAddress! + j).loadUnaligned(as: SIMD4<Double>.self) - yi
            dx = dx - l * Self.roundedImage(dx / l)
            dy = dy - l * Self.roundedImage(dy / l)
            let k = q / (dx * dx + dy * dy).squareRoot()
            UnsafeMutableRawPointer(row + j).storeBytes(of: SIMD4<Float>(k), as: SIMD4<Float>.self)
            j += 4
        }
        row[i] = 0
        for j in n..<x.count { row[j] = 0 }
    }

    deinit {
        let bytes = Int(Self.bytes(sites: count))
        if let pool { pool.release(UnsafeMutableRawPointer(storage), bytes: bytes) } else {
            MatrixBufferPool.unmap(UnsafeMutableRawPointer(storage), bytes: bytes)
        }
    }

    package func coupling(_ i: Int, _ j: Int) -> Double { Double(storage[i * stride + j]) }

    /// max_i sum_j |K_ij| (computed once, on first use, in the canonical order).
    package var maxAbsRowSum: Double { lazyMaxAbsRowSum.value { computeMaxAbsRowSum() } }

    package func column(_ j: Int, rows: Range<Int>, into out: UnsafeMutablePointer<Double>) {
        let row = storage + j * stride
        for k in rows { out[k - rows.lowerBound] = Double(row[k]) }
    }

    /// field += scale K[:, j], four rows per vector operation (each row's value is the same
    /// K_kj * scale added to field[k] as in a scalar loop).
    package func addColumn(_ j: Int, scaledBy scale: Double, to field: UnsafeMutableBufferPointer<Double>) {
        SIMDPath.current.kernels.axpy(storage + j * stride, scale, field.baseAddress!, Int64(count))
    }

    /// field[k] += sum_t K[k, j_t] s_t: the batch's sum per row in 4-lane pieces, in batch order.
    package func addColumns(_ columns: UnsafeBufferPointer<Int>, scales: UnsafeBufferPointer<Double>,
                           to field: UnsafeMutableBufferPointer<Double>, skipping: Range<Int>) {
        let kernels = SIMDPath.current.kernels
        forRows(0..<count, skipping: skipping) { rows in
            CanonicalOrder.addColumns(of: storage, stride: stride, kernels: kernels, columns, scales,
                                      field.baseAddress!, rows: rows, slab: 4096)
        }
    }

    package func multiply(_ m: UnsafeBufferPointer<Double>, into result: UnsafeMutableBufferPointer<Double>) {
        multiply(m, into: result, absoluteRowSums: nil)
    }

    package func multiply(_ m: UnsafeBufferPointer<Double>, into result: UnsafeMutableBufferPointer<Double>,
                         absoluteRowSums: UnsafeMutableBufferPointer<Double>?) {
        CanonicalOrder.multiplyRows(of: storage, stride: stride, rows: count, summed: stride, threads: threads,
                                    kernels: SIMDPath.current.kernels, m, into: result,
                                    absoluteRowSums: absoluteRowSums)
    }
}

/// Couplings seen without their batched operations, so ``GaussSeidelSolver`` takes its plain
/// site-by-site iteration (the one ``DenseCouplings`` gets) on them.
package struct UnbatchedCouplings<C: SymmetricCouplings>: SymmetricCouplings {
    package let base: C
    package init(_ base: C) { self.base = base }
    package var count: Int { base.count }
    package var maxAbsRowSum: Double { base.maxAbsRowSum }
    package var pairEvaluations: Int { base.pairEvaluations }
    package var storageName: String { base.storageName }
    package func addColumn(_ j: Int, scaledBy scale: Double, to field: UnsafeMutableBufferPointer<Double>) {
        base.addColumn(j, scaledBy: scale, to: field)
    }
    package func multiply(_ m: UnsafeBufferPointer<Double>, into result: UnsafeMutableBufferPointer<Double>) {
        base.multiply(m, into: result)
    }
}
