import Foundation

/// A glass whose realizations the kinetic Monte Carlo simulates: the mean-field experiment of
/// the same model, so that the same seed gives the same sites, fields and couplings, and the
/// mean-field outcome of each realization stands beside its exact dynamics.
public protocol KMCGlass: MeanFieldExperiment {
    /// Realization `r`: its mean-field outcome (as the model's own command computes it) and
    /// the kinetic Monte Carlo of the same disorder under `options`, continued from and
    /// saved to `checkpoints` when given.
    func kineticRealization(_ r: Int, options: KMCOptions, innerThreads: Int, checkpoints: KMCCheckpoints?) throws -> KMCRealization
    /// Bytes one realization's kinetic Monte Carlo holds beyond the mean-field run.
    func kineticBytes(options: KMCOptions) -> Double
    /// Bounds and bins of the single-site energy histograms (KMC and mean field alike).
    var dosRange: (lower: Double, upper: Double, bins: Int) { get }
    /// How the mean-field realizations are pooled.
    var analysisOptions: DistributionAnalysis.Options { get }
}

extension EGExperiment: KMCGlass {
    /// +-(the DOS range of `glassdyn eg`), 201 bins.
    public var dosRange: (lower: Double, upper: Double, bins: Int) {
        let r = analysisOptions.energyRange ?? 3
        return (-r, r, analysisOptions.dosBins)
    }

    /// Dense Coulomb rows when they fit in a quarter of memory for every concurrent realization.
    func storesCoulomb() -> Bool {
        CoulombColumns.bytes(sites: parameters.sites) * Double(settings.concurrentRealizations) <= 0.25 * MemoryLimit.effective.bytes
    }

    /// The Coulomb rows (dense or matrix-free), the pair list (about 40 bytes a pair) and the
    /// drift bounds (about 9 bytes a pair).
    public func kineticBytes(options: KMCOptions) -> Double {
        let p = parameters
        let rc = Swift.min(options.pairCutoff * p.localizationLength, p.boxSide / 2)
        let pairs = Double(p.sites) * Double.pi * rc * rc * p.density / 2
        // Drift bounds (default): 9 bytes per pair (site -> pair lists, classes), 40 per site.
        let drift = options.fullRefresh ? 0 : 9 * pairs + 40 * Double(p.sites)
        return (storesCoulomb() ? CoulombColumns.bytes(sites: p.sites) : 0) + 40 * pairs + 64 * Double(p.sites) + drift
    }

    /// The mean-field realization, then the hop dynamics of the same sites and energies.
    public func kineticRealization(_ r: Int, options: KMCOptions, innerThreads: Int, checkpoints: KMCCheckpoints?) throws -> KMCRealization {
        try KMCCheckpoints.realization(r, checkpoints: checkpoints, meanField: { try realization(r, innerThreads: innerThreads).outcome }) {
            try kinetics(r, options: options, outcome: $0, resume: $1, canonical: $2)
        }
    }

    /// The hop dynamics of realization `r` whose mean-field outcome is `outcome`.
    func kinetics(_ r: Int, options: KMCOptions, outcome: RealizationOutcome, resume: KMCRunState?,
                  canonical: (() -> KMCRunState) throws -> Void) throws -> KMCObservation {
        let p = parameters
        let system = EGSystem(parameters: p, seed: settings.seed, realization: r)
        let columns = CoulombColumns(box: system.box, chargeSquared: p.chargeSquared, stored: storesCoulomb())
        let n = p.sites, m = p.electrons
        let xi = p.localizationLength
        let rc = Swift.min(options.pairCutoff * xi, p.boxSide / 2)
        // One model with the pair list built once; trajectories start from copies of it.
        let meanFieldOrder = outcome.energies.indices.sorted { outcome.energies[$0] < outcome.energies[$1] }
        var base = EGHopModel(box: system.box, bareEnergies: system.bareEnergies, columns: columns, temperature: p.temperature,
                              localizationLength: xi, pairCutoff: rc, occupation: Self.filling(meanFieldOrder, n: n, electrons: m),
                              driftSlack: options.fullRefresh ? nil : KMCOptions.egDriftSlack)
        let startKind = [.equilibrium, .response].contains(options.protocolKind) ? options.start : .random
        let seed = settings.seed
        return try KMCProtocolRunner.run(options: options, seed: seed, realization: r, start: { k in
            if startKind == .meanfield { return base }
            let s = KMCStream(seed: seed, realization: r, trajectory: k)
            let u = (0..<n).map { s.startUniform($0) }
            base.setOccupation(Self.filling(u.indices.sorted { u[$0] < u[$1] }, n: n, electrons: m))
            return base
        }, values: { model in
            let mu = model.chemicalPotential
            return model.localEnergies.map { $0 - mu }
        }, dosRange: dosRange, perturbation: {
            // delta phi_i = h sin(2 pi x_i / L); O = -(1/N) sum delta phi_i delta n_i, delta n = delta sigma / 2.
            let phi = system.responsePotential(strength: options.strength)
            return (phi, phi.map { -0.5 * $0 })
        }(), resume: resume, canonical: canonical)
    }

    /// Occupations with the first `electrons` sites of `order` filled.
    package static func filling(_ order: [Int], n: Int, electrons: Int) -> [Int8] {
        var occ = [Int8](repeating: 0, count: n)
        for i in order.prefix(electrons) { occ[i] = 1 }
        return occ
    }
}

extension TLSExperiment: KMCGlass {
    /// +-(the DOS range of `glassdyn tls`), 201 bins.
    public var dosRange: (lower: Double, upper: Double, bins: Int) {
        let r = analysisOptions.energyRange ?? 4
        return (-r, r, analysisOptions.dosBins)
    }

    /// The couplings of the kinetic model (as the mean-field solve holds them) and per-site arrays.
    public func kineticBytes(options: KMCOptions) -> Double {
        let p = parameters
        let couplings = p.cutoff == nil && resolvedStorage == .dense ? StoredTLSCouplings.bytes(sites: p.sites) : 0
        return couplings + 64 * Double(p.sites)
    }

    /// The mean-field realization, then the flip dynamics of the same spins and couplings.
    public func kineticRealization(_ r: Int, options: KMCOptions, innerThreads: Int, checkpoints: KMCCheckpoints?) throws -> KMCRealization {
        try KMCCheckpoints.realization(r, checkpoints: checkpoints, meanField: { try realization(r, innerThreads: innerThreads).outcome }) {
            try kinetics(r, options: options, outcome: $0, resume: $1, canonical: $2)
        }
    }

    /// The flip dynamics of realization `r` whose mean-field outcome is `outcome`.
    func kinetics(_ r: Int, options: KMCOptions, outcome: RealizationOutcome, resume: KMCRunState?,
                  canonical: (() -> KMCRunState) throws -> Void) throws -> KMCObservation {
        let p = parameters
        let system = TLSSystem(parameters: p, seed: settings.seed, realization: r)
        let couplings = self.couplings(for: system, innerThreads: 1)
        let n = p.sites
        let meanField = outcome.energies.map { Int8($0 < 0 ? -1 : 1) }
        let startKind = [.equilibrium, .response].contains(options.protocolKind) ? options.start : .random
        let seed = settings.seed
        let base = TLSFlipModel(asymmetry: system.asymmetry, tunneling: system.tunneling, couplings: couplings,
                                fieldPrefactor: p.fieldPrefactor, temperature: p.temperature, ratePrefactor: p.ratePrefactor,
                                spins: meanField, thinning: options.thinning,
                                driftSlack: options.thinning || options.fullRefresh ? nil : KMCOptions.tlsDriftSlack)
        return try KMCProtocolRunner.run(options: options, seed: seed, realization: r, start: { k in
            if startKind == .meanfield { return base }
            let s = KMCStream(seed: seed, realization: r, trajectory: k)
            var model = base
            model.setSpins((0..<n).map { Int8(s.startUniform($0) < 0.5 ? -1 : 1) })
            return model
        }, values: { model in
            (0..<n).map { i in TLSMeanField.energy(model.localEnergies[i], tunneling: model.tunneling[i]) }
        }, dosRange: dosRange, perturbation: (
            // Delta_i += h; O = (h/N) sum delta s_i.
            [Double](repeating: options.strength, count: n), [Double](repeating: options.strength, count: n)),
            resume: resume, canonical: canonical)
    }
}

/// One realization of a kinetic Monte Carlo run: the mean-field outcome of the same disorder
/// and what the trajectories measured.
public struct KMCRealization: Sendable, BinaryRecord {
    /// The mean-field outcome (energies, rates, solver report).
    public var outcome: RealizationOutcome
    /// The kinetic Monte Carlo observation.
    public var kinetic: KMCObservation

    /// A record of these parts.
    public init(outcome: RealizationOutcome, kinetic: KMCObservation) {
        self.outcome = outcome
        self.kinetic = kinetic
    }

    /// Writes the outcome, then the observation.
    public func encode(into w: inout BinaryWriter) {
        outcome.encode(into: &w)
        kinetic.encode(into: &w)
    }

    /// Reads what ``encode(into:)`` wrote.
    public init(from r: inout BinaryReader) throws {
        outcome = try RealizationOutcome(from: &r)
        kinetic = try KMCObservation(from: &r)
    }
}
