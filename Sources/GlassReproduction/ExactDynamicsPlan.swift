import Foundation
import GlassDynamics

/// The runs of REPORT.md's section "Mean field against exact dynamics" (issue #12, section 6):
/// kinetic Monte Carlo of small glasses on the same realizations as their mean-field solution
/// (same seed and indices), chosen so each comparison is decided within a few minutes on two
/// cores at either preset.
package struct ExactDynamicsPlan: Sendable {
    /// Sites and realizations of the electron-glass runs (DOS, quench, response, aging).
    package var egSites: Int
    package var egRealizations: Int
    /// Sites and realizations of the TLS equilibrium DOS.
    package var tlsSites: Int
    package var tlsRealizations: Int
    /// Equilibration and sampling time of the DOS runs (units of 1/Gamma0, 1/a).
    package var egEquilibration = 1e3
    package var egSampling = 1e3
    package var tlsEquilibration = 1e6
    package var tlsSampling = 1e6
    package var samples = 20
    /// End of the quench run and its realizations (more than the other runs: the log-law
    /// verdict compares two slopes).
    package var quenchTime = 1e4
    package var quenchRealizations = 12
    /// Response protocol: equilibration, waiting times, strength, longest t after removal.
    package var responseEquilibration = 1e4
    package var responseWaitingTimes: [Double] = [1e2, 1e3, 1e4]
    package var responseStrength = 0.05
    package var responseTime = 1e4
    /// Twin-trajectory pairs per realization (TLS flips are rare: many pairs are cheap).
    package var responseTrajectories = 200
    /// Electron-glass response protocol (item 3b, same strength): equilibration, waiting
    /// times, longest t after removal and twin pairs per realization. Shorter than the TLS
    /// glass's: each hop of the electron glass rewrites ~N pair rates, and its twins part
    /// within few hops, so the KMC error (~5e-6 per site at 6 x 20 pairs) does not fall with
    /// t_w while the mean-field prediction at N = 200, xi = 0.1 stays below 1e-7 up to
    /// t_w = 1e3: quick preset 25 s wall for this run at load 2.5 (t_w = 10, 1000 took 90 s
    /// and were no more conclusive; 10 pairs took 18 s, with errors near 1e-5 at t_w = 100).
    package var egResponseEquilibration = 1e3
    package var egResponseWaitingTimes: [Double] = [10, 100]
    package var egResponseTime = 100.0
    package var egResponseTrajectories = 20
    /// Aging protocol: waiting times and the longest t.
    package var agingWaitingTimes: [Double] = [10, 100, 1000]
    package var agingTime = 1e3
    /// Run the exact small-system comparison (item 5).
    package var smallSystems = true
    /// The preset the small-system comparison is sized by.
    package var preset: ReproductionPreset

    /// quick: an N = 200 electron glass with 6 realizations (12 for the quench) and an N = 500
    /// TLS glass with 10; paper: the same sizes and times with 12 (20 for the quench) and 20
    /// realizations. The sizes stay small at both presets: the electron glass's KMC costs about
    /// N^2 per unit time (every hop rewrites the rates of its ~N pairs; N = 300 with 10-12
    /// realizations took 5.4 min wall, 167 s CPU, at load 7-8).
    package init(_ preset: ReproductionPreset) {
        self.preset = preset
        egSites = 200
        egRealizations = preset.pick(quick: 6, paper: 12)
        quenchRealizations = preset.pick(quick: 12, paper: 20)
        tlsSites = 500
        tlsRealizations = preset.pick(quick: 10, paper: 20)
    }

    /// Smaller and shorter, for tests: every item still runs.
    package static func tiny() -> ExactDynamicsPlan {
        var p = ExactDynamicsPlan(.quick)
        p.egSites = 40
        p.egRealizations = 3
        p.tlsSites = 40
        p.tlsRealizations = 3
        p.egEquilibration = 10
        p.egSampling = 10
        p.tlsEquilibration = 100
        p.tlsSampling = 100
        p.samples = 4
        p.quenchTime = 100
        p.quenchRealizations = 3
        p.responseEquilibration = 100
        p.responseWaitingTimes = [100, 1000]
        p.responseTime = 100
        p.responseTrajectories = 4
        p.egResponseEquilibration = 10
        p.egResponseWaitingTimes = [1, 10]
        p.egResponseTime = 10
        p.egResponseTrajectories = 2
        p.agingWaitingTimes = [1, 10]
        p.agingTime = 10
        p.smallSystems = false
        return p
    }

    /// The electron glass of the section: W = J = 1, T = 0.1, xi = 0.1, the paper box.
    package var egParameters: EGParameters {
        var p = EGParameters()
        p.sites = egSites
        p.temperature = 0.1
        p.localizationLength = 0.1
        return p
    }

    /// The TLS glass at its defaults (MODEL.md) except Delta0 in [1e-2, 1e-1] (log-uniform):
    /// rates then span three decades instead of twelve, so a KMC run of 1e6 equilibrates
    /// every spin that can flip at T = 0.05 and the response protocol's twins resolve the
    /// response; the static mean field depends on Delta0 only through E = sqrt(D^2 + Delta0^2).
    package var tlsParameters: TLSParameters {
        var p = TLSParameters()
        p.sites = tlsSites
        p.delta0Min = tlsDelta0Min
        return p
    }

    /// Lower end of the TLS Delta0 range of the section.
    package var tlsDelta0Min = 1e-2

    /// Options of one protocol with this plan's times.
    package func options(_ kind: KMCProtocol, model: GlassModel) -> KMCOptions {
        var o = KMCOptions()
        o.protocolKind = kind
        o.minimumTime = 1e-2
        o.pointsPerDecade = 5
        switch kind {
        case .equilibrium:
            o.equilibrationTime = model == .eg ? egEquilibration : tlsEquilibration
            o.time = model == .eg ? egSampling : tlsSampling
            o.samples = samples
        case .quench:
            o.time = quenchTime
        case .response:
            o.equilibrationTime = responseEquilibration
            o.waitingTimes = responseWaitingTimes
            o.strength = responseStrength
            o.time = responseTime
        case .aging:
            o.waitingTimes = agingWaitingTimes
            o.time = agingTime
        }
        return o
    }
}
