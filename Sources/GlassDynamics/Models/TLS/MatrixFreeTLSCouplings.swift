import Dispatch
import Synchronization

/// The TLS couplings J_ij = J u_ij / r_ij^3 regenerated on the fly from positions and the
/// per-pair generator: memory O(N), every use costs pair evaluations (counted).
public final class MatrixFreeTLSCouplings: SymmetricCouplings, Sendable {
    public let system: TLSSystem
    public let threads: Int
    public let maxAbsRowSum: Double
    public let storageName = "matrix-free"
    let evaluations = Atomic<Int>(0)

    public var count: Int { system.parameters.sites }
    public var pairEvaluations: Int { evaluations.load(ordering: .relaxed) }

    public init(system: TLSSystem, threads: Int = 1) {
        self.system = system
        self.threads = Swift.max(1, threads)
        let n = system.parameters.sites
        let workers = self.threads
        let sums = Mutex([Double](repeating: 0, count: n))
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var local = [Double](repeating: 0, count: n)
            var i = w
            while i < n {
                for j in (i + 1)..<Swift.max(i + 1, n) {
                    let a = abs(system.coupling(i, j))
                    local[i] += a
                    local[j] += a
                }
                i += workers
            }
            sums.withLock { s in for k in 0..<n { s[k] += local[k] } }
        }
        maxAbsRowSum = sums.withLock { $0.max() ?? 0 }
        evaluations.store(n * (n - 1) / 2, ordering: .relaxed)
    }

    public func addColumn(_ j: Int, scaledBy scale: Double, to field: UnsafeMutableBufferPointer<Double>) {
        let n = count
        for i in 0..<n where i != j {
            field[i] += scale * system.coupling(i, j)
        }
        evaluations.add(n - 1, ordering: .relaxed)
    }

    public func multiply(_ m: UnsafeBufferPointer<Double>, into result: UnsafeMutableBufferPointer<Double>) {
        let n = count
        let out = UnsafeSendablePointer(result.baseAddress!)
        let input = UnsafeSendableConstPointer(m.baseAddress!)
        let system = self.system
        // Rows interleaved over workers; each row is summed in the same order whatever the
        // worker count, so results do not depend on `threads`.
        DispatchQueue.concurrentPerform(iterations: Swift.min(threads, n)) { w in
            var i = w
            while i < n {
                var s = 0.0
                for j in 0..<n where j != i { s += system.coupling(i, j) * input.pointer[j] }
                out.pointer[i] = s
                i += threads
            }
        }
        evaluations.add(n * (n - 1), ordering: .relaxed)
    }
}

struct UnsafeSendableConstPointer: @unchecked Sendable {
    let pointer: UnsafePointer<Double>
    init(_ p: UnsafePointer<Double>) { pointer = p }
}
