import Foundation

/// A TLS-glass run: many realizations of Eq. 4 solved in parallel, pooled into the DOS,
/// the ln Gamma distribution and the relaxation curve (`glassdyn tls`).
public struct TLSExperiment: Sendable {
    /// The model's parameters (MODEL.md, "TLS glass"): what every realization computes.
    public var parameters: TLSParameters
    /// Seed, realizations and threads: how the run is executed.
    public var settings: RunSettings
    /// Where the couplings live during a solve, as requested (``resolvedStorage`` is the
    /// choice made); ignored when ``TLSParameters/cutoff`` is set.
    public var storage: CouplingStorage
    /// How the realizations are pooled; the initializers set the DOS range to
    /// 4 sqrt(W^2 + J^2) + 4 T.
    public var analysisOptions: DistributionAnalysis.Options
    /// Aging (``AgingExperiment``): the modes are weighed by a uniform shift h of every
    /// asymmetry Delta_i of this strength; nil: no weights.
    public var perturbationStrength: Double? = nil
    /// Stored matrices are recycled between the realizations of this experiment.
    let matrixPool = MatrixBufferPool()

    /// A run of `parameters` with automatic coupling storage.
    public init(parameters: TLSParameters, settings: RunSettings) {
        self.init(parameters: parameters, settings: settings, storage: .automatic)
    }

    /// A run of `parameters` with the couplings held as `storage` says.
    public init(parameters: TLSParameters, settings: RunSettings, storage: CouplingStorage) {
        self.parameters = parameters
        self.settings = settings
        self.storage = storage
        analysisOptions = DistributionAnalysis.Options()
        // The DOS of Figs. 1-5 lives within a few sqrt(W^2 + J^2) (plus T for hot runs).
        analysisOptions.energyRange = 4 * (parameters.disorder * parameters.disorder
            + parameters.interaction * parameters.interaction).squareRoot() + 4 * parameters.temperature
    }

    /// Dense storage when it fits in a quarter of memory for every concurrent realization.
    public var resolvedStorage: CouplingStorage {
        switch storage {
        case .automatic:
            let need = StoredTLSCouplings.bytes(sites: parameters.sites) * Double(settings.concurrentRealizations)
            return need <= 0.25 * MemoryLimit.effective.bytes ? .dense : .matrixFree
        default: return storage
        }
    }

    /// How the couplings are held, as summary.json reports it: "dense", "matrix-free" or
    /// "cutoff" (a cutoff overrides the storage choice).
    public var storageName: String { parameters.cutoff == nil ? resolvedStorage.rawValue : "cutoff" }

    /// Bytes the run will hold at its peak (couplings of the concurrent realizations plus the
    /// pooled per-site results).
    public var memoryEstimate: Double {
        let n = Double(parameters.sites)
        let p = parameters
        let perRealization = p.cutoff.map {
            CutoffTLSCouplings.bytes(sites: p.sites, cutoff: $0, density: Double(p.sites) / pow(p.boxSide, 3))
        } ?? (resolvedStorage == .dense ? StoredTLSCouplings.bytes(sites: p.sites) : 0)
        let couplings = perRealization * Double(settings.concurrentRealizations)
        let perSite = settings.saveSites ? 120.0 : 40.0
        return couplings + linearMatrixBytes * Double(settings.concurrentRealizations) + n * perSite * Double(settings.realizations) + n * 200 * Double(settings.concurrentRealizations)
    }

    /// Bytes of the dense matrices the graded method holds per realization with
    /// `--rate-matrix full`: M, the pencil (Gamma_max / Gamma, P) and LAPACK's workspaces,
    /// about 5 N^2 doubles, 7 N^2 with the eigenvectors (`--modes`); 0 for the diagonal rates.
    public var linearMatrixBytes: Double {
        guard parameters.rateMatrix == .full else { return 0 }
        return (parameters.computeModes ? 7.0 : 5.0) * 8 * Double(parameters.sites) * Double(parameters.sites)
    }

    /// Every check that must pass before work starts.
    public func validate() throws {
        try parameters.validate()
        try settings.validate()
        try ResourceUsage.check(terms: memoryTerms, what: "this run (\(Parameter.sites) \(parameters.sites), \(Parameter.realizations) \(settings.realizations), \(Parameter.threads) \(settings.threads), \(storageName) couplings)")
    }

    /// The couplings of `system` as this run holds them: cutoff, dense or matrix-free.
    package func couplings(for system: TLSSystem, innerThreads: Int) -> any SymmetricCouplings {
        if let rc = parameters.cutoff {
            return CutoffTLSCouplings(system: system, cutoff: rc, threads: innerThreads)
        } else if resolvedStorage == .dense {
            return StoredTLSCouplings(system: system, threads: innerThreads, pool: matrixPool)
        } else {
            return MatrixFreeTLSCouplings(system: system, threads: innerThreads)
        }
    }

    /// One realization end to end.
    public func realization(_ r: Int, innerThreads: Int = 1) throws -> TLSRealization {
        let p = parameters
        var clock = Stopwatch()
        let system = TLSSystem(parameters: p, seed: settings.seed, realization: r)
        let couplings = self.couplings(for: system, innerThreads: innerThreads)
        let tBuild = clock.lap()
        let (d, report) = TLSMeanField.solve(system, couplings: couplings)
        let tSolve = clock.lap()
        let energies = (0..<p.sites).map { TLSMeanField.energy(d[$0], tunneling: system.tunneling[$0]) }
        let rates = (0..<p.sites).map {
            TLSMeanField.rate(energy: energies[$0], tunneling: system.tunneling[$0],
                              temperature: p.temperature, prefactor: p.ratePrefactor)
        }
        let tRates = clock.lap()
        var timings = [("build", tBuild), ("solve", tSolve), ("rates", tRates)]
        var pooledRates = rates
        var linear: LinearOutcome? = nil
        if p.rateMatrix == .full && report.converged {
            let lin = TLSLinearization(system: system, equilibrium: d)
            if p.computeModes {
                let h = perturbationStrength.map { [Double](repeating: $0, count: p.sites) }
                if let (spectrum, modes) = try lin.modes(perturbation: h, method: .graded) {
                    linear = LinearOutcome(stability: spectrum.stability, diagonalRates: spectrum.diagonalRates, modes: modes)
                    pooledRates = spectrum.rates
                } else {
                    linear = LinearOutcome(stability: .notPositiveDefinite, diagonalRates: rates.sorted())
                }
            } else {
                let spectrum = try lin.spectrum(method: .graded)
                linear = LinearOutcome(stability: spectrum.stability, diagonalRates: spectrum.diagonalRates)
                pooledRates = spectrum.rates
            }
            if !linear!.isStable { pooledRates = [] }
            timings.append(("fullRateMatrix", clock.lap()))
        }
        let outcome = RealizationOutcome(index: r, energies: energies, rates: pooledRates, solver: report,
                                         timings: timings)
        let sites = settings.saveSites
            ? TLSSiteTable(system: system, d: d, energies: energies, rates: rates, converged: report.converged) : nil
        return TLSRealization(outcome: outcome, sites: sites, linear: linear)
    }

    /// Pools realizations (all of them, sorted by index) into the run's observables.
    public func finish(_ realizations: [TLSRealization], wallTime: Double, progress: ProgressReporter? = nil) -> TLSRunResult {
        let outcomes = realizations.map { $0.outcome }
        let converged = realizations.filter { $0.isPooled }.map { $0.outcome }
        let notConverged = outcomes.filter { !$0.solver.converged }.count
        if notConverged > 0 {
            progress?.note("tls: \(notConverged) of \(outcomes.count) realizations did not converge; they are excluded and counted in summary.json")
        }
        let unstable = realizations.filter { $0.outcome.solver.converged && !$0.isPooled }.count
        if unstable > 0 {
            progress?.note("tls: \(unstable) of \(outcomes.count) realizations are not stable fixed points of the full rate matrix; they are excluded and counted in summary.json")
        }
        let analysis = DistributionAnalysis(outcomes: converged, seed: settings.seed, options: analysisOptions)
        return TLSRunResult(experiment: self, outcomes: outcomes, analysis: analysis,
                            sites: settings.saveSites ? realizations.compactMap { $0.sites } : [],
                            linear: realizations.compactMap { r in r.linear.map { (r.outcome.index, $0, r.outcome.rates) } },
                            wallTime: wallTime)
    }
}

extension TLSExperiment: MeanFieldExperiment {
    /// The TLS glass.
    public static let model = GlassModel.tls

    /// The parameters determine every realization (the coupling storage does not: the stored
    /// and matrix-free paths give the same bits).
    public var configuration: TLSParameters { parameters }

    /// Rebuilds the experiment of a run.json (resume, merge), with automatic coupling storage.
    public init(configuration: TLSParameters, settings: RunSettings) {
        self.init(parameters: configuration, settings: settings)
    }

    /// The realization index `realization` belongs to.
    public static func index(of realization: TLSRealization) -> Int { realization.outcome.index }
}

/// What one TLS realization produced: the pooled quantities and, with --save-sites, its sites.
public struct TLSRealization: Sendable, BinaryRecord {
    /// Energies E_i (Eq. 6), rates Gamma_i (Eq. 10-12), solver report and timings.
    public var outcome: RealizationOutcome
    /// The per-site table for sites.csv when ``RunSettings/saveSites`` is set; nil otherwise.
    public var sites: TLSSiteTable?
    /// With the full rate matrix: its stability, the diagonal rates and the modes.
    public var linear: LinearOutcome?

    /// A realization's result from its outcome, optional site table and linear outcome.
    public init(outcome: RealizationOutcome, sites: TLSSiteTable?, linear: LinearOutcome? = nil) {
        self.outcome = outcome
        self.sites = sites
        self.linear = linear
    }

    /// Converged and, with the full rate matrix, a stable fixed point: pooled.
    public var isPooled: Bool { outcome.solver.converged && (linear?.isStable ?? true) }

    /// Writes the outcome, then the optional site table, then the linear outcome if any.
    public func encode(into w: inout BinaryWriter) {
        outcome.encode(into: &w)
        w.writeOptional(sites) { w, s in s.encode(into: &w) }
        // Written only when present, so default runs keep their old ledger format.
        if let linear { linear.encode(into: &w) }
    }

    /// Reads what ``encode(into:)`` wrote.
    public init(from r: inout BinaryReader) throws {
        outcome = try RealizationOutcome(from: &r)
        sites = try r.readOptional { try TLSSiteTable(from: &$0) }
        linear = r.isAtEnd ? nil : try LinearOutcome(from: &r)
    }
}

/// The outcome of a TLS run, ready to be written.
public struct TLSRunResult: Sendable {
    /// The experiment that ran: parameters, settings, coupling storage, analysis options.
    public let experiment: TLSExperiment
    /// Every realization's outcome, converged or not, sorted by index.
    public let outcomes: [RealizationOutcome]
    /// The pooled DOS, ln Gamma distribution and relaxation curve of the converged
    /// realizations.
    public let analysis: DistributionAnalysis
    /// The site tables of every realization when ``RunSettings/saveSites`` is set; empty
    /// otherwise.
    public let sites: [TLSSiteTable]
    /// With the full rate matrix: every converged realization's linear outcome and pooled rates.
    package let linear: [(index: Int, outcome: LinearOutcome, rates: [Double])]
    /// Wall-clock seconds of the work this process did (a resumed run counts only the
    /// realizations it computed; a merge counts the merge).
    public let wallTime: Double

    init(experiment: TLSExperiment, outcomes: [RealizationOutcome], analysis: DistributionAnalysis,
         sites: [TLSSiteTable], linear: [(Int, LinearOutcome, [Double])], wallTime: Double) {
        self.experiment = experiment
        self.outcomes = outcomes
        self.analysis = analysis
        self.sites = sites
        self.linear = linear.map { (index: $0.0, outcome: $0.1, rates: $0.2) }
        self.wallTime = wallTime
    }

    /// The full-rate-matrix block (nil for the diagonal rates): stability counts and the
    /// relative change of the sorted full rates against the sorted diagonal ones.
    public var linearSummary: LinearSummary? {
        guard experiment.parameters.rateMatrix == .full else { return nil }
        return LinearSummary(rateMatrix: "full",
                             matrix: "A = -diag(Gamma) + diag(Gamma chi) f J (direct term included); rates = eigenvalues of M = Gamma^1/2 (I - f chi^1/2 J chi^1/2) Gamma^1/2, graded method (dsyevd above the splice, dsygvd on (Gamma_max/Gamma, P) below); P not positive definite = saddle, excluded",
                             linear: linear, relativeChange: true)
    }

    /// modes.csv (with `--modes`).
    public var modesTable: CSVTable? {
        guard experiment.parameters.computeModes else { return nil }
        return LinearPooling.modesTable(linear.filter { $0.outcome.isStable }.map { ($0.index, $0.outcome.modes ?? []) })
    }

    /// summary.json: parameters, convergence, observables, coupling storage, cost.
    public var summary: RunSummary<TLSParameters, Extra> {
        let p = experiment.parameters
        return RunSummary(model: .tls, parameters: p, resolved: ResolvedParameters(p, fieldPrefactor: p.fieldPrefactor),
                          settings: experiment.settings, outcomes: outcomes, analysis: analysis,
                          extra: Extra(couplingStorage: experiment.storageName, fullRateMatrix: linearSummary),
                          wallTime: wallTime)
    }

    /// The TLS glass's own block of summary.json.
    public struct Extra: Codable, Sendable {
        /// "dense", "matrix-free" or "cutoff".
        public var couplingStorage: String
        /// With `--rate-matrix full`: stability counts (saddles excluded), relative change of
        /// the rates, modes.
        public var fullRateMatrix: LinearSummary?
    }
}

extension TLSRunResult: RunResult {
    /// The TLS glass.
    public var model: GlassModel { .tls }

    /// dos.csv, rates.csv, rates_linear.csv, relaxation.csv, sites.csv (when saved), summary.json.
    public var files: [OutputFile] {
        var out = analysis.tables().map { OutputFile.csv($0.name, $0.table) }
        if experiment.settings.saveSites {
            var table = CSVTable(columns: TLSSiteTable.columns(rateMatrix: experiment.parameters.rateMatrix))
            for s in sites { s.append(to: &table) }
            out.append(.csv("sites.csv", table))
        }
        if let modes = modesTable { out.append(.csv("modes.csv", modes)) }
        out.append(.json("summary.json", summary))
        return out
    }

    /// Converged realizations, ln Gamma_min with its bootstrap error, ln Gamma_max (nan
    /// without a plateau), the DOS gap depth and the wall time, on one line.
    public var headline: String {
        let a = analysis
        var line = String(format: "tls: %d/%d realizations converged, ln Gamma_min = %.3f +- %.3f, ln Gamma_max = %.3f, DOS(0)/DOS(max) = %.3f",
                          convergedCount, outcomes.count, a.cutoffs?.lnGammaMin ?? .nan, a.lnGammaMinError,
                          a.cutoffs?.lnGammaMax ?? .nan, a.gapDepth)
        if let l = linearSummary {
            line += ", full rate matrix: \(l.saddleRealizations) saddles, \(l.positiveEigenvalueRealizations) with wrong-sign rates (excluded)"
            if let q = l.relativeChangeQuantiles, q.count == 3 {
                line += String(format: ", |Gamma_full/Gamma_diag - 1| median %.2g, 90%% %.2g, 99%% %.2g", q[0], q[1], q[2])
            }
        }
        return line + String(format: ", %.1f s", wallTime)
    }
}
