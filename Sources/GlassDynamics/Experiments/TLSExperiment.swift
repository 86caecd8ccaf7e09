import Foundation

/// A TLS-glass run: many realizations of Eq. 4 solved in parallel, pooled into the DOS,
/// the ln Gamma distribution and the relaxation curve (`glassdyn tls`).
public struct TLSExperiment: Sendable {
    public var parameters: TLSParameters
    public var settings: RunSettings
    public var storage: CouplingStorage
    public var analysisOptions: DistributionAnalysis.Options
    /// Stored matrices are recycled between the realizations of this experiment.
    let matrixPool = MatrixBufferPool()

    public init(parameters: TLSParameters, settings: RunSettings, storage: CouplingStorage = .automatic) {
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
        return couplings + n * perSite * Double(settings.realizations) + n * 200 * Double(settings.concurrentRealizations)
    }

    /// Every check that must pass before work starts.
    public func validate() throws {
        try parameters.validate()
        try settings.validate()
        try ResourceUsage.check(terms: memoryTerms, what: "this run (--n \(parameters.sites), --realizations \(settings.realizations), --threads \(settings.threads), \(storageName) couplings)")
    }

    /// One realization end to end.
    public func realization(_ r: Int, innerThreads: Int = 1) -> TLSRealization {
        let p = parameters
        var clock = Stopwatch()
        let system = TLSSystem(parameters: p, seed: settings.seed, realization: r)
        let couplings: any SymmetricCouplings
        if let rc = p.cutoff {
            couplings = CutoffTLSCouplings(system: system, cutoff: rc, threads: innerThreads)
        } else if resolvedStorage == .dense {
            couplings = StoredTLSCouplings(system: system, threads: innerThreads, pool: matrixPool)
        } else {
            couplings = MatrixFreeTLSCouplings(system: system, threads: innerThreads)
        }
        let tBuild = clock.lap()
        let (d, report) = TLSMeanField.solve(system, couplings: couplings)
        let tSolve = clock.lap()
        let energies = (0..<p.sites).map { TLSMeanField.energy(d[$0], tunneling: system.tunneling[$0]) }
        let rates = (0..<p.sites).map {
            TLSMeanField.rate(energy: energies[$0], tunneling: system.tunneling[$0],
                              temperature: p.temperature, prefactor: p.ratePrefactor)
        }
        let tRates = clock.lap()
        let outcome = RealizationOutcome(index: r, energies: energies, rates: rates, solver: report,
                                         timings: [("build", tBuild), ("solve", tSolve), ("rates", tRates)])
        let sites = settings.saveSites
            ? TLSSiteTable(system: system, d: d, energies: energies, rates: rates, converged: report.converged) : nil
        return TLSRealization(outcome: outcome, sites: sites)
    }

    /// Runs every realization in memory (validate first). For checkpoints, shards and resume
    /// run a ``Campaign`` and pass its realizations to ``finish(_:wallTime:)``.
    public func run() -> TLSRunResult {
        let progress = ProgressReporter(label: label, total: settings.realizations, quiet: settings.quiet)
        let outcome = try! Campaign(experiment: self).run(progress: progress)  // cannot throw in memory
        return finish(outcome.realizations, wallTime: outcome.wallTime, progress: progress)
    }

    /// Pools realizations (all of them, sorted by index) into the run's observables.
    public func finish(_ realizations: [TLSRealization], wallTime: Double, progress: ProgressReporter? = nil) -> TLSRunResult {
        let outcomes = realizations.map { $0.outcome }
        let converged = outcomes.filter { $0.solver.converged }
        if converged.count < outcomes.count {
            progress?.note("tls: \(outcomes.count - converged.count) of \(outcomes.count) realizations did not converge; they are excluded and counted in summary.json")
        }
        let analysis = DistributionAnalysis(outcomes: converged, seed: settings.seed, options: analysisOptions)
        return TLSRunResult(experiment: self, outcomes: outcomes, analysis: analysis,
                            sites: settings.saveSites ? realizations.compactMap { $0.sites } : [],
                            wallTime: wallTime)
    }
}

extension TLSExperiment: RealizationExperiment {
    public var label: String { "tls" }

    public static func index(of realization: TLSRealization) -> Int { realization.outcome.index }

    /// The resolved parameters (box side included) that determine every realization.
    public var manifest: JSONValue {
        let p = parameters
        return .object([
            ("model", .string("tls")),
            ("n", .integer(p.sites)), ("w", .number(p.disorder)), ("j", .number(p.interaction)),
            ("t", .number(p.temperature)),
            ("delta0Min", .number(p.delta0Min)), ("delta0Max", .number(p.delta0Max)),
            ("ratePrefactor", .number(p.ratePrefactor)),
            ("box", .string(p.box.name)), ("boxSide", .number(p.boxSide)),
            ("density", .number(Double(p.sites) / pow(p.boxSide, 3))),
            ("convention", .string(p.convention.rawValue)),
            ("fieldPrefactor", .number(p.fieldPrefactor)),
            ("sz", .string(p.sz.rawValue)),
            ("anneal", p.anneal.map { .object([("high", .number($0.high)), ("steps", .integer($0.steps))]) } ?? .null),
            ("initialHalfWidth", .number(p.resolvedInitialHalfWidth)),
            ("tol", .number(p.tolerance)), ("maxIterations", .integer(p.maxIterations)),
            ("cutoff", p.cutoff.map { .number($0) } ?? .null),
            ("saveSites", .bool(settings.saveSites)),
        ])
    }
}

/// What one TLS realization produced: the pooled quantities and, with --save-sites, its sites.
public struct TLSRealization: Sendable, BinaryRecord {
    public var outcome: RealizationOutcome
    public var sites: TLSSiteTable?

    public init(outcome: RealizationOutcome, sites: TLSSiteTable?) {
        self.outcome = outcome
        self.sites = sites
    }

    public func encode(into w: inout BinaryWriter) {
        outcome.encode(into: &w)
        w.writeOptional(sites) { w, s in s.encode(into: &w) }
    }

    public init(from r: inout BinaryReader) throws {
        outcome = try RealizationOutcome(from: &r)
        sites = try r.readOptional { try TLSSiteTable(from: &$0) }
    }
}

/// The outcome of a TLS run, ready to be written.
public struct TLSRunResult: Sendable {
    public let experiment: TLSExperiment
    public let outcomes: [RealizationOutcome]
    public let analysis: DistributionAnalysis
    public let sites: [TLSSiteTable]
    public let wallTime: Double

    /// summary.json: parameters, convergence, observables, cost.
    public var summary: JSONValue {
        let parameters = experiment.manifest
        return RunSummary.build(model: parameters, settings: experiment.settings, outcomes: outcomes,
                                analysis: analysis, extra: [("couplingStorage", .string(experiment.storageName))],
                                wallTime: wallTime)
    }

    /// Writes summary.json, the CSV files and (with --save-sites) sites.csv, each atomically.
    public func write(to out: OutputDirectory) throws {
        try analysis.write(to: out)
        if experiment.settings.saveSites {
            var table = CSVTable(columns: TLSSiteTable.columns)
            for s in sites { s.append(to: &table) }
            try out.write(table, as: "sites.csv")
        }
        try out.write(summary, as: "summary.json")
    }
}
