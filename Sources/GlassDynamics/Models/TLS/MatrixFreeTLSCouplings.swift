import Dispatch
import Synchronization

/// The TLS couplings J_ij = J u_ij / r_ij^3 regenerated on the fly by ``TLSPairKernel``:
/// memory O(N), every use costs pair evaluations (counted in ``pairEvaluations``).
///
/// Same values and same summation orders (``BatchedCouplings``) as ``StoredTLSCouplings``, so a
/// solve gives bit-identical results either way. K m evaluates each unordered pair once: a tile
/// of 512 x 512 pairs feeds both its rows and (through four accumulators, one per row mod 4)
/// its columns. Column updates sweep their rows eight at a time; below the column's own group
/// of eight, a column and its Philox partner (j xor 4) share their four blocks when both are
/// in the batch.
package final class MatrixFreeTLSCouplings: BatchedCouplings, Sendable {
    package let system: TLSSystem
    package let kernel: TLSPairKernel
    package let threads: Int
    package let storageName = "matrix-free"
    let evaluations = Atomic<Int>(0)
    let lazyMaxAbsRowSum = Lazy<Double>()

    package var count: Int { kernel.count }
    package var pairEvaluations: Int { evaluations.load(ordering: .relaxed) }

    package init(system: TLSSystem, threads: Int = 1, simd: SIMDPath = .current) {
        self.system = system
        kernel = TLSPairKernel(system: system, simd: simd)
        self.threads = Swift.max(1, threads)
    }

    /// max_i sum_j |K_ij| (one full pass on first use; the solver takes the sums from its
    /// first K m instead).
    package var maxAbsRowSum: Double {
        lazyMaxAbsRowSum.value { computeMaxAbsRowSum() }
    }

    package func coupling(_ i: Int, _ j: Int) -> Double {
        evaluations.add(1, ordering: .relaxed)
        return kernel.coupling(i, j)
    }

    package func column(_ j: Int, rows: Range<Int>, into out: UnsafeMutablePointer<Double>) {
        var k0 = rows.lowerBound
        precondition(k0 & 7 == 0)
        while k0 < rows.upperBound {
            let (lo, hi) = kernel.chunk(j, k0)
            for k in 0..<Swift.min(8, rows.upperBound - k0) { out[k0 - rows.lowerBound + k] = k < 4 ? lo[k] : hi[k - 4] }
            k0 += 8
        }
        evaluations.add(rows.count, ordering: .relaxed)
    }

    package func addColumn(_ j: Int, scaledBy scale: Double, to field: UnsafeMutableBufferPointer<Double>) {
        var c = j, s = scale
        withUnsafeMutablePointer(to: &c) { cp in
            withUnsafeMutablePointer(to: &s) { sp in
                addColumns(UnsafeBufferPointer(start: cp, count: 1), scales: UnsafeBufferPointer(start: sp, count: 1),
                           to: field, skipping: 0..<0)
            }
        }
    }

    package func addColumns(_ columns: UnsafeBufferPointer<Int>, scales: UnsafeBufferPointer<Double>,
                           to field: UnsafeMutableBufferPointer<Double>, skipping: Range<Int>) {
        let n = count
        let chunks = (n + 7) / 8
        let parts = Swift.max(1, Swift.min(threads, chunks * columns.count / 2048))
        let f = SendablePointer(field.baseAddress!)
        let cols = UnsafeSendableBuffer(columns), sc = UnsafeSendableBuffer(scales)
        let per = (chunks + parts - 1) / parts
        let body: @Sendable (Int) -> Void = { p in
            let lo = p * per * 8, hi = Swift.min(n, (p + 1) * per * 8)
            if lo >= hi { return }
            forRows(lo..<hi, skipping: skipping) { self.addColumns(cols.buffer, sc.buffer, f.pointer, rows: $0) }
        }
        if parts == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: parts, execute: body) }
        let skipped = Swift.max(0, Swift.min(n, skipping.upperBound) - Swift.max(0, skipping.lowerBound))
        evaluations.add(columns.count * (n - skipped), ordering: .relaxed)
    }

    /// Rows `rows` (starting at a multiple of 8) of the canonical batched update.
    func addColumns(_ columns: UnsafeBufferPointer<Int>, _ scales: UnsafeBufferPointer<Double>,
                    _ field: UnsafeMutablePointer<Double>, rows: Range<Int>) {
        let kernel = self.kernel
        var k0 = rows.lowerBound
        precondition(k0 & 7 == 0)
        while k0 < rows.upperBound {
            var lo = SIMD4<Double>(), hi = SIMD4<Double>()
            var t = 0
            while t < columns.count {
                let j = columns[t]
                let s = SIMD4<Double>(repeating: scales[t])
                if k0 + 8 <= j & ~7 && t + 1 < columns.count && columns[t + 1] == j ^ 4 {
                    // Both members of the Philox blocks (a, (j, j xor 4)) for the eight rows.
                    let a = kernel.lowerQuad(k0, larger: j), b = kernel.lowerQuad(k0 + 4, larger: j)
                    let s2 = SIMD4<Double>(repeating: scales[t + 1])
                    lo += SIMD4<Double>(a.member) * s
                    hi += SIMD4<Double>(b.member) * s
                    lo += SIMD4<Double>(a.partner) * s2
                    hi += SIMD4<Double>(b.partner) * s2
                    t += 2
                    continue
                }
                let (cl, ch) = kernel.chunk(j, k0)
                lo += cl * s
                hi += ch * s
                t += 1
            }
            let end = Swift.min(8, rows.upperBound - k0)
            for k in 0..<end { field[k0 + k] += k < 4 ? lo[k] : hi[k - 4] }
            k0 += 8
        }
    }

    package func multiply(_ m: UnsafeBufferPointer<Double>, into result: UnsafeMutableBufferPointer<Double>) {
        multiply(m, into: result, absoluteRowSums: nil)
    }

    /// K m in the canonical order, each unordered pair generated once.
    ///
    /// Row blocks I go in increasing order; within one, the tiles (I, J >= I) are shared out to
    /// the workers. A tile's row part (block accumulators of rows in I) is kept per (row, J)
    /// and added in J order once the step ends; its column part (accumulators of rows in J, by
    /// row mod 4) is added to the totals of J at once, which is in increasing I for every row.
    package func multiply(_ m: UnsafeBufferPointer<Double>, into result: UnsafeMutableBufferPointer<Double>,
                         absoluteRowSums: UnsafeMutableBufferPointer<Double>?) {
        typealias D4 = SIMD4<Double>
        let n = count, np = kernel.paddedCount
        let block = CanonicalOrder.block
        let blocks = (np + block - 1) / block
        let wantAbs = absoluteRowSums != nil
        let mPadded = UnsafeMutablePointer<Double>.allocate(capacity: np)
        mPadded.initialize(repeating: 0, count: np)
        for k in 0..<n { mPadded[k] = m[k] }
        let totals = UnsafeMutablePointer<D4>.allocate(capacity: 2 * np)
        totals.initialize(repeating: D4(), count: 2 * np)
        // Row-part accumulators of the current row block: [row in block][J - I], K m and |K|.
        let rowAcc = UnsafeMutablePointer<D4>.allocate(capacity: 2 * block * blocks)
        defer {
            mPadded.deallocate()
            totals.deallocate()
            rowAcc.deallocate()
        }
        let mp = SendablePointer(mPadded), tp = SendablePointer(totals), rp = SendablePointer(rowAcc)
        let kernel = self.kernel
        let workers = Swift.max(1, threads)
        for bi in 0..<blocks {
            let iLo = bi * block, iHi = Swift.min(np, iLo + block)
            let tiles = blocks - bi
            let next = Atomic<Int>(0)
            DispatchQueue.concurrentPerform(iterations: Swift.min(workers, tiles)) { _ in
                // Per-worker scratch: a diagonal tile, or column accumulators by row mod 4.
                let scratch = UnsafeMutablePointer<Float>.allocate(capacity: block * block)
                let colAcc = UnsafeMutablePointer<D4>.allocate(capacity: 8 * (block / 4))
                defer {
                    scratch.deallocate()
                    colAcc.deallocate()
                }
                while true {
                    let t = next.add(1, ordering: .relaxed).oldValue
                    if t >= tiles { break }
                    let bj = bi + t
                    let jLo = bj * block, jHi = Swift.min(np, jLo + block)
                    if bj == bi {
                        Self.diagonalTile(kernel, iLo, iHi, n: n, scratch: scratch, m: mp.pointer,
                                          rowAcc: rp.pointer, blocks: blocks)
                    } else {
                        Self.offDiagonalTile(kernel, iLo, iHi, jLo, jHi, n: n, m: mp.pointer, rowAcc: rp.pointer,
                                             slot: t, blocks: blocks, colAcc: colAcc, totals: tp.pointer,
                                             np: np, wantAbs: wantAbs)
                    }
                }
            }
            // Row part of this block, in increasing J.
            for i in iLo..<iHi {
                let r = rowAcc + 2 * blocks * (i - iLo)
                var t = totals[i], a = totals[np + i]
                for s in 0..<tiles {
                    t += r[2 * s]
                    a += r[2 * s + 1]
                }
                totals[i] = t
                totals[np + i] = a
            }
        }
        for i in 0..<n {
            result[i] = CanonicalOrder.total(totals[i])
            absoluteRowSums?[i] = CanonicalOrder.total(totals[np + i])
        }
        evaluations.add(n * (n - 1) / 2, ordering: .relaxed)
    }

    /// The tile (I, I): generated as its upper triangle, mirrored, then summed row by row like
    /// a stored row segment.
    static func diagonalTile(_ kernel: TLSPairKernel, _ lo: Int, _ hi: Int, n: Int,
                             scratch: UnsafeMutablePointer<Float>, m: UnsafeMutablePointer<Double>,
                             rowAcc: UnsafeMutablePointer<SIMD4<Double>>, blocks: Int) {
        let w = hi - lo
        for i in lo..<hi {
            let row = UnsafeMutableRawPointer(scratch + (i - lo) * w)
            var b0 = (i + 1) & ~7
            while b0 < hi {
                let (a, b) = kernel.upperChunk(i, b0)
                row.storeBytes(of: a, toByteOffset: 4 * (b0 - lo), as: SIMD4<Float>.self)
                row.storeBytes(of: b, toByteOffset: 4 * (b0 - lo) + 16, as: SIMD4<Float>.self)
                b0 += 8
            }
        }
        for r in 0..<w {
            for c in 0..<r { scratch[r * w + c] = scratch[c * w + r] }
            scratch[r * w + r] = 0
        }
        // Beyond N: zero rows and columns.
        if hi > n {
            for r in 0..<w {
                for c in 0..<w where lo + r >= n || lo + c >= n { scratch[r * w + c] = 0 }
            }
        }
        for i in lo..<hi {
            let (acc, absAcc) = CanonicalOrder.segment(scratch + (i - lo) * w, m + lo, count: w, kernel.kernels)
            rowAcc[2 * blocks * (i - lo)] = acc
            rowAcc[2 * blocks * (i - lo) + 1] = absAcc
        }
    }

    /// The tile (I, J), I < J: every pair i < j, generated once.
    static func offDiagonalTile(_ kernel: TLSPairKernel, _ iLo: Int, _ iHi: Int, _ jLo: Int, _ jHi: Int, n: Int,
                                m: UnsafeMutablePointer<Double>, rowAcc: UnsafeMutablePointer<SIMD4<Double>>,
                                slot: Int, blocks: Int, colAcc: UnsafeMutablePointer<SIMD4<Double>>,
                                totals: UnsafeMutablePointer<SIMD4<Double>>, np: Int, wantAbs: Bool) {
        typealias D4 = SIMD4<Double>
        let quads = (jHi - jLo) / 4
        // colAcc[(row mod 4) * quads + q] holds lanes j = jLo + 4q..<+4; then the |K| copies.
        colAcc.initialize(repeating: D4(), count: 8 * quads)
        let limit = SIMD4<Int64>(repeating: Int64(n))
        let needsMask = jHi > n
        for i in iLo..<iHi {
            let mi = D4(repeating: m[i])
            let lane = (i - iLo) & 3
            let cRow = colAcc + lane * quads, cAbs = colAcc + (4 + lane) * quads
            var acc = D4(), absAcc = D4()
            var b0 = jLo
            while b0 < jHi {
                let (fa, fb) = kernel.upperChunk(i, b0)
                var ka = D4(fa), kb = D4(fb)
                if needsMask {
                    ka = ka.replacing(with: 0, where: TLSPairKernel.laneIndices(b0) .>= limit)
                    kb = kb.replacing(with: 0, where: TLSPairKernel.laneIndices(b0 + 4) .>= limit)
                }
                let q = (b0 - jLo) / 4
                acc += ka * UnsafeRawPointer(m + b0).loadUnaligned(as: D4.self)
                acc += kb * UnsafeRawPointer(m + b0 + 4).loadUnaligned(as: D4.self)
                cRow[q] += ka * mi
                cRow[q + 1] += kb * mi
                if wantAbs {
                    let aa = ka.replacing(with: -ka, where: ka .< 0), ab = kb.replacing(with: -kb, where: kb .< 0)
                    absAcc += aa
                    absAcc += ab
                    cAbs[q] += aa
                    cAbs[q + 1] += ab
                }
                b0 += 8
            }
            if i >= n { acc = D4(); absAcc = D4() }
            rowAcc[2 * blocks * (i - iLo) + 2 * slot] = acc
            rowAcc[2 * blocks * (i - iLo) + 2 * slot + 1] = absAcc
        }
        // Column part: rows j of block J, lane l = sum over rows i = l mod 4 of block I.
        for q in 0..<quads {
            for k in 0..<4 {
                let j = jLo + 4 * q + k
                totals[j] += D4(colAcc[q][k], colAcc[quads + q][k], colAcc[2 * quads + q][k], colAcc[3 * quads + q][k])
                totals[np + j] += D4(colAcc[4 * quads + q][k], colAcc[5 * quads + q][k],
                                     colAcc[6 * quads + q][k], colAcc[7 * quads + q][k])
            }
        }
    }
}
