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

    /// Peak double-precision throughput of this binary on `threads` cores (flop/s): eight
    /// independent 4-lane multiply-add chains per thread, as the compiler vectorizes them for
    /// the build's target (SSE2 on a default x86-64 build), for about `seconds`.
    public static func floatingPointPeak(threads: Int, seconds: Double = 0.3) -> Double {
        let total = Mutex(0.0)
        DispatchQueue.concurrentPerform(iterations: Swift.max(1, threads)) { w in
            typealias D4 = SIMD4<Double>
            var a0 = D4(repeating: 1 + Double(w)), a1 = a0 + 1, a2 = a0 + 2, a3 = a0 + 3
            var a4 = a0 + 4, a5 = a0 + 5, a6 = a0 + 6, a7 = a0 + 7
            let b = D4(repeating: 0.999_999_9), c = D4(repeating: 1e-7)
            var clock = Stopwatch()
            var elapsed = 0.0, rounds = 0
            while elapsed < seconds {
                for _ in 0..<10_000 {
                    a0 = a0 * b + c; a1 = a1 * b + c; a2 = a2 * b + c; a3 = a3 * b + c
                    a4 = a4 * b + c; a5 = a5 * b + c; a6 = a6 * b + c; a7 = a7 * b + c
                }
                rounds += 1
                elapsed += clock.lap()
            }
            let sum = (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7).sum()
            // 8 chains x 4 lanes x 2 flops per step; `sum` keeps the work observable.
            let flops = Double(rounds) * 10_000 * 64 + (sum.isNaN ? 1 : 0)
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
