import Foundation
import GlassDynamics

/// The runs of REPORT.md's section "Beyond the paper's approximations" (issue #11): the full
/// rate matrices, the accurate slow modes, the relaxation modes at two sizes, aging, and the
/// choices of the Fig. 9 plateau-tilt study. Every run is an ordinary ``ModelPoint`` (the
/// model's own command with these parameters); a run used by several items is computed once.
package struct BeyondPaperPlan: Sendable {
    /// One run of the section.
    package struct Run: Sendable {
        /// Folder inside DIR/beyond/.
        package var slug: String
        package var label: String
        package var point: ModelPoint
        package var realizations: Int
    }

    /// Electron-glass sites and realizations of items (a), (b) and the tilt study.
    package var egSites: Int
    package var egRealizations: Int
    /// TLS sites and realizations of item (a).
    package var tlsSites: Int
    package var tlsRealizations: Int
    /// Item (c): the two sizes and their realization counts (both models).
    package var modeSizes: [(sites: Int, realizations: Int)]
    /// Item (d): TLS aging run (its weights sample the 1/Gamma law most evenly).
    package var agingSites: Int
    package var agingRealizations: Int
    /// Waiting times of the aging run (spanning 1/Gamma_max to beyond 1/Gamma_min).
    package var waitingTimes: [Double] = (2...18).map { Foundation.pow(10, Double($0)) }
    /// Perturbation strength h of the aging run (the response is linear in h^2; h only scales it).
    package var agingStrength = 1.0
    /// Item (b): temperatures at the paper's stated r_nn/xi = 10 (`box poisson`).
    package var slowModeTemperatures: [Double] = [0.1, 0.05, 0.02]

    /// The sizes of a preset. quick: about a minute on 2 cores (N = 1000 electron glass with
    /// 6 realizations per choice); paper: 40 realizations (as docs/slow-modes.md's
    /// measurement) and modes at N = 500 and 2000.
    package init(_ preset: ReproductionPreset) {
        egSites = 1000
        egRealizations = preset.pick(quick: 6, paper: 40)
        tlsSites = 1000
        tlsRealizations = preset.pick(quick: 4, paper: 20)
        modeSizes = preset.pick(quick: [(250, 4), (1000, 1)], paper: [(500, 8), (2000, 2)])
        agingSites = preset.pick(quick: 500, paper: 1000)
        agingRealizations = preset.pick(quick: 48, paper: 100)
    }

    /// Smaller sizes for tests: every item still runs.
    package static func tiny() -> BeyondPaperPlan {
        var p = BeyondPaperPlan(.quick)
        p.egSites = 100
        p.egRealizations = 3
        p.tlsSites = 100
        p.tlsRealizations = 2
        p.modeSizes = [(60, 2), (120, 1)]
        p.agingSites = 80
        p.agingRealizations = 3
        return p
    }

    // MARK: - Points

    /// The electron glass of Fig. 9 (W = J = 1, T = 0.1, xi = 0.1, paper box), at this plan's N.
    package func eg(_ change: (inout EGParameters) -> Void = { _ in }) -> ModelPoint {
        var p = EGParameters()
        p.sites = egSites
        p.temperature = 0.1
        p.localizationLength = 0.1
        change(&p)
        return ModelPoint(p)
    }

    /// The TLS glass at its defaults (MODEL.md), at this plan's N.
    package func tls(_ change: (inout TLSParameters) -> Void = { _ in }) -> ModelPoint {
        var p = TLSParameters()
        p.sites = tlsSites
        change(&p)
        return ModelPoint(p)
    }

    static func tag(_ x: Double) -> String { String(format: "%g", x) }

    /// The choices of the plateau-tilt study, each changing one documented choice of Fig. 9's
    /// default run (the first), on the same realizations (same seed and indices).
    package var tiltChoices: [Run] {
        let r = egRealizations
        return [
            Run(slug: "eg-default", label: "default (paper box, T = 0.1, ξ = 0.1, paper's matrix, dsyevd)", point: eg(), realizations: r),
            Run(slug: "eg-full", label: "full rate matrix (direct term)", point: eg { $0.rateMatrix = .full }, realizations: r),
            Run(slug: "eg-poisson-t0.1", label: "box poisson (r_nn/ξ = 10)", point: eg { $0.box = .poisson }, realizations: r),
            Run(slug: "eg-poisson-t0.1-accurate", label: "box poisson, every slow mode resolved (accurate)",
                point: eg { $0.box = .poisson; $0.eigensolver = .accurate }, realizations: r),
            Run(slug: "eg-xi0.05", label: "ξ = 0.05", point: eg { $0.localizationLength = 0.05 }, realizations: r),
            Run(slug: "eg-xi0.2", label: "ξ = 0.2", point: eg { $0.localizationLength = 0.2 }, realizations: r),
            Run(slug: "eg-t0.05", label: "T = 0.05", point: eg { $0.temperature = 0.05 }, realizations: r),
            Run(slug: "eg-t0.2", label: "T = 0.2", point: eg { $0.temperature = 0.2 }, realizations: r),
        ]
    }

    /// Item (b): dsyevd against the accurate slow modes at `box poisson`, one pair per T.
    package var slowModeRuns: [(t: Double, symmetric: Run, accurate: Run)] {
        slowModeTemperatures.map { t in
            let p = eg { $0.box = .poisson; $0.temperature = t }
            let a = eg { $0.box = .poisson; $0.temperature = t; $0.eigensolver = .accurate }
            return (t, Run(slug: "eg-poisson-t\(Self.tag(t))", label: "T = \(Self.tag(t)), dsyevd", point: p, realizations: egRealizations),
                    Run(slug: "eg-poisson-t\(Self.tag(t))-accurate", label: "T = \(Self.tag(t)), accurate", point: a,
                        realizations: egRealizations))
        }
    }

    /// Item (a): (model, paper's run, full run).
    package var rateMatrixRuns: [(model: GlassModel, paper: Run, full: Run)] {
        let choices = tiltChoices
        return [
            (.eg, choices[0], choices[1]),
            (.tls, Run(slug: "tls-diagonal", label: "TLS, diagonal Γ_i (paper)", point: tls(), realizations: tlsRealizations),
             Run(slug: "tls-full", label: "TLS, full matrix", point: tls { $0.rateMatrix = .full }, realizations: tlsRealizations)),
        ]
    }

    /// Item (c): the modes (full matrix, `modes`) of each model at each size.
    package var modeRuns: [(model: GlassModel, runs: [Run])] {
        [(GlassModel.eg, modeSizes.map { n, r in
            var p = EGParameters()
            p.sites = n
            p.temperature = 0.1
            p.rateMatrix = .full
            p.computeModes = true
            return Run(slug: "modes-eg-n\(n)", label: "N = \(n)", point: ModelPoint(p), realizations: r)
        }),
         (GlassModel.tls, modeSizes.map { n, r in
            var p = TLSParameters()
            p.sites = n
            p.rateMatrix = .full
            p.computeModes = true
            return Run(slug: "modes-tls-n\(n)", label: "N = \(n)", point: ModelPoint(p), realizations: r)
        })]
    }

    /// Item (d): the aging run's model parameters (the TLS glass at its defaults).
    package var agingParameters: TLSParameters {
        var p = TLSParameters()
        p.sites = agingSites
        return p
    }

    /// Every model run of the section, each once, in order.
    package var runs: [Run] {
        var out = [Run]()
        func add(_ r: Run) { if !out.contains(where: { $0.slug == r.slug }) { out.append(r) } }
        for (_, p, f) in rateMatrixRuns { add(p); add(f) }
        for (_, s, a) in slowModeRuns { add(s); add(a) }
        for r in tiltChoices { add(r) }
        for (_, rs) in modeRuns { rs.forEach(add) }
        return out
    }
}
