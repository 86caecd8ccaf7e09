import Foundation

/// One disorder realization of the TLS glass: positions, asymmetries Delta_i, tunnelling
/// amplitudes Delta0_i, and the couplings J_ij = u_ij / r_ij^3 with u_ij ~ Normal(0, J^2).
///
/// Everything is drawn from the realization's own streams: site i's draws are addressed by i,
/// the coupling of pair {i, j} by (min, max), so any subset can be regenerated anywhere.
package struct TLSSystem: Sendable {
    package let parameters: TLSParameters
    package let realization: Int
    package let streams: RealizationStreams
    package let box: PeriodicBox
    package let asymmetry: [Double]
    package let tunneling: [Double]

    package init(parameters p: TLSParameters, seed: UInt64, realization: Int) {
        self.parameters = p
        self.realization = realization
        let s = RealizationStreams(seed: seed, realization: realization)
        streams = s
        box = PeriodicBox(randomSites: p.sites, dimension: TLSParameters.dimension, side: p.boxSide, streams: s)
        asymmetry = (0..<p.sites).map { p.disorder * s.normal(.siteEnergy, index: $0) }
        let lo = log(p.delta0Min), hi = log(p.delta0Max)
        tunneling = (0..<p.sites).map { exp(lo + (hi - lo) * s.uniform(.tunneling, index: $0)) }
    }

    /// The initial D of the iteration: uniform on [-h, h] (h = W in the paper convention).
    package func initialAsymmetry() -> [Double] {
        let h = parameters.resolvedInitialHalfWidth
        return (0..<parameters.sites).map { h * (2 * streams.uniform(.initialState, index: $0) - 1) }
    }

    /// J_ij = J u_ij / r_ij^3 with u_ij a standard normal keyed by the pair, rounded to single
    /// precision (the definition shared by every coupling storage: ``TLSPairKernel``); 0 for i = j.
    package func coupling(_ i: Int, _ j: Int) -> Double {
        TLSPairKernel.coupling(in: self, i, j)
    }

    /// The couplings stored as an N x N single-precision matrix, built on `threads` workers.
    package func denseCouplings(threads: Int = 1) -> StoredTLSCouplings {
        StoredTLSCouplings(system: self, threads: threads)
    }
}
