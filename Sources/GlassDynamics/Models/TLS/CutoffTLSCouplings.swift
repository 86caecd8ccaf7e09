import Dispatch
import Foundation
import Synchronization

/// The TLS couplings truncated at a distance r_c (`--cutoff`): J_ij for r_ij < r_c, exactly the
/// values of ``TLSPairKernel``, and 0 beyond. Stored as a symmetric sparse matrix (compressed
/// rows, 8 bytes per stored entry), found with a ``CellList``, so memory and work grow like
/// N r_c^3 instead of N^2.
///
/// What the truncation neglects is not small by construction: the field of the sites beyond
/// r_c on site i, sum_j J u_ij m_j / r_ij^3, has random signs and variance
/// 4 pi n J^2 <m^2> / (3 r_c^3) (n the site density), a standard deviation of about
/// 0.5 J (n / r_c^3)^(1/2) in Eq. 4 (prefactor 1/4): 0.05 J at r_c = 5, comparable to T = 0.05.
/// Its effect on the DOS and the ln Gamma histogram is measured against the exact sum in
/// docs/performance.md; the cutoff is an approximation to be chosen with that table.
package final class CutoffTLSCouplings: BatchedCouplings, @unchecked Sendable {
    // @unchecked: the arrays are written only in init.
    package let count: Int
    package let cutoff: Double
    package let threads: Int
    package let storageName = "cutoff"
    /// Pairs within the cutoff, each generated once.
    package let pairEvaluations: Int
    package let maxAbsRowSum: Double
    let rowStart: [Int]
    let columns: [Int32]
    let values: [Float]
    /// Per-row partial sums of addColumns (NaN = untouched), reused between calls.
    let scratch = Mutex([Double]())

    /// Stored entries per site (both directions), on average.
    package var meanNeighbours: Double { Double(columns.count) / Double(Swift.max(count, 1)) }

    /// Expected bytes for N sites at density `density` (transient peak while building).
    package static func bytes(sites n: Int, cutoff: Double, density: Double) -> Double {
        let pairs = Double(n) * 4 / 3 * Double.pi * cutoff * cutoff * cutoff * density / 2
        return pairs * 24 + Double(n) * 64
    }

    package init(system: TLSSystem, cutoff: Double, threads: Int = 1, simd: SIMDPath = .current) {
        let kernel = TLSPairKernel(system: system, simd: simd)
        let n = system.parameters.sites
        count = n
        self.cutoff = cutoff
        self.threads = Swift.max(1, threads)
        let box = system.box
        let cells = CellList.make(box: box, cutoff: cutoff)
        let r2max = cutoff * cutoff
        let side = box.side, inverse = 1 / box.side
        // The kernel's minimum-image convention (ties to even), in scalar form.
        @Sendable func distanceSquared(_ i: Int, _ j: Int) -> Double {
            var s = 0.0
            for k in 0..<3 {
                let d = box.coordinate(i, k) - box.coordinate(j, k)
                let w = d - (d * inverse).rounded(.toNearestOrEven) * side
                s += w * w
            }
            return s
        }
        // Upper neighbour lists (j > i) for blocks of sites, in parallel; concatenated in
        // block order, so the result does not depend on the thread count.
        let blockSize = 1024
        let blocks = (n + blockSize - 1) / blockSize
        let lists = Mutex([([Int32], [Float], [Int32])?](repeating: nil, count: blocks))
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: Swift.min(self.threads, blocks)) { _ in
            var candidates = [Int]()
            while true {
                let b = next.add(1, ordering: .relaxed).oldValue
                if b >= blocks { break }
                var js = [Int32](), vs = [Float](), counts = [Int32]()
                for i in (b * blockSize)..<Swift.min(n, (b + 1) * blockSize) {
                    candidates.removeAll(keepingCapacity: true)
                    if let cells {
                        cells.forEachCandidate(of: i) { j in
                            if j > i && distanceSquared(i, j) < r2max { candidates.append(j) }
                        }
                        candidates.sort()
                    } else {
                        for j in (i + 1)..<Swift.max(i + 1, n) where distanceSquared(i, j) < r2max { candidates.append(j) }
                    }
                    counts.append(Int32(candidates.count))
                    var q = 0
                    while q < candidates.count {
                        var b4 = SIMD4<Int>(repeating: candidates[q])
                        for l in 1..<4 where q + l < candidates.count { b4[l] = candidates[q + l] }
                        let k = kernel.pairs(SIMD4(repeating: i), b4)
                        for l in 0..<Swift.min(4, candidates.count - q) {
                            js.append(Int32(b4[l]))
                            vs.append(k[l])
                        }
                        q += 4
                    }
                }
                lists.withLock { $0[b] = (js, vs, counts) }
            }
        }
        // Symmetric compressed rows: pair (i, j) goes to row i and to row j, in pair order.
        let upper = lists.withLock { $0.map { $0! } }
        var degree = [Int](repeating: 0, count: n + 1)
        var pairs = 0
        for (b, (js, _, counts)) in upper.enumerated() {
            var p = 0
            for (r, c) in counts.enumerated() {
                let i = b * blockSize + r
                degree[i + 1] += Int(c)
                for q in p..<(p + Int(c)) { degree[Int(js[q]) + 1] += 1 }
                p += Int(c)
            }
            pairs += js.count
        }
        for i in 0..<n { degree[i + 1] += degree[i] }
        var fill = degree
        var cols = [Int32](repeating: 0, count: 2 * pairs)
        var vals = [Float](repeating: 0, count: 2 * pairs)
        for (b, (js, vs, counts)) in upper.enumerated() {
            var p = 0
            for (r, c) in counts.enumerated() {
                let i = b * blockSize + r
                for q in p..<(p + Int(c)) {
                    let j = Int(js[q])
                    cols[fill[i]] = Int32(j); vals[fill[i]] = vs[q]; fill[i] += 1
                    cols[fill[j]] = Int32(i); vals[fill[j]] = vs[q]; fill[j] += 1
                }
                p += Int(c)
            }
        }
        rowStart = degree
        columns = cols
        values = vals
        pairEvaluations = pairs
        var worst = 0.0
        for i in 0..<n {
            var s = 0.0
            for k in degree[i]..<degree[i + 1] { s += abs(Double(vals[k])) }
            worst = Swift.max(worst, s)
        }
        maxAbsRowSum = worst
    }

    /// K_ij (0 beyond the cutoff).
    package func coupling(_ i: Int, _ j: Int) -> Double {
        for k in rowStart[i]..<rowStart[i + 1] where Int(columns[k]) == j { return Double(values[k]) }
        return 0
    }

    package func addColumn(_ j: Int, scaledBy scale: Double, to field: UnsafeMutableBufferPointer<Double>) {
        columns.withUnsafeBufferPointer { c in
            values.withUnsafeBufferPointer { v in
                for k in rowStart[j]..<rowStart[j + 1] { field[Int(c[k])] += Double(v[k]) * scale }
            }
        }
    }

    package func column(_ j: Int, rows: Range<Int>, into out: UnsafeMutablePointer<Double>) {
        out.initialize(repeating: 0, count: rows.count)
        for k in rowStart[j]..<rowStart[j + 1] where rows.contains(Int(columns[k])) {
            out[Int(columns[k]) - rows.lowerBound] = Double(values[k])
        }
    }

    /// The canonical batched update (``BatchedCouplings``) restricted to the stored entries:
    /// per row, a sum from 0 over the batch in order, then added to the field.
    package func addColumns(_ batch: UnsafeBufferPointer<Int>, scales: UnsafeBufferPointer<Double>,
                           to field: UnsafeMutableBufferPointer<Double>, skipping: Range<Int>) {
        scratch.withLock { sums in
            if sums.count != count { sums = [Double](repeating: .nan, count: count) }
            var touched = [Int]()
            for (t, j) in batch.enumerated() {
                let s = scales[t]
                for k in rowStart[j]..<rowStart[j + 1] {
                    let row = Int(columns[k])
                    if skipping.contains(row) { continue }
                    let term = Double(values[k]) * s
                    if sums[row].isNaN {
                        touched.append(row)
                        sums[row] = 0 + term
                    } else {
                        sums[row] += term
                    }
                }
            }
            for row in touched {
                field[row] += sums[row]
                sums[row] = .nan
            }
        }
    }

    package func multiply(_ m: UnsafeBufferPointer<Double>, into result: UnsafeMutableBufferPointer<Double>) {
        multiply(m, into: result, absoluteRowSums: nil)
    }

    /// sum_j K_ij^2 v_j over the stored entries of each row.
    package func multiplySquared(_ v: UnsafeBufferPointer<Double>, into result: UnsafeMutableBufferPointer<Double>) {
        for i in 0..<count {
            var s = 0.0
            for k in rowStart[i]..<rowStart[i + 1] {
                let value = Double(values[k])
                s += value * value * v[Int(columns[k])]
            }
            result[i] = s
        }
    }

    /// K m in the canonical order of ``BatchedCouplings`` over the stored entries (rows are
    /// sorted by column): 4-lane block accumulators by column mod 4, blocks of 512 columns.
    package func multiply(_ m: UnsafeBufferPointer<Double>, into result: UnsafeMutableBufferPointer<Double>,
                         absoluteRowSums: UnsafeMutableBufferPointer<Double>?) {
        let n = count
        let out = SendablePointer(result.baseAddress!)
        let sums = absoluteRowSums.map { SendablePointer($0.baseAddress!) }
        let input = UnsafeSendableBuffer(m)
        let parts = Swift.min(threads, Swift.max(1, n / 4096))
        let per = (n + parts - 1) / parts
        let block = CanonicalOrder.block
        columns.withUnsafeBufferPointer { c in
            values.withUnsafeBufferPointer { v in
                let cs = UnsafeSendableBuffer(c), vs = UnsafeSendableBuffer(v)
                DispatchQueue.concurrentPerform(iterations: parts) { p in
                    for i in (p * per)..<Swift.min(n, (p + 1) * per) {
                        var total = SIMD4<Double>(), absTotal = SIMD4<Double>()
                        var acc = SIMD4<Double>(), absAcc = SIMD4<Double>()
                        var current = -1
                        for k in rowStart[i]..<rowStart[i + 1] {
                            let col = Int(cs.buffer[k])
                            if col / block != current {
                                total += acc; absTotal += absAcc
                                acc = SIMD4(); absAcc = SIMD4()
                                current = col / block
                            }
                            let value = Double(vs.buffer[k])
                            acc[col & 3] += value * input.buffer[col]
                            absAcc[col & 3] += abs(value)
                        }
                        total += acc; absTotal += absAcc
                        out.pointer[i] = CanonicalOrder.total(total)
                        sums?.pointer[i] = CanonicalOrder.total(absTotal)
                    }
                }
            }
        }
    }
}
