import Foundation

/// One disorder realization of the electron glass: N sites in the 2D periodic box, bare
/// energies eps_i uniform on [-W/2, W/2], and the Coulomb couplings K_ij = e^2 / r_ij
/// (e^2 = J r_nn, r_nn = 1).
///
/// Everything is drawn from the realization's own streams and addressed by site, so a system
/// is the same on any thread and for any thread count.
package struct EGSystem: Sendable {
    package let parameters: EGParameters
    package let realization: Int
    package let streams: RealizationStreams
    package let box: PeriodicBox
    /// Bare site energies eps_i.
    package let bareEnergies: [Double]

    package init(parameters p: EGParameters, seed: UInt64, realization: Int) {
        parameters = p
        self.realization = realization
        let s = RealizationStreams(seed: seed, realization: realization)
        streams = s
        box = PeriodicBox(randomSites: p.sites, dimension: EGParameters.dimension, side: p.boxSide, streams: s)
        bareEnergies = (0..<p.sites).map { p.disorder * (s.uniform(.siteEnergy, index: $0) - 0.5) }
    }

    /// The initial E of the iteration: uniform on [-h, h] (h = W/2 in the paper convention,
    /// 10 in the scripts convention).
    package func initialEnergies() -> [Double] {
        let h = parameters.resolvedInitialHalfWidth
        return (0..<parameters.sites).map { h * (2 * streams.uniform(.initialState, index: $0) - 1) }
    }

    /// K_ij = e^2 / r_ij.
    @inlinable
    package func coupling(_ i: Int, _ j: Int) -> Double {
        parameters.chargeSquared / box.distance(i, j)
    }

    /// The Coulomb couplings stored densely (N^2 doubles), built on `threads` workers.
    package func denseCouplings(threads: Int = 1) -> DenseCouplings {
        let me = self
        return DenseCouplings(count: parameters.sites, threads: threads) { me.coupling($0, $1) }
    }

    /// The Coulomb couplings rounded to single precision and stored as floats (N^2 floats),
    /// built on `threads` workers (``CouplingPrecision/single``), in a buffer from `pool` when given.
    package func singlePrecisionCouplings(threads: Int = 1, pool: MatrixBufferPool? = nil) -> SinglePrecisionCouplings {
        SinglePrecisionCouplings(coulomb: box, chargeSquared: parameters.chargeSquared, threads: threads, pool: pool)
    }

    /// Distance from each site to its nearest neighbour (minimum image), for the
    /// nearest-neighbour law of Appendix A.
    package func nearestNeighbourDistances() -> [Double] {
        let n = parameters.sites
        var best = [Double](repeating: .infinity, count: n)
        for i in 0..<n {
            for j in (i + 1)..<Swift.max(i + 1, n) {
                let r2 = box.distanceSquared(i, j)
                if r2 < best[i] { best[i] = r2 }
                if r2 < best[j] { best[j] = r2 }
            }
        }
        return best.map { $0.squareRoot() }
    }
}
