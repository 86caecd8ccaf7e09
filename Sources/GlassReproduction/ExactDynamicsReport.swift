import Foundation
import GlassDynamics

/// The section "Mean field against exact dynamics" as blocks (``BeyondBlock``), rendered into
/// REPORT.md and REPORT.html from the same ``ExactDynamicsOutcome``.
package enum ExactDynamicsReport {
    package static let title = "Mean field against exact dynamics"
    package static let anchor = "exact-dynamics"

    static func f(_ x: Double, _ digits: Int = 3) -> String { x.isFinite ? String(format: "%.\(digits)g", x) : "n/a" }

    /// The blocks (1)-(5) (5 only when the small-system comparison ran).
    package static func blocks(_ o: ExactDynamicsOutcome) -> [BeyondBlock] {
        [dos(o), quench(o), response(o)] + (o.egResponse.map { [egResponse(o, $0)] } ?? []) + [aging(o)]
            + (o.smallSystems.map { [small($0)] } ?? [])
    }

    static func dos(_ o: ExactDynamicsOutcome) -> BeyondBlock {
        let p = o.plan
        let rows = o.gaps.map { g in
            [g.model.title, g.kmcDepth.formatted(3), g.meanFieldDepth.formatted(3), g.depthChange.formatted(3),
             g.kmcWidth.formatted(3), g.meanFieldWidth.formatted(3), g.widthChange.formatted(3)]
        }
        let text = o.gaps.map { g in
            "\(g.model.title): mean field's gap is " + (g.depthChange.value < 0 ? "deeper" : "shallower")
                + " by \(Measurement(abs(g.depthChange.value), error: g.depthChange.error).formatted(3)) of the maximum and "
                + (g.widthChange.value < 0 ? "narrower" : "wider")
                + " by \(Measurement(abs(g.widthChange.value), error: g.widthChange.error).formatted(3)) (exact width \(g.kmcWidth.formatted(3)))."
        }
        return BeyondBlock(
            id: "exact-dos", title: "(1) The Coulomb gap and the dipole gap, exact against mean field", figure: "exactDOS",
            paragraphs: ["KMC equilibrium protocol (`glassdyn kmc eg|tls --protocol equilibrium`) from the rounded mean-field "
                         + "solution: electron glass N = \(p.egSites) (W = J = 1, T = 0.1, ξ = 0.1), \(p.egRealizations) realizations, "
                         + "equilibration \(Judgement.fmt(p.egEquilibration)) then \(p.samples) snapshots over \(Judgement.fmt(p.egSampling)); "
                         + "TLS glass N = \(p.tlsSites) (defaults, T = 0.05, but Δ0 in [\(Judgement.fmt(p.tlsDelta0Min)), 0.1] so that "
                         + "every spin that can flip does so within the run), \(p.tlsRealizations) realizations, "
                         + "\(Judgement.fmt(p.tlsEquilibration)) then \(Judgement.fmt(p.tlsSampling)). The KMC density of ε̃_i − μ "
                         + "(TLS: the signed local energies) beside the mean-field DOS of the same realizations. Depth = density "
                         + "within |E| < 1.6 bins of 0 over the maximum (3-bin running mean); width = |E| where the symmetrised "
                         + "density reaches half its maximum; errors and Δ (mean field − exact) from a bootstrap over realizations "
                         + "(paired). Claim tested: mean field gives the exact gap, |Δ depth| < \(Judgement.fmt(GapComparison.depthTolerance)) "
                         + "and |Δ width| < \(Judgement.fmt(GapComparison.widthTolerance)) of the exact width."] + text,
            header: ["glass", "depth, exact", "depth, mean field", "Δ depth", "width, exact", "width, mean field", "Δ width"],
            rows: rows, verdicts: o.gaps.map(\.judgement))
    }

    static func quench(_ o: ExactDynamicsOutcome) -> BeyondBlock {
        let p = o.plan
        var rows = [[String]]()
        if let l = o.logLaw {
            rows.append([f(1 / l.gammaMax), f(1 / l.gammaMin),
                         l.window.map { "\(f($0.lowerBound)) … \(f($0.upperBound))" } ?? "empty", "\(l.points)",
                         l.slope.formatted(4), l.curvature.formatted(4)])
        }
        return BeyondBlock(
            id: "exact-quench", title: "(2) Relaxation after a quench against the mean-field log law", figure: "exactQuench",
            paragraphs: ["KMC quench protocol: the electron glass above (N = \(p.egSites), \(p.quenchRealizations) realizations) from "
                         + "random filling (T = ∞) to T = 0.1, energy per site to t = \(Judgement.fmt(p.quenchTime)). Mean field "
                         + "predicts E(t) linear in ln t between 1/Γ_max and 1/Γ_min of its rate distribution on the same "
                         + "realizations (plateau cutoffs of the pooled rates, the paper's rule; the dashed curve is the E1 form "
                         + "fitted to the whole run, the dotted verticals the cutoffs). Fit E = a + s ln t over the window clipped "
                         + "to the run, and the change of slope between the window's halves (in ln t), bootstrap errors over "
                         + "realizations. Claim tested: E falls linearly in ln t there, |Δ s| < "
                         + "\(Judgement.fmt(LogLawWindow.curvatureTolerance)) |s|."],
            header: ["1/Γ_max", "1/Γ_min", "window tested", "points", "slope dE/d ln t", "Δ slope (upper − lower half)"],
            rows: rows,
            verdicts: [o.logLaw?.judgement ?? Judgement(.inconclusive, "the mean field gave no rate cutoffs")])
    }

    static let partingHeader = ["t_w", "prediction", "parts at t", "KMC there", "prediction there", "KMC / prediction at first t",
                                "largest pull (σ)"]

    static func partingRows(_ partings: [ResponseParting]) -> [[String]] {
        partings.map { r in
            [Judgement.fmt(r.waitingTime), r.label, r.partingTime.map { f($0) } ?? "never",
             r.partingTime.map { _ in f(r.kmcThere) } ?? "", r.partingTime.map { _ in f(r.predictionThere) } ?? "",
             f(r.initialRatio), f(r.largestPull, 2)]
        }
    }

    static func egResponse(_ o: ExactDynamicsOutcome, _ c: EGResponseComparison) -> BeyondBlock {
        let p = o.plan
        let left = c.realizations - c.kept
        return BeyondBlock(
            id: "exact-eg-response", title: "(3b) Linear response of the electron glass: KMC against exp(A t)",
            figure: "exactEGResponse",
            paragraphs: ["KMC response protocol on the electron glass of (1) (N = \(p.egSites), \(c.realizations) realizations, "
                         + "\(c.kept) kept: \(left) left out because the mean field did not converge or the full matrix's fixed "
                         + "point is not a local minimum): equilibrate \(Judgement.fmt(p.egResponseEquilibration)) from the rounded "
                         + "mean field, then \(p.egResponseTrajectories) twin pairs per realization on common random numbers, the "
                         + "perturbed twin with ε_i += δφ_i = h sin(2π x_i / L), h = \(Judgement.fmt(p.responseStrength)), for t_w, "
                         + "then released; O = −(1/N) Σ δφ_i (n_i − n_i^ref). Prediction (docs/kmc.md, section 8): "
                         + "O = (1/N) Σ_k w_k (1 − e^{−Γ_k t_w}) e^{−Γ_k t}, w_k = (x_k · D^{1/2} δφ)² / T, for the paper's matrix "
                         + "−L D^{−1} and the full matrix −L (D^{−1} + C/T) on the same realizations (modes below the rate floor, "
                         + "which add nothing at these t_w, left out: \(c.unresolvedPaper) and \(c.unresolvedFull) in all); "
                         + "`exact-dynamics/eg-response-prediction.csv`. Parting as in (3); the resolution floor is one hop of one "
                         + "trajectory across the whole potential, 2h / (N pairs R)."],
            header: partingHeader, rows: partingRows(c.partings), verdicts: c.judgements)
    }

    static func response(_ o: ExactDynamicsOutcome) -> BeyondBlock {
        let p = o.plan
        let rows = partingRows(o.partings)
        return BeyondBlock(
            id: "exact-response", title: "(3) Linear response: KMC against exp(A t)", figure: "exactResponse",
            paragraphs: ["KMC response protocol on the TLS glass of (1) (N = \(p.tlsSites), \(p.tlsRealizations) realizations, "
                         + "\(o.responseKept) with a stable mean-field minimum kept on both sides): equilibrate "
                         + "\(Judgement.fmt(p.responseEquilibration)) from the rounded mean field, then \(p.responseTrajectories) "
                         + "twin pairs per realization on common random numbers, the perturbed twin with every Δ_i shifted by "
                         + "h = \(Judgement.fmt(p.responseStrength)) for t_w, then released; O = (h/N) Σ (s_i − s_i^ref). "
                         + "Prediction: O = (1/N) Σ_k w_k (1 − e^{−Γ_k t_w}) e^{−Γ_k t} on the same realizations, for the "
                         + "paper's diagonal matrix (w_i = χ_i h²) and the full matrix (its weighted modes); "
                         + "`exact-dynamics/response-prediction.csv`. The curves part at the first t where "
                         + "|KMC − prediction| exceeds \(Judgement.fmt(ResponseParting.sigmas)) bootstrap errors at two consecutive "
                         + "times of the grid (a single excursion among the grid's points is expected by chance). "
                         + "KMC / prediction at the first t is the amplitude ratio: the KMC holds its spins at the Boltzmann weight of "
                         + "E = sqrt(h² + Δ0²) (Eq. 10's rates), the mean field at that of D, so the two differ by O(Δ0²/T²) "
                         + "per spin even where the dynamics agree."],
            header: partingHeader,
            rows: rows, verdicts: o.partings.map(\.judgement))
    }

    static func aging(_ o: ExactDynamicsOutcome) -> BeyondBlock {
        let p = o.plan
        let rows = o.aging.map { a in
            [a.waitingTimes.map(Judgement.fmt).joined(separator: ", "), a.deviation.formatted(3), f(a.worstX), f(a.deviationAgainstT)]
        }.map { [$0] } ?? []
        return BeyondBlock(
            id: "exact-aging", title: "(4) Aging: does C(t_w + t, t_w) collapse on t/t_w?", figure: "exactAging",
            paragraphs: ["KMC aging protocol: the electron glass of (2) quenched to T = 0.1, occupations snapshot at each t_w, "
                         + "C(t_w + t, t_w) = (1/N) Σ σ_i(t_w) σ_i(t_w + t) (σ = 2n − 1) to t = \(Judgement.fmt(p.agingTime)). "
                         + "Deviation: the largest |C_a − C_b| between any two waiting times at equal t/t_w (linear interpolation "
                         + "in ln(t/t_w) within their common range), its error the two bootstrap errors there in quadrature; "
                         + "beside it the same measure against t (what time-translation invariance would give). "
                         + "Claim tested (simple aging): deviation < \(Judgement.fmt(AgingScaling.tolerance))."],
            header: ["t_w", "deviation at equal t/t_w", "where (t/t_w)", "deviation at equal t"],
            rows: rows, verdicts: [o.aging?.judgement ?? Judgement(.inconclusive, "no correlation was measured")])
    }

    static func small(_ s: SmallSystemsSection) -> BeyondBlock {
        BeyondBlock(
            id: "small-systems", title: "(5) Small systems: exact against mean field", figure: nil,
            paragraphs: [s.paragraph, "Run it larger with `glassdyn exact tls` / `glassdyn exact eg` (docs/exact.md)."],
            header: ["J/T", "TLS median abs(D_MF − D_exact)", "with TAP", "EG median abs(n_MF − n_exact)"],
            rows: s.rows.map { r in
                [r.couplingOverTemperature, r.tlsMeanField, r.tlsTAP, r.egMeanField].map(SmallSystemsSection.number)
            },
            verdicts: [Judgement(Verdict(rawValue: s.verdict) ?? .inconclusive, s.verdictReason)])
    }

    static func intro(_ o: ExactDynamicsOutcome) -> String {
        var s = "Issue #12: the mean-field results held against exact stochastic dynamics (kinetic Monte Carlo, "
            + "`glassdyn kmc`, docs/kmc.md) of the same realizations (same seed, sites, fields and couplings), and against "
            + "exact solutions of small systems. Sizes chosen so the section costs minutes: "
            + "files in `exact-dynamics/` (one folder per KMC run with what `glassdyn kmc` writes, the figures' `.gp` "
            + "scripts and images), \(ReproductionReport.seconds(o.wallTime)) in all ("
            + o.runTimes.map { "\($0.0) \(ReproductionReport.seconds($0.1))" }.joined(separator: ", ") + ")."
        if o.truncated > 0 { s += " \(o.truncated) trajectories reached the event limit (their later points are NaN)." }
        return s
    }

    package static func markdown(_ o: ExactDynamicsOutcome) -> String {
        BeyondBlock.markdownSection(title: title, intro: intro(o), blocks: blocks(o), figures: o.figures,
                                    label: ExactDynamicsFigures.title)
    }

    package static func html(_ o: ExactDynamicsOutcome, svg: (BeyondPaperOutcome.Figure) -> String?) -> String {
        BeyondBlock.htmlSection(anchor: anchor, title: title, intro: intro(o), blocks: blocks(o), figures: o.figures,
                                label: ExactDynamicsFigures.title, svg: svg)
    }
}
