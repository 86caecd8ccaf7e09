/// The random numbers of one kinetic Monte Carlo trajectory: a counter-based Philox stream
/// keyed by the run seed and addressed by (realization, trajectory, draw number), separate
/// from every stream of the disorder (``DrawPurpose/kineticMonteCarlo``).
///
/// Draw k of a trajectory is a pure function of (seed, realization, trajectory, k), so the
/// stream's whole state is the event counter: a trajectory is the same on any thread, for any
/// thread count or shard split, and after any interruption.
package struct KMCStream: Sendable {
    package let generator: Philox4x32
    package let realization: UInt32
    /// The purpose word: the KMC purpose in the low byte, the trajectory above it.
    let word: UInt32
    /// The purpose word of the start-state draws.
    let startWord: UInt32

    package init(seed: UInt64, realization: Int, trajectory: Int) {
        generator = Philox4x32(seed: seed)
        self.realization = UInt32(truncatingIfNeeded: realization)
        let t = UInt32(truncatingIfNeeded: trajectory) << 8
        word = DrawPurpose.kineticMonteCarlo.rawValue | t
        startWord = DrawPurpose.kineticMonteCarloStart.rawValue | t
    }

    /// The two uniforms on (0, 1) of draw `k` (event selection and waiting time).
    @inlinable
    package func uniforms(_ k: UInt64) -> (Double, Double) {
        generator.uniforms(UInt32(truncatingIfNeeded: k), UInt32(truncatingIfNeeded: k >> 32), realization, word)
    }

    /// A uniform on (0, 1) attached to site `i` for the start state (random filling, random spins).
    package func startUniform(_ i: Int) -> Double {
        generator.uniforms(UInt32(truncatingIfNeeded: i), 0, realization, startWord).0
    }
}
