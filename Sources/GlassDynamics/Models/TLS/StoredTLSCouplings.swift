import CGlassKernels
import Dispatch
import Synchronization

/// The TLS couplings stored as an N x N single-precision matrix (rows padded to a multiple of
/// 8): 4 N^2 bytes, half of a double matrix, and every value exactly the one
/// ``TLSPairKernel`` (and so the matrix-free path) gives.
///
/// Built by the vectorized kernel: the upper triangle row by row (four Philox blocks per eight
/// pairs), rows dealt to `threads` workers, then mirrored into the lower triangle in cache
/// blocks, so K[:, j] is the contiguous row j for the solver's column updates.
package final class StoredTLSCouplings: BatchedCouplings, @unchecked Sendable {
    // @unchecked: `storage` is written only during init; afterwards it is read-only.
    package let count: Int
    /// Floats per stored row (N rounded up to a multiple of 8; the padding is zero).
    package let stride: Int
    package let threads: Int
    package let storageName = "dense"
    /// N(N-1)/2: every pair is generated once, at build.
    package let pairEvaluations: Int
    let storage: UnsafeMutablePointer<Float>
    let pool: MatrixBufferPool?
    /// The instruction-set path of the build, the column updates and K m.
    package let simd: SIMDPath
    let kernels: glass_kernels
    let lazyMaxAbsRowSum = Lazy<Double>()

    /// Floats per row of the canonical sums (N rounded up to a multiple of 8).
    let summed: Int

    /// Floats per stored row for N sites: N rounded up to a multiple of 16, so that 16
    /// consecutive columns of a row are one 64-byte cache line.
    static func rowStride(sites n: Int) -> Int { (n + 15) & ~15 }

    /// Bytes of the matrix for N sites.
    package static func bytes(sites n: Int) -> Double { Double(n) * Double(rowStride(sites: n)) * 4 }

    /// Builds the matrix on `threads` workers, in a buffer from `pool` when given (a run
    /// recycles one matrix per concurrent realization).
    ///
    /// Work goes in bands of 16 rows, claimed one at a time from the bottom of the matrix up (so
    /// the workers get equal shares, and a fresh buffer's pages are populated just ahead of the
    /// bands that write them, see the body). A band is generated in tiles of 16 x 128 pairs above the diagonal; each
    /// tile is stored as rows of the band and, transposed while still in L1, as 16-float (one
    /// cache line) pieces of the rows below, so no separate mirror pass reads the matrix again.
    package init(system: TLSSystem, threads: Int = 1, pool: MatrixBufferPool? = nil, simd: SIMDPath = .current) {
        let kernel = TLSPairKernel(system: system, simd: simd)
        self.simd = simd
        kernels = simd.kernels
        let n = kernel.count, ld = Self.rowStride(sites: n)
        count = n
        stride = ld
        summed = kernel.paddedCount
        self.threads = Swift.max(1, threads)
        self.pool = pool
        pairEvaluations = n * (n - 1) / 2
        let bytes = Int(Self.bytes(sites: n))
        let (buffer, fresh) = pool?.acquireUnpopulated(bytes: bytes)
            ?? (MatrixBufferPool.mapUnpopulated(bytes: bytes), true)
        storage = buffer.bindMemory(to: Float.self, capacity: n * ld)
        let base = SendablePointer(storage)
        let workers = Swift.max(1, Swift.min(self.threads, n / 64))
        let band = 16, width = 128
        let bands = (n + band - 1) / band
        // Fresh pages are populated band by band (MADV_POPULATE_WRITE), bottom band first, by
        // the first worker to arrive while the others build: populating is kernel work that
        // scales poorly over threads, so it runs beside the arithmetic instead of before it.
        // Bands are built bottom-up too (band b writes only rows b * 16 ..< n), and a builder
        // that catches up populates its band's rows itself, so no page is faulted in one by one.
        let next = Atomic<Int>(0), roles = Atomic<Int>(fresh ? 0 : 1)
        let populated = Atomic<Int>(fresh ? 0 : bands)
        let raw = SendablePointer(UnsafeMutablePointer<UInt8>(OpaquePointer(storage)))
        let rowBytes = ld * 4
        @Sendable func populate(_ t: Int) {
            let b = bands - 1 - t
            MatrixBufferPool.populate(UnsafeMutableRawPointer(raw.pointer),
                                      bytes: (b * band * rowBytes)..<(Swift.min(n, (b + 1) * band) * rowBytes))
        }
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            if roles.add(1, ordering: .relaxed).oldValue == 0 {
                while true {
                    let t = populated.add(1, ordering: .relaxed).oldValue
                    if t >= bands { break }
                    populate(t)
                }
            }
            while true {
                let t = next.add(1, ordering: .relaxed).oldValue
                if t >= bands { break }
                while populated.load(ordering: .relaxed) <= t {
                    let u = populated.add(1, ordering: .relaxed).oldValue
                    if u >= bands { break }
                    populate(u)
                }
                let b = bands - 1 - t
                Self.buildBand(kernel, rows: (b * band)..<Swift.min(n, (b + 1) * band), n: n, ld: ld,
                               storage: base.pointer, width: width)
            }
        }
    }

    /// Rows `rows` (16 of them, the last band possibly fewer) above the diagonal, and their
    /// mirror images below it. Each 16 x 128 tile is written into the band's rows, then read
    /// back (still in L1) column by column for the rows below.
    static func buildBand(_ kernel: TLSPairKernel, rows: Range<Int>, n: Int, ld: Int,
                          storage: UnsafeMutablePointer<Float>, width: Int) {
        let i0 = rows.lowerBound, band = rows.count
        var j0 = i0
        while j0 < n {
            let j1 = Swift.min(n, j0 + width)
            for i in rows {
                // Lanes at or below the diagonal get scratch values, fixed below.
                let b0 = Swift.max(j0, (i + 1) & ~7)
                kernel.row(i, from: b0, to: Swift.max(b0, (j1 + 7) & ~7), into: storage + i * ld)
            }
            let m0 = Swift.max(j0, rows.upperBound)
            if m0 < j1 { kernel.kernels.mirror(storage, Int64(ld), Int64(i0), Int64(band), Int64(m0), Int64(j1)) }
            j0 = j1
        }
        // The band's diagonal block below the diagonal, the diagonal, and the padding.
        for i in rows {
            let row = storage + i * ld
            for j in i0..<i { row[j] = storage[j * ld + i] }
            row[i] = 0
            for j in n..<ld { row[j] = 0 }
        }
    }

    deinit {
        let bytes = Int(Self.bytes(sites: count))
        if let pool { pool.release(UnsafeMutableRawPointer(storage), bytes: bytes) } else {
            MatrixBufferPool.unmap(UnsafeMutableRawPointer(storage), bytes: bytes)
        }
    }

    /// K_ij.
    package subscript(i: Int, j: Int) -> Double { Double(storage[i * stride + j]) }

    package func coupling(_ i: Int, _ j: Int) -> Double { self[i, j] }

    /// max_i sum_j |K_ij| (computed once, on first use, in the canonical order).
    package var maxAbsRowSum: Double {
        lazyMaxAbsRowSum.value { computeMaxAbsRowSum() }
    }

    package func column(_ j: Int, rows: Range<Int>, into out: UnsafeMutablePointer<Double>) {
        let row = storage + j * stride
        for k in rows { out[k - rows.lowerBound] = Double(row[k]) }
    }

    package func addColumn(_ j: Int, scaledBy scale: Double, to field: UnsafeMutableBufferPointer<Double>) {
        kernels.axpy(storage + j * stride, scale, field.baseAddress!, Int64(count))
    }

    package func addColumns(_ columns: UnsafeBufferPointer<Int>, scales: UnsafeBufferPointer<Double>,
                           to field: UnsafeMutableBufferPointer<Double>, skipping: Range<Int>) {
        let n = count
        let work = columns.count * n
        let parts = work >= 100_000 ? threads : 1
        let f = SendablePointer(field.baseAddress!)
        let cols = UnsafeSendableBuffer(columns), sc = UnsafeSendableBuffer(scales)
        // Rows are cut into pieces of a multiple of 8; each row is summed the same way in any piece.
        let piece = ((n + parts - 1) / parts + 7) & ~7
        let body: @Sendable (Int) -> Void = { p in
            let lo = p * piece, hi = Swift.min(n, lo + piece)
            if lo >= hi { return }
            forRows(lo..<hi, skipping: skipping) { self.addColumns(cols.buffer, sc.buffer, f.pointer, rows: $0) }
        }
        if parts == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: parts, execute: body) }
    }

    /// The canonical batched update of the rows in `rows`, in slabs of 16384 rows (long
    /// contiguous reads of each stored column; the partial sums stay in L2).
    func addColumns(_ columns: UnsafeBufferPointer<Int>, _ scales: UnsafeBufferPointer<Double>,
                    _ field: UnsafeMutablePointer<Double>, rows: Range<Int>) {
        CanonicalOrder.addColumns(of: storage, stride: stride, kernels: kernels, columns, scales, field,
                                  rows: rows, slab: 16384)
    }

    package func multiply(_ m: UnsafeBufferPointer<Double>, into result: UnsafeMutableBufferPointer<Double>) {
        multiply(m, into: result, absoluteRowSums: nil)
    }

    package func multiply(_ m: UnsafeBufferPointer<Double>, into result: UnsafeMutableBufferPointer<Double>,
                         absoluteRowSums: UnsafeMutableBufferPointer<Double>?) {
        CanonicalOrder.multiplyRows(of: storage, stride: stride, rows: count, summed: summed, threads: threads,
                                    kernels: kernels, m, into: result, absoluteRowSums: absoluteRowSums)
    }
}

/// A buffer handed to worker closures that only read it.
struct UnsafeSendableBuffer<T>: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<T>
    init(_ b: UnsafeBufferPointer<T>) { buffer = b }
}

extension StoredTLSCouplings: DriftTestedColumns {
    /// The column update and the drift test in one vectorized pass (`axpy_drift`): the same
    /// field values as ``addColumn(_:scaledBy:to:)`` and the same drifted sites, in order.
    package func addColumnTestingDrift(_ j: Int, scaledBy scale: Double, to field: UnsafeMutableBufferPointer<Double>,
                                       reference: UnsafeBufferPointer<Double>, slack: Double, drifted: inout [Int32]) {
        let n = count
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: n) { out in
            let found = Int(kernels.axpy_drift(storage + j * stride, scale, field.baseAddress!, reference.baseAddress!,
                                               slack, Int64(n), out.baseAddress!))
            drifted.append(contentsOf: out.prefix(found))
        }
    }
}
