import Dispatch
import Foundation
import GlassDynamics
import Synchronization

/// How fast this machine could possibly generate couplings: the ceilings the benchmark
/// compares its measured pair evaluations per second with.
public enum MachinePeak {
    /// Floating-point operations in one TLS coupling (double precision), counted from the
    /// source of ``TLSPairKernel``: per pair 44 for the geometry (3 x 6 minimum image, 5 for
    /// r^2, 17 for r^-1 by four Newton steps, 2 for r^-3, 2 for J u r^-3) and half of the 94 of
    /// one Box-Muller block (2 x 2 uniforms, 29 log, 18 radius, 40 sin/cos, 2 products), which
    /// serves two pairs. The Philox integer work (about 20 64-bit vector operations per pair)
    /// is not counted, so the bound below is optimistic.
    public static let flopsPerPair = 91.0

    /// Peak double-precision throughput on `threads` cores (flop/s) at the vector width of the
    /// process's ``SIMDPath``: eight independent 4-lane multiply-add chains per thread (separate
    /// multiply and add, as in the kernels), for about `seconds`.
    public static func floatingPointPeak(threads: Int, seconds: Double = 0.3) -> Double {
        let total = Mutex(0.0)
        let kernels = SIMDPath.current.kernels
        DispatchQueue.concurrentPerform(iterations: Swift.max(1, threads)) { _ in
            var clock = Stopwatch()
            var elapsed = 0.0, rounds = 0, sink = 0.0
            while elapsed < seconds {
                sink += kernels.flop_chains(10_000)
                rounds += 1
                elapsed += clock.lap()
            }
            // 8 chains x 4 lanes x 2 flops per step; `sink` keeps the work observable.
            let flops = Double(rounds) * 10_000 * 64 + (sink.isNaN ? 1 : 0)
            total.withLock { $0 += flops / elapsed }
        }
        return total.withLock { $0 }
    }

    /// Pairs per second of the coupling kernel alone (no memory traffic, no solver) on
    /// `threads` cores, on the process's ``SIMDPath``: the ceiling of this implementation on
    /// this machine.
    public static func kernelThroughput(threads: Int, seconds: Double = 0.5) -> Double {
        var p = TLSParameters()
        p.sites = 4096
        let kernel = TLSPairKernel(system: TLSSystem(parameters: p, seed: 1, realization: 0))
        let total = Mutex(0.0), sink = Mutex(Float(0))
        DispatchQueue.concurrentPerform(iterations: Swift.max(1, threads)) { w in
            var acc = SIMD4<Float>()
            var clock = Stopwatch()
            var elapsed = 0.0, pairs = 0, i = w
            let row = UnsafeMutablePointer<Float>.allocate(capacity: 4096)
            defer { row.deallocate() }
            while elapsed < seconds {
                kernel.row(i, from: 0, to: 4096, into: row)
                acc += UnsafeRawPointer(row + 8 * (i & 511)).loadUnaligned(as: SIMD4<Float>.self)
                pairs += 4096
                i = (i + 1) & 4095
                if i & 63 == 0 { elapsed += clock.lap() }
            }
            let rate = Double(pairs) / elapsed
            // Keep the work observable: the sums (NaN on the diagonal lanes) go to the sink.
            total.withLock { $0 += rate }
            sink.withLock { $0 += acc.sum() }
        }
        return total.withLock { $0 }
    }
}
