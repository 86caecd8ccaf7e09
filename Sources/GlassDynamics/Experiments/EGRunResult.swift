import Foundation

/// The outcome of an electron-glass run, ready to be written.
///
/// Only converged realizations enter the pooled observables (DOS, rates, Coulomb gap,
/// Appendix A); the others are counted in summary.json.
public struct EGRunResult: Sendable {
    public let experiment: EGExperiment
    public let realizations: [EGRealizationResult]
    public let analysis: DistributionAnalysis
    /// nil when the linear window 2T..0.3 is empty (T >= 0.15) or nothing converged.
    public let coulombGap: CoulombGap?
    /// Appendix A (bare runs only).
    public let nearestNeighbour: NearestNeighbourComparison?
    public let wallTime: Double

    public var outcomes: [RealizationOutcome] { realizations.map { $0.outcome } }

    public init(experiment: EGExperiment, realizations: [EGRealizationResult], wallTime: Double) {
        self.experiment = experiment
        self.realizations = realizations
        self.wallTime = wallTime
        let p = experiment.parameters
        let converged = realizations.filter { $0.outcome.solver.converged }
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

    /// The spectrum block of summary.json (null with --no-spectrum).
    var spectrumSummary: JSONValue {
        let spectra = realizations.filter { $0.outcome.solver.converged }.compactMap { $0.spectrum }
        guard experiment.parameters.computeSpectrum else { return .null }
        let zeros = spectra.map { Double($0.zeroEigenvalues) }
        return .object([
            ("lapackRoutine", .string(experiment.routine.rawValue)),
            ("matrix", .string(experiment.parameters.rateModel == .bare
                ? "A_ij = exp(-r_ij/xi), A_jj = -sum_k A_kj (Appendix A)"
                : (experiment.parameters.eigensolver == .symmetric
                    ? "D^-1/2 G D^-1/2 with G_ij = gamma_ij, D = diag(n(1-n)): same eigenvalues as A (Eq. 23 without the direct term)"
                    : "A_ij = gamma_ij/(n_j(1-n_j)), A_jj = -sum_k A_kj (Eq. 23 without the direct term)"))),
            ("zeroEigenvalues", RunSummary.stats(zeros)),
            ("realizationsWithExactlyOneZeroEigenvalue", .integer(spectra.filter { $0.zeroEigenvalues == 1 }.count)),
            ("resolvableRateFloorRule", .string("floor = N * eps * max|lambda| (eps = 2.2e-16): the eigensolver's absolute error; |lambda| <= floor is numerical zero, the one nearest 0 is the conservation mode, any other is a slow mode lost below the floor")),
            ("resolvableRateFloor", RunSummary.stats(spectra.map { $0.floor })),
            ("largestRate", RunSummary.stats(spectra.map { $0.largestRate })),
            ("eigenvaluesBelowFloor", .integer(spectra.reduce(0) { $0 + $1.belowFloor })),
            ("positiveEigenvalues", .integer(spectra.reduce(0) { $0 + $1.positive })),
            ("resolvableRates", .integer(spectra.reduce(0) { $0 + $1.rates.count })),
            ("largestRelativeImaginaryPart", .number(spectra.map { $0.largestImaginaryPart }.max() ?? 0)),
        ])
    }

    /// summary.json: parameters, convergence, observables, the electron-glass extras, cost.
    public var summary: JSONValue {
        let p = experiment.parameters
        let parameters = experiment.manifest
        var extra: [(String, JSONValue)] = [
            ("energiesFrom", .string("chemical potential mu (E - mu), mu fixed by sum n_i = N/2 after every sweep")),
            ("chemicalPotential", RunSummary.stats(realizations.map { $0.chemicalPotential })),
            ("fillingError", RunSummary.stats(realizations.map { $0.fillingError })),
            ("largestAbsoluteFillingError", .number(realizations.map { abs($0.fillingError) }.max() ?? .nan)),
            ("spectrum", spectrumSummary),
            ("coulombGap", coulombGap?.summary ?? .null),
            ("dosJZeroValue", .number(p.disorder > 0 ? 1 / p.disorder : .nan)),
        ]
        if let nn = nearestNeighbour { extra.append(("nnLaw", nn.summary)) }
        extra.append(("blasThreads", .integer(experiment.resolvedBLASThreads)))
        return RunSummary.build(model: parameters, settings: experiment.settings, outcomes: outcomes,
                                analysis: analysis, extra: extra, wallTime: wallTime)
    }

    /// Writes summary.json, dos.csv, the rate files (unless --no-spectrum), nn.csv (--bare)
    /// and sites.csv (--save-sites), each atomically.
    public func write(to out: OutputDirectory) throws {
        try analysis.write(to: out, includeRates: experiment.parameters.computeSpectrum)
        if let nn = nearestNeighbour { try out.write(nn.table, as: "nn.csv") }
        if experiment.settings.saveSites {
            var table = CSVTable(columns: EGSiteTable.columns)
            for r in realizations { r.sites?.append(to: &table) }
            try out.write(table, as: "sites.csv")
        }
        try out.write(summary, as: "summary.json")
    }
}
