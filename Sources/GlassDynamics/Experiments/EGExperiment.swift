import Foundation

/// An electron-glass run (`glassdyn eg`): for each realization, Eq. 20 solved at half filling,
/// then the spectrum of the linearised rate matrix (Eq. 22-23, direct term neglected, or the
/// bare exp(-r/xi) of Appendix A); pooled into the DOS (E from mu, the Coulomb gap), the
/// ln Gamma distribution and the relaxation curve.
///
/// Threads. Realizations run on `settings.concurrentRealizations` workers; each realization
/// builds its Coulomb and rate matrices on `settings.innerThreads` threads (all the cores for
/// a single realization; bit-identical for any split). OpenBLAS (the couplings' BLAS calls
/// and the LAPACK eigensolver) runs `resolvedBLASThreads` threads, set at the start of every
/// realization: 1 by default. That is no oversubscription when realizations run in parallel,
/// and it keeps every result bit-identical for any thread count: OpenBLAS's threaded
/// reductions round differently for different thread counts (the slowest eigenvalues move in
/// their last bits). `blasThreads` > 1 (capped at `innerThreads`) lets one large realization
/// use the cores inside dsyevd too (the speed-up is in docs/performance.md), at the price of
/// that bit-level reproducibility across thread counts.
public struct EGExperiment: Sendable {
    /// The model's parameters (MODEL.md, "Electron glass"): what every realization computes.
    public var parameters: EGParameters
    /// Seed, realizations and threads: how the run is executed.
    public var settings: RunSettings
    /// How the realizations are pooled; ``init(parameters:settings:)`` sets the DOS range
    /// to W/2 + 1.5 J + 10 T (rounded up), wide enough for the bulk and narrow enough that the
    /// bins resolve the Coulomb gap.
    public var analysisOptions: DistributionAnalysis.Options
    /// OpenBLAS threads requested inside one realization (see above); default 1.
    public var blasThreads = 1
    /// Aging (``AgingExperiment``): the modes are weighed by the site potential
    /// delta phi_i = h sin(2 pi x_i / L) of this strength h; nil: no weights.
    public var perturbationStrength: Double? = nil
    /// Single-precision coupling matrices are recycled between realizations when no rate
    /// matrix follows the solve (DOS only): a fresh N = 1e4 matrix costs 0.4 GB of new pages.
    /// With a spectrum the couplings are unmapped first, so the rate matrix reuses their memory.
    let matrixPool = MatrixBufferPool()

    /// The OpenBLAS threads actually used: `blasThreads` capped at `innerThreads`.
    public var resolvedBLASThreads: Int { Swift.max(1, Swift.min(blasThreads, settings.innerThreads)) }

    /// A run of `parameters` with `settings`, one OpenBLAS thread per realization and the
    /// DOS range chosen from W, J and T.
    public init(parameters: EGParameters, settings: RunSettings) {
        self.parameters = parameters
        self.settings = settings
        analysisOptions = DistributionAnalysis.Options()
        // The bulk of E - mu spans eps (W/2 each way), the Coulomb field's spread (about J
        // each way at the paper's density) and a few T of thermal smearing. The tails are
        // heavy, P(|E| > x) ~ pi n J^2 / (4 x^2) from sites with a close neighbour (a
        // neighbour at r shifts E by J / 2r), so a data-driven range would make the bins
        // wider than T and hide the gap. R = W/2 + 1.5 J + 10 T keeps about 90% of the states
        // at W = J = 1 (dosFractionInRange says how many) and gives 0.022-wide bins at
        // T = 0.02, 0.03 at T = 0.1.
        analysisOptions.energyRange = DistributionAnalysis.roundUp(
            0.5 * parameters.disorder + 1.5 * parameters.interaction + 10 * parameters.temperature)
    }

    /// Bytes the run holds at its peak: per concurrent realization the Coulomb couplings
    /// (freed before the rate matrix is built) or the rate matrix (with `accurate` also
    /// dgejsv's N x N workspace for its condition estimate), plus per-site results.
    public var memoryEstimate: Double {
        let n = Double(parameters.sites)
        // The full matrix holds S and B and dsygvd's workspace (about 3 N^2 doubles); with
        // the modes also the eigenvectors, B's copy, B^1/2 and its factors (about 9);
        // `accurate` adds dgejsv's N x N workspace.
        let rateMatrices = parameters.rateMatrix == .full ? (parameters.computeModes ? 9.0 : 3.0)
            : (parameters.eigensolver == .accurate ? 2.0 : 1.0)
        let matrix = Swift.max(parameters.couplingBytes,
                               parameters.computeSpectrum ? rateMatrices * ColumnMajorMatrix.bytes(count: parameters.sites) : 0)
        let perSite = settings.saveSites ? 100.0 : 40.0
        return matrix * Double(settings.concurrentRealizations) + n * perSite * Double(settings.realizations)
            + n * 300 * Double(settings.concurrentRealizations)
    }

    /// Every check that must pass before work starts.
    public func validate() throws {
        try parameters.validate()
        try settings.validate()
        if blasThreads < 1 { throw ParameterError.below(.blasThreads, minimum: 1, blasThreads) }
        try ResourceUsage.check(terms: memoryTerms, what: "this run (\(Parameter.sites) \(parameters.sites), \(Parameter.realizations) \(settings.realizations), \(Parameter.threads) \(settings.threads))")
    }

    /// The LAPACK routine the spectrum uses.
    public var routine: Eigenvalues.Routine {
        switch parameters.eigensolver {
        case .symmetric: return .dsyevd
        case .general: return .dgeev
        case .accurate: return .dgejsv
        }
    }

    /// One realization end to end (sets OpenBLAS to `resolvedBLASThreads` first, so a
    /// realization computed alone is bit-identical to the same one inside `run()`). Throws
    /// only if LAPACK fails.
    public func realization(_ r: Int, innerThreads: Int = 1) throws -> EGRealizationResult {
        if BLASThreads.current != resolvedBLASThreads { BLASThreads.set(resolvedBLASThreads) }
        let p = parameters
        var clock = Stopwatch()
        let system = EGSystem(parameters: p, seed: settings.seed, realization: r)
        // The couplings live only for the solve, so the rate matrix can reuse their memory.
        let (solution, tBuild, tSolve): (EGMeanField.Solution, Double, Double) = {
            if p.coulombPrecision != .double {
                let couplings = system.singlePrecisionCouplings(threads: innerThreads,
                                                                pool: p.computeSpectrum ? nil : matrixPool)
                let tBuild = clock.lap()
                let solution = p.coulombPrecision == .singleBlocked
                    ? EGMeanField.solve(system, couplings: couplings)
                    : EGMeanField.solve(system, couplings: UnbatchedCouplings(couplings))
                return (solution, tBuild, clock.lap())
            }
            let couplings = system.denseCouplings(threads: innerThreads)
            let tBuild = clock.lap()
            let solution = EGMeanField.solve(system, couplings: couplings)
            return (solution, tBuild, clock.lap())
        }()
        var timings = [("build", tBuild), ("solve", tSolve)]
        var rates = [Double]()
        var spectrum: RateSpectrum? = nil
        var linear: LinearOutcome? = nil
        // The rates of the matrix: Miller-Abrahams at the mean-field equilibrium, or Appendix A's
        // bare exp(-r/xi) (which the full matrix refuses).
        let logRates: LogRates? = !p.computeSpectrum ? nil : p.rateModel == .bare
            ? .bare(box: system.box, localizationLength: p.localizationLength)
            : MillerAbrahams(box: system.box, energies: solution.energies,
                             chemicalPotential: solution.chemicalPotential,
                             temperature: p.temperature, localizationLength: p.localizationLength).logRates
        if let logRates, p.rateMatrix == .full || p.computeModes {
            // The paper's matrix with modes is the same problem at e^2 = 0 in the direct term
            // (B = I): the eigenvectors of the symmetric G, from dsygvd (which runs dsyevd).
            let lin = EGLinearization(rates: logRates, box: system.box,
                                      directCoupling: p.rateMatrix == .full ? p.chargeSquared : 0,
                                      temperature: p.temperature)
            if p.computeModes {
                let phi: [Double]? = perturbationStrength.map { system.responsePotential(strength: $0) }
                let s = try lin.solveWithModes(potential: phi, threads: innerThreads)
                linear = LinearOutcome(stability: s.stability, modes: s.modes)
                spectrum = s.spectrum
            } else {
                let s = try lin.spectrum(threads: innerThreads)
                linear = LinearOutcome(stability: s.stability)
                spectrum = s.spectrum
            }
            timings.append((p.rateMatrix == .full ? "fullRateMatrix" : "modes", clock.lap()))
            // A saddle or a wrong-sign rate: no rates enter the pool (counted in summary.json).
            rates = linear!.isStable ? spectrum?.rates ?? [] : []
        } else if let logRates {
            let form: RateMatrixBuilder.Form = p.eigensolver == .symmetric ? .symmetric : .general
            let (matrix, logScale) = RateMatrixBuilder.build(logRates, form: form, threads: innerThreads)
            timings.append(("rateMatrix", clock.lap()))
            let s: RateSpectrum
            switch p.eigensolver {
            case .symmetric:
                s = RateSpectrum(scaledEigenvalues: try Eigenvalues.symmetric(matrix), logScale: logScale, routine: .dsyevd)
            case .general:
                let (re, im) = try Eigenvalues.general(matrix)
                s = RateSpectrum(scaledEigenvalues: re, imaginary: im, logScale: logScale, routine: .dgeev)
            case .accurate:
                // The same column form as dgeev's, factored without subtraction (docs/slow-modes.md).
                s = RateSpectrum(accurate: try AccurateSlowModes.rates(columnForm: matrix, logScale: logScale,
                                                                       threads: innerThreads))
            }
            timings.append(("eigenvalues", clock.lap()))
            rates = s.rates
            spectrum = s
        }
        let outcome = RealizationOutcome(index: r, energies: solution.energies.map { $0 - solution.chemicalPotential },
                                         rates: rates, solver: solution.report, timings: timings)
        return EGRealizationResult(
            outcome: outcome, chemicalPotential: solution.chemicalPotential,
            fillingError: solution.fillingError, spectrum: spectrum,
            nearestNeighbourDistances: p.rateModel == .bare && p.computeSpectrum ? system.nearestNeighbourDistances() : nil,
            sites: settings.saveSites ? EGSiteTable(system: system, solution: solution) : nil, linear: linear)
    }

    /// Pools realizations (all of them, sorted by index) into the run's observables.
    public func finish(_ realizations: [EGRealizationResult], wallTime: Double, progress: ProgressReporter? = nil) -> EGRunResult {
        let convergedCount = realizations.filter { $0.outcome.solver.converged }.count
        if convergedCount < realizations.count {
            progress?.note("eg: \(realizations.count - convergedCount) of \(realizations.count) realizations did not converge; they are excluded and counted in summary.json")
        }
        let unstable = realizations.filter { $0.outcome.solver.converged && !($0.linear?.isStable ?? true) }.count
        if unstable > 0 {
            progress?.note("eg: \(unstable) of \(realizations.count) realizations are not stable fixed points of the full linear dynamics (saddles or wrong-sign rates); they are excluded and counted in summary.json")
        }
        return EGRunResult(experiment: self, realizations: realizations, wallTime: wallTime)
    }
}

/// What one electron-glass realization produced.
public struct EGRealizationResult: Sendable {
    /// Energies E - mu, resolvable rates, solver report, timings.
    public var outcome: RealizationOutcome
    /// The chemical potential mu fixed by half filling at the end of the solve, in units of J.
    public var chemicalPotential: Double
    /// sum_i n_i - N/2.
    public var fillingError: Double
    /// nil with --no-spectrum.
    public var spectrum: RateSpectrum?
    /// Each site's nearest-neighbour distance (bare runs only, for Appendix A).
    public var nearestNeighbourDistances: [Double]?
    /// The per-site table for sites.csv when ``RunSettings/saveSites`` is set; nil otherwise.
    public var sites: EGSiteTable?
    /// With the full rate matrix: its stability and modes.
    public var linear: LinearOutcome? = nil

    /// Converged and, with the full rate matrix, a stable fixed point: pooled.
    public var isPooled: Bool { outcome.solver.converged && (linear?.isStable ?? true) }
}
