import Foundation
import Testing
import GlassDynamics

/// The stored and the matrix-free TLS couplings are the same matrix with the same summation
/// orders: every operation, and so every solve, agrees bit for bit, for any thread count.
@Suite struct CouplingStorageTests {
    static func system(n: Int, t: Double = 0.05, seed: UInt64 = 17) -> TLSSystem {
        var p = TLSParameters()
        p.sites = n
        p.temperature = t
        return TLSSystem(parameters: p, seed: seed, realization: 3)
    }

    static func randomVector(_ n: Int, seed: UInt64) -> [Double] {
        var w = PairKernelTests.Words(state: seed)
        return (0..<n).map { _ in 2 * w.unit() - 1 }
    }

    /// N = 1100 spans three canonical blocks (512, 512, 80 with padding).
    @Test func multiplyIsBitIdenticalAndCorrect() throws {
        let system = Self.system(n: 1100)
        let stored = StoredTLSCouplings(system: system, threads: 2)
        let m = Self.randomVector(1100, seed: 5)
        var reference = [Double]()
        for threads in [1, 2] {
            let free = MatrixFreeTLSCouplings(system: system, threads: threads)
            var a = [Double](repeating: 0, count: 1100), b = a, sa = a, sb = a
            m.withUnsafeBufferPointer { mp in
                a.withUnsafeMutableBufferPointer { ap in
                    sa.withUnsafeMutableBufferPointer { sp in stored.multiply(mp, into: ap, absoluteRowSums: sp) }
                }
                b.withUnsafeMutableBufferPointer { bp in
                    sb.withUnsafeMutableBufferPointer { sp in free.multiply(mp, into: bp, absoluteRowSums: sp) }
                }
            }
            #expect(a == b)
            #expect(sa == sb)
            #expect(free.pairEvaluations == 1100 * 1099 / 2)
            if reference.isEmpty { reference = a } else { #expect(a == reference) }
        }
        // Against a plain double-precision sum of the stored values.
        for i in stride(from: 0, to: 1100, by: 37) {
            var s = 0.0, abs = 0.0
            for j in 0..<1100 {
                s += stored[i, j] * m[j]
                abs += Swift.abs(stored[i, j])
            }
            #expect(Swift.abs(reference[i] - s) <= 1e-12 * abs)
        }
        #expect(stored.maxAbsRowSum == MatrixFreeTLSCouplings(system: system).maxAbsRowSum)
    }

    /// A batch of column updates, with Philox partners (i, i xor 4) and a skipped block: batches
    /// of one, two and three column groups of the stored update (partial sums carried between
    /// groups), each row's sum in batch order exactly.
    @Test(arguments: [[512, 516, 513, 600, 604, 999, 1002, 998, 3],
                      [512, 516, 513, 600, 604, 999, 1002, 998, 3, 10, 14, 11, 15, 200, 204, 201, 205, 206, 202, 800],
                      [77]])
    func batchedColumnUpdatesAreBitIdentical(columns: [Int]) throws {
        let n = 1003
        let system = Self.system(n: n)
        let stored = StoredTLSCouplings(system: system)
        let free = MatrixFreeTLSCouplings(system: system, threads: 2)
        let scales = Self.randomVector(columns.count, seed: 9)
        for skip in [0..<0, 512..<640, 896..<1003] {
            var a = Self.randomVector(n, seed: 11), b = a
            let before = a
            columns.withUnsafeBufferPointer { cp in
                scales.withUnsafeBufferPointer { sp in
                    a.withUnsafeMutableBufferPointer { stored.addColumns(cp, scales: sp, to: $0, skipping: skip) }
                    b.withUnsafeMutableBufferPointer { free.addColumns(cp, scales: sp, to: $0, skipping: skip) }
                }
            }
            #expect(a == b)
            for k in 0..<n {
                if skip.contains(k) { #expect(a[k] == before[k]); continue }
                var s = 0.0
                for (t, j) in columns.enumerated() { s += stored[k, j] * scales[t] }
                #expect(a[k] == before[k] + s)
            }
        }
        var col = [Double](repeating: 0, count: 128), col2 = col
        stored.column(700, rows: 640..<768, into: &col)
        free.column(700, rows: 640..<768, into: &col2)
        #expect(col == col2)
        #expect(col[60] == 0 && col[61] == stored[701, 700])
    }

    /// The kinetic Monte Carlo's column update with its drift test fused into one pass (the
    /// `axpy_drift` kernel of every SIMD path) gives the fields and the drifted sites, in order,
    /// of the two-pass update on the stored and on the matrix-free couplings, bit for bit.
    @Test func fusedDriftTestEqualsTheTwoPassUpdateOnEveryPath() throws {
        let n = 1003
        let system = Self.system(n: n)
        let free = MatrixFreeTLSCouplings(system: system, threads: 1)
        let reference = Self.randomVector(n, seed: 22)
        let start = zip(reference, Self.randomVector(n, seed: 21)).map { $0 + 1e-3 * $1 }
        for path in SIMDPath.supported {
            let stored = StoredTLSCouplings(system: system, threads: 2, simd: path)
            for (j, scale, slack) in [(0, 0.5, 0.004), (517, -0.25, 0.006), (1002, 1.0, 0.01)] {
                var fused = start, twoPass = start, matrixFree = start
                var a = [Int32](), b = [Int32](), c = [Int32]()
                reference.withUnsafeBufferPointer { r in
                    fused.withUnsafeMutableBufferPointer {
                        stored.addColumnTestingDrift(j, scaledBy: scale, to: $0, reference: r, slack: slack, drifted: &a)
                    }
                    twoPass.withUnsafeMutableBufferPointer {
                        (stored as any SymmetricCouplings).addColumn(j, scaledBy: scale, to: $0, reference: r, slack: slack, drifted: &b)
                    }
                    matrixFree.withUnsafeMutableBufferPointer {
                        free.addColumn(j, scaledBy: scale, to: $0, reference: r, slack: slack, drifted: &c)
                    }
                }
                #expect(fused.map(\.bitPattern) == twoPass.map(\.bitPattern))
                #expect(fused.map(\.bitPattern) == matrixFree.map(\.bitPattern))
                #expect(a == b && a == c)
                #expect(!a.isEmpty && a.count < n)
                #expect(a == (0..<n).filter { abs(fused[$0] - reference[$0]) > slack }.map(Int32.init))
            }
        }
    }

    /// The requirement: the converged D of the stored and the matrix-free paths agree
    /// (here bit for bit), for one and two threads, in the paper and scripts conventions.
    @Test(arguments: [MeanFieldConvention.paper, .scripts])
    func solutionsAreBitIdentical(convention: MeanFieldConvention) throws {
        var p = TLSParameters()
        p.sites = 700
        p.convention = convention
        let system = TLSSystem(parameters: p, seed: 23, realization: 0)
        let (d0, r0) = TLSMeanField.solve(system, couplings: StoredTLSCouplings(system: system, threads: 2))
        #expect(r0.converged)
        for threads in [1, 2] {
            let free = MatrixFreeTLSCouplings(system: system, threads: threads)
            let (d1, r1) = TLSMeanField.solve(system, couplings: free)
            #expect(d0 == d1)
            #expect(r0.sweeps == r1.sweeps && r0.residual == r1.residual && r0.columnUpdates == r1.columnUpdates)
            // Stored: every pair once; matrix-free: K m twice and N - 128 pairs per column update.
            #expect(r0.pairEvaluations == 700 * 699 / 2)
            #expect(r1.pairEvaluations >= 700 * 699 + r1.columnUpdates * (700 - 128))
        }
    }

    /// Whole runs: the DOS and ln Gamma histograms of dense and matrix-free runs are equal.
    @Test func runsGiveTheSameHistograms() throws {
        var p = TLSParameters()
        p.sites = 500
        var s = RunSettings()
        s.realizations = 3
        s.threads = 2
        s.quiet = true
        let dense = try TLSExperiment(parameters: p, settings: s, storage: .dense).run()
        let free = try TLSExperiment(parameters: p, settings: s, storage: .matrixFree).run()
        #expect(dense.analysis.dos == free.analysis.dos)
        #expect(dense.analysis.lnRates == free.analysis.lnRates)
        #expect(dense.outcomes.map(\.energies) == free.outcomes.map(\.energies))
    }
}
