import Foundation

/// The outcome of an electron-glass run, ready to be written.
///
/// Only converged realizations enter the pooled observables (DOS, rates, Coulomb gap,
/// Appendix A); the others are counted in summary.json.
public struct EGRunResult: Sendable {
    /// The experiment that ran: parameters, settings, analysis options, OpenBLAS threads.
    public let experiment: EGExperiment
    /// Every realization, converged or not, sorted by index.
    public let realizations: [EGRealizationResult]
    /// The pooled DOS (E - mu), ln Gamma distribution and relaxation curve of the converged
    /// realizations.
    public let analysis: DistributionAnalysis
    /// nil when the linear window 2T..0.3 is empty (T >= 0.15) or nothing converged.
    public let coulombGap: CoulombGap?
    /// Appendix A (bare runs only).
    public let nearestNeighbour: NearestNeighbourComparison?
    /// Wall-clock seconds of the work this process did (a resumed run counts only the
    /// realizations it computed; a merge counts the merge).
    public let wallTime: Double

    /// Every realization's outcome, converged or not, sorted by index.
    public var outcomes: [RealizationOutcome] { realizations.map { $0.outcome } }

    /// Pools the converged realizations of `experiment` into the analysis, the Coulomb gap
    /// and (bare runs) the Appendix A comparison; the others are kept and counted.
    public init(experiment: EGExperiment, realizations: [EGRealizationResult], wallTime: Double) {
        self.experiment = experiment
        self.realizations = realizations
        self.wallTime = wallTime
        let p = experiment.parameters
        let converged = realizations.filter { $0.isPooled }
        analysis = DistributionAnalysis(outcomes: converged.map { $0.outcome }, seed: experiment.settings.seed,
                                        options: experiment.analysisOptions)
        coulombGap = CoulombGap(energies: converged.map { $0.outcome.energies }, temperature: p.temperature,
                                siteDensity: p.density, chargeSquared: p.chargeSquared, seed: experiment.settings.seed)
        if p.rateModel == .bare && p.computeSpectrum {
            nearestNeighbour = NearestNeighbourComparison(
                rates: converged.flatMap { $0.outcome.rates }, sites: p.sites * converged.count,
                law: NearestNeighbourLaw(dimension: EGParameters.dimension, sites: p.sites, side: p.boxSide),
                localizationLength: p.localizationLength,
                nearestNeighbourDistances: converged.flatMap { $0.nearestNeighbourDistances ?? [] })
        } else {
            nearestNeighbour = nil
        }
    }

    /// The spectrum block of summary.json (nil without a spectrum).
    public var spectrumSummary: SpectrumSummary? {
        guard experiment.parameters.computeSpectrum else { return nil }
        return SpectrumSummary(realizations.filter { $0.isPooled }.compactMap { $0.spectrum },
                               experiment: experiment)
    }

    /// The electron glass's own blocks of summary.json.
    public struct Extra: Codable, Sendable {
        /// The reference of every energy in the files (text).
        public var energiesFrom = "chemical potential mu (E - mu), mu fixed by sum n_i = N/2 after every sweep"
        /// {min, median, max} of mu over all realizations, in units of J (nil when there are none).
        public var chemicalPotential: Statistics?
        /// {min, median, max} of sum_i n_i - N/2 over all realizations: how exactly half filling
        /// holds (nil when there are none).
        public var fillingError: Statistics?
        /// The largest |sum_i n_i - N/2| of any realization (nil when there are none).
        public var largestAbsoluteFillingError: Double?
        /// The rate-matrix spectrum block (nil with `--no-spectrum`).
        public var spectrum: SpectrumSummary?
        /// The Coulomb-gap block (nil when the linear window 2T..0.3 is empty, T >= 0.15, or
        /// nothing converged).
        public var coulombGap: CoulombGap.Summary?
        /// 1/W, the DOS of the bare energies (J = 0).
        public var dosJZeroValue: Double?
        /// The Appendix A comparison with the nearest-neighbour law (bare runs only; nil
        /// otherwise).
        public var nnLaw: NearestNeighbourComparison.Summary?
        /// OpenBLAS threads used inside each realization (``EGExperiment/resolvedBLASThreads``).
        public var blasThreads: Int
        /// With `--rate-matrix full`: stability counts (saddles excluded) and modes.
        public var fullRateMatrix: LinearSummary?
    }

    /// The full-rate-matrix block (nil for the paper's matrix).
    public var linearSummary: LinearSummary? {
        guard experiment.parameters.rateMatrix == .full else { return nil }
        let linear = realizations.filter { $0.outcome.solver.converged }.compactMap { r in
            r.linear.map { (index: r.outcome.index, outcome: $0, rates: r.outcome.rates) }
        }
        return LinearSummary(rateMatrix: "full",
                             matrix: "A = -L (D^-1 + C/T) with the direct Coulomb term; rates from dsygvd (itype 2) on (-D^-1/2 L D^-1/2, I + D^1/2 C D^1/2 / T); saddles (no Cholesky factor) excluded",
                             linear: linear, relativeChange: false)
    }

    /// modes.csv (with `--modes`): every mode of the pooled realizations.
    public var modesTable: CSVTable? {
        guard experiment.parameters.computeModes else { return nil }
        return LinearPooling.modesTable(realizations.filter { $0.isPooled }.map { ($0.outcome.index, $0.linear?.modes ?? []) })
    }

    /// summary.json: parameters, convergence, observables, the electron-glass blocks, cost.
    public var summary: RunSummary<EGConfiguration, Extra> {
        let p = experiment.parameters
        let extra = Extra(chemicalPotential: Statistics(realizations.map { $0.chemicalPotential }),
                          fillingError: Statistics(realizations.map { $0.fillingError }),
                          largestAbsoluteFillingError: realizations.map { abs($0.fillingError) }.max(),
                          spectrum: spectrumSummary, coulombGap: coulombGap?.summary,
                          dosJZeroValue: p.disorder > 0 ? 1 / p.disorder : nil,
                          nnLaw: nearestNeighbour?.summary, blasThreads: experiment.resolvedBLASThreads,
                          fullRateMatrix: linearSummary)
        return RunSummary(model: .eg, parameters: experiment.configuration,
                          resolved: ResolvedParameters(p, fieldPrefactor: EGParameters.fieldPrefactor),
                          settings: experiment.settings, outcomes: outcomes, analysis: analysis, extra: extra,
                          wallTime: wallTime)
    }
}

/// The spectrum block of an electron-glass summary.json.
///
/// With dsyevd or dgeev it reports the floor and the modes below it; with dgejsv
/// (`--eigensolver accurate`) there is no floor, and the floor's keys (`zeroEigenvalues`,
/// `realizationsWithExactlyOneZeroEigenvalue`, `resolvableRateFloorRule`,
/// `resolvableRateFloor`, `eigenvaluesBelowFloor`) give way to the relative error bound and the
/// unresolved modes (`relativeErrorBoundRule`, `relativeErrorBound`, `unresolvedModes`,
/// `unresolvedBound`).
public struct SpectrumSummary: Codable, Sendable {
    /// The LAPACK routine that computed the eigenvalues: "dsyevd", "dgeev" or "dgejsv".
    public var lapackRoutine: String
    /// Which matrix was diagonalised, in words.
    public var matrix: String
    /// {min, median, max} over the converged realizations of the number of eigenvalues with
    /// |lambda| <= floor (1 when every physical mode is resolved); nil without spectra.
    public var zeroEigenvalues: Statistics?
    /// Converged realizations whose only eigenvalue at numerical zero is the conservation mode.
    public var realizationsWithExactlyOneZeroEigenvalue: Int?
    /// The rule for the resolvable-rate floor, in words (see ``RateSpectrum``); nil for dgejsv.
    public var resolvableRateFloorRule: String? = "floor = N * eps * max|lambda| (eps = 2.2e-16): the eigensolver's absolute error; |lambda| <= floor is numerical zero, the one nearest 0 is the conservation mode, any other is a slow mode lost below the floor"
    /// {min, median, max} of the floor N eps max|lambda| over the converged realizations, in
    /// units of Gamma0 (nil without spectra).
    public var resolvableRateFloor: Statistics?
    /// {min, median, max} of the fastest rate max|lambda| over the converged realizations, in
    /// units of Gamma0 (nil without spectra).
    public var largestRate: Statistics?
    /// Physical slow modes lost below the floor, summed over the converged realizations (nil
    /// for dgejsv).
    public var eigenvaluesBelowFloor: Int?
    /// Eigenvalues above +floor (a wrong sign), summed over the converged realizations; must
    /// be 0.
    public var positiveEigenvalues: Int
    /// Rates kept in the ln Gamma distribution, summed over the converged realizations.
    public var resolvableRates: Int
    /// The largest |Im lambda| / max|lambda| of any converged realization (0 for the symmetric
    /// solver).
    public var largestRelativeImaginaryPart: Double
    /// dgejsv only: what ``relativeErrorBound`` bounds, in words.
    public var relativeErrorBoundRule: String?
    /// dgejsv only: {min, median, max} over the converged realizations of the relative error
    /// bound |Gamma~ - Gamma| / Gamma of every rate (``AccurateSlowModes``).
    public var relativeErrorBound: Statistics?
    /// dgejsv only: physical modes not resolved (couplings below the double range), summed
    /// over the converged realizations; each realization keeps N - 1 - unresolved rates.
    public var unresolvedModes: Int?
    /// dgejsv only: the largest upper bound on an unresolved rate, in units of Gamma0 (0 when
    /// every mode is resolved).
    public var unresolvedBound: Double?

    /// The rule of ``relativeErrorBound``.
    public static let relativeErrorBoundRule = "every returned rate, the slowest included, satisfies |Gamma~ - Gamma| / Gamma <= bound = 2 * 2 N eps * N^(3/4) * max(1, SCONDA) (eps = 2.2e-16, SCONDA dgejsv's condition estimate of the equilibrated factor): a uniform relative error of the subtraction-free elimination and one-sided Jacobi, with no floor; it excludes the rounding of the input rates (about eps |ln A_ij|). The conservation mode is removed exactly; unresolvedModes counts modes lost to couplings below the double range, each at most unresolvedBound (docs/slow-modes.md)"

    init(_ spectra: [RateSpectrum], experiment: EGExperiment) {
        let p = experiment.parameters
        lapackRoutine = p.rateMatrix == .full ? "dsygvd" : experiment.routine.rawValue
        matrix = p.rateMatrix == .full
            ? "A = -L (D^-1 + C/T) (Eq. 22 with the direct Coulomb term): dsygvd (itype 2) on (D^-1/2 G D^-1/2, I + D^1/2 C D^1/2 / T)"
            : p.rateModel == .bare
            ? "A_ij = exp(-r_ij/xi), A_jj = -sum_k A_kj (Appendix A)"
            : (p.eigensolver == .symmetric
                ? "D^-1/2 G D^-1/2 with G_ij = gamma_ij, D = diag(n(1-n)): same eigenvalues as A (Eq. 23 without the direct term)"
                : "A_ij = gamma_ij/(n_j(1-n_j)), A_jj = -sum_k A_kj (Eq. 23 without the direct term)")
        if p.eigensolver == .accurate {
            matrix += "; rates = squared singular values of its subtraction-free Cholesky factor (docs/slow-modes.md)"
            relativeErrorBoundRule = Self.relativeErrorBoundRule
            relativeErrorBound = Statistics(spectra.compactMap { $0.relativeErrorBound })
            unresolvedModes = spectra.reduce(0) { $0 + $1.unresolved }
            unresolvedBound = spectra.map { $0.unresolvedBound }.max() ?? 0
            resolvableRateFloorRule = nil
            largestRate = Statistics(spectra.map { $0.largestRate })
            positiveEigenvalues = 0
            resolvableRates = spectra.reduce(0) { $0 + $1.rates.count }
            largestRelativeImaginaryPart = 0
            return
        }
        zeroEigenvalues = Statistics(spectra.map { Double($0.zeroEigenvalues) })
        realizationsWithExactlyOneZeroEigenvalue = spectra.filter { $0.zeroEigenvalues == 1 }.count
        resolvableRateFloor = Statistics(spectra.map { $0.floor })
        largestRate = Statistics(spectra.map { $0.largestRate })
        eigenvaluesBelowFloor = spectra.reduce(0) { $0 + $1.belowFloor }
        positiveEigenvalues = spectra.reduce(0) { $0 + $1.positive }
        resolvableRates = spectra.reduce(0) { $0 + $1.rates.count }
        largestRelativeImaginaryPart = spectra.map { $0.largestImaginaryPart }.max() ?? 0
    }
}

extension EGRunResult: RunResult {
    /// The electron glass.
    public var model: GlassModel { .eg }

    /// dos.csv, the rate files (unless no spectrum), nn.csv (bare), sites.csv (when saved),
    /// summary.json.
    public var files: [OutputFile] {
        var out = analysis.tables(includeRates: experiment.parameters.computeSpectrum).map { OutputFile.csv($0.name, $0.table) }
        if let nn = nearestNeighbour { out.append(.csv("nn.csv", nn.table)) }
        if let modes = modesTable { out.append(.csv("modes.csv", modes)) }
        if experiment.settings.saveSites {
            var table = CSVTable(columns: EGSiteTable.columns)
            for r in realizations { r.sites?.append(to: &table) }
            out.append(.csv("sites.csv", table))
        }
        out.append(.json("summary.json", summary))
        return out
    }

    /// One line: converged realizations, the DOS gap depth, the Coulomb-gap slope beside the
    /// ES value, with a spectrum ln Gamma_min and ln Gamma_max (nan without a plateau) and the
    /// eigenvalues below the floor (accurate: the unresolved modes and the relative error
    /// bound), and the wall time.
    public var headline: String {
        let a = analysis
        var line = String(format: "eg: %d/%d realizations converged, DOS(0)/DOS(max) = %.3f", convergedCount, outcomes.count, a.gapDepth)
        if let g = coulombGap {
            line += String(format: ", g(E) slope per area %.3f +- %.3f (ES 2/(pi e^4) = %.3f)",
                           g.slopePerArea, g.slopePerAreaError, g.efrosShklovskii)
        }
        if experiment.parameters.computeSpectrum {
            line += String(format: ", ln Gamma_min = %.3f +- %.3f, ln Gamma_max = %.3f",
                           a.cutoffs?.lnGammaMin ?? .nan, a.lnGammaMinError, a.cutoffs?.lnGammaMax ?? .nan)
            if experiment.parameters.eigensolver == .accurate {
                let unresolved = realizations.compactMap { $0.spectrum?.unresolved }.reduce(0, +)
                let bound = realizations.compactMap { $0.spectrum?.relativeErrorBound }.max() ?? 0
                line += String(format: ", %d modes unresolved, every rate to %.1e relative", unresolved, bound)
            } else {
                let below = realizations.compactMap { $0.spectrum?.belowFloor }.reduce(0, +)
                line += ", \(below) eigenvalues below the floor"
            }
            if let l = linearSummary {
                line += ", full rate matrix: \(l.saddleRealizations) saddles, \(l.positiveEigenvalueRealizations) with wrong-sign rates (excluded)"
            }
        }
        return line + String(format: ", %.1f s", wallTime)
    }
}
