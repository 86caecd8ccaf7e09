/// What a draw is for. Each purpose addresses its own region of the Philox counter space, so
/// adding a new kind of draw never shifts the numbers an existing one sees.
package enum DrawPurpose: UInt32, Sendable {
    case position = 1
    case siteEnergy = 2
    case tunneling = 3
    case initialState = 4
    case coupling = 5
    case bootstrap = 6
    case order = 7
    /// Kinetic Monte Carlo event draws (the trajectory index sits above the low byte).
    case kineticMonteCarlo = 8
    /// Kinetic Monte Carlo start states.
    case kineticMonteCarloStart = 9
}

/// The random numbers of one realization: a view of the run's Philox generator with the
/// realization index fixed. Draws are addressed, not sequential, so any site or pair can be
/// (re)drawn on any thread.
package struct RealizationStreams: Sendable {
    package let generator: Philox4x32
    package let realization: UInt32

    package init(seed: UInt64, realization: Int) {
        generator = Philox4x32(seed: seed)
        self.realization = UInt32(truncatingIfNeeded: realization)
    }

    /// Two uniforms on (0, 1) for item `index` of `purpose`; `slot` distinguishes several
    /// draws of the same item (e.g. the coordinates of one site).
    @inlinable
    package func uniforms(_ purpose: DrawPurpose, index: Int, slot: Int = 0) -> (Double, Double) {
        generator.uniforms(UInt32(truncatingIfNeeded: index), UInt32(truncatingIfNeeded: slot),
                           realization, purpose.rawValue)
    }

    /// One uniform on (0, 1).
    @inlinable
    package func uniform(_ purpose: DrawPurpose, index: Int, slot: Int = 0) -> Double {
        uniforms(purpose, index: index, slot: slot).0
    }

    /// One standard normal for item `index` of `purpose`.
    @inlinable
    package func normal(_ purpose: DrawPurpose, index: Int, slot: Int = 0) -> Double {
        generator.normal(UInt32(truncatingIfNeeded: index), UInt32(truncatingIfNeeded: slot),
                         realization, purpose.rawValue)
    }

    /// The standard normal attached to the unordered pair {i, j} (i != j): symmetric by
    /// construction, u_ij = u_ji, because the counter uses (min, max). The scheme (two pairs per
    /// Philox block, Box-Muller) is defined in ``PairNormals``; the vectorized pair kernels
    /// produce exactly these numbers.
    package func pairNormal(_ i: Int, _ j: Int) -> Double {
        PairNormals(self).normal(i, j)
    }
}
