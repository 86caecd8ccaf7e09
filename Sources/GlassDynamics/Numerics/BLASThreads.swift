import CLAPACK

/// OpenBLAS's own thread pool. GlassDynamics parallelises over realizations with its own
/// workers, so BLAS runs single-threaded inside them (no oversubscription); a single large
/// job may hand BLAS the cores instead.
package enum BLASThreads {
    package static func set(_ n: Int) { openblas_set_num_threads(Int32(Swift.max(1, n))) }
    package static var current: Int { Int(openblas_get_num_threads()) }
}
