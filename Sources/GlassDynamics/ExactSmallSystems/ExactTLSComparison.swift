import Foundation

/// Mean field against the exact thermal averages of the same small TLS cluster, site by site,
/// over realizations and a grid of (W, T) (docs/exact.md):
///
/// - reference `quantum`: the cluster Hamiltonian (``TLSClusterHamiltonian``) diagonalized
///   once per realization, thermal <sigma^z_i> at every T;
/// - reference `classical`: the Ising limit (``ClassicalTLSCluster``) enumerated exactly.
///
/// Three mean-field solutions per realization and T: `eq4`, the production solver exactly as
/// the mean-field run solves it (``TLSMeanField/solve(_:couplings:)``); `weiss`, the Weiss mean
/// field of the reference (quantum: the exact single-TLS closure; classical: tanh(D/2T)),
/// solved independently by ``SmallClusterMeanField`` from the eq4 solution; `tap`, the same
/// with the Onsager reaction term. Metrics per site: m_rule = m_MF - m_exact (m = -<sigma^z> =
/// <s>), d_rule = D_MF - D_eff, with D_eff the field that the rule's single-site law maps to
/// the exact m (excluded when the smaller of P(s = +-1) is below 1e-10, where the
/// eigenvectors' absolute accuracy no longer resolves it).
package struct ExactTLSComparison: Sendable {
    /// The exact reference.
    package enum Reference: String, Sendable, Codable {
        case quantum, classical
    }

    package static let rules = ["eq4", "weiss", "tap"]
    package static let metrics = rules.map { "m_\($0)" } + rules.map { "d_\($0)" }
    /// Below this, the smaller of P(s = +1), P(s = -1) is not resolved: D_eff is left out.
    package static let saturation = 1e-10

    package var plan: ExactStudyPlan<TLSParameters>
    package var reference: Reference
    package var driver: ThermalDiagonalization.Driver = .dsyevd

    package init(plan: ExactStudyPlan<TLSParameters>, reference: Reference) {
        self.plan = plan
        self.reference = reference
    }

    /// Memory of the run: one dense diagonalization per worker (quantum), or one enumeration.
    package var bytes: Double {
        let n = plan.model.sites
        switch reference {
        case .quantum: return plan.concurrentRealizations * TLSClusterHamiltonian.bytes(sites: n)
        case .classical: return plan.concurrentRealizations * 8 * 3 * Double(1 << Swift.min(n, 40))
        }
    }

    /// Every value checked before any work; the memory of the diagonalization against the limit.
    package func validate() throws {
        if plan.model.sz == .tap {
            throw ParameterError(.sz, "\(Parameter.sz) tap is not a closure of the eq4 column (meanfield or exact): the comparison's tap column already solves the TAP equations")
        }
        switch reference {
        case .quantum:
            try plan.validate(maximumSites: TLSClusterHamiltonian.maximumSites, what: "exact diagonalization (2^N states)", bytes: bytes)
        case .classical:
            try plan.validate(maximumSites: BoltzmannEnumeration.maximumSites, what: "exact enumeration (2^N configurations)", bytes: bytes)
        }
    }

    /// One site's comparison at one (W, T, realization).
    package struct SiteRow: Sendable {
        package var disorder, temperature: Double
        package var realization, site: Int
        package var asymmetry, tunneling: Double
        package var exactM: Double
        /// D and m of eq4, weiss, tap (nil: not converged).
        package var d: [Double?]
        package var m: [Double?]
        /// D_eff of each rule's law (nil: saturated).
        package var effective: [Double?]
    }

    /// Runs one realization at disorder `w`: every temperature of the plan.
    package func realization(_ r: Int, disorder w: Double) throws -> [SiteRow] {
        var p = plan.model
        p.disorder = w
        let base = TLSSystem(parameters: p, seed: plan.seed, realization: r)
        let n = p.sites
        let cluster = TLSClusterHamiltonian(system: base)
        let spectrum = reference == .quantum ? try ThermalDiagonalization(cluster, driver: driver) : nil
        let classical = reference == .classical ? ClassicalTLSCluster(system: base) : nil
        let laws: [SingleSiteResponse] = [SingleSiteResponse(rule: p.sz, convention: p.convention),
                                          reference == .quantum ? .quantum : .classical,
                                          reference == .quantum ? .quantum : .classical]
        var rows = [SiteRow]()
        for t in plan.temperatures {
            p.temperature = t
            let system = TLSSystem(parameters: p, seed: plan.seed, realization: r)
            // Exact P(s = +1) = P(sigma^z = -1) and P(s = -1).
            let plus: [Double], minus: [Double]
            if let spectrum {
                let s = spectrum.state(temperature: t)
                plus = s.downProbability
                minus = s.upProbability
            } else {
                let mg = classical!.boltzmann(temperature: t).marginals(sites: n)
                plus = mg.set
                minus = mg.clear
            }
            let production = TLSMeanField.solve(system, couplings: system.denseCouplings())
            var solutions: [[Double]?] = [production.report.converged ? production.d : nil]
            let start = production.d
            let weiss = SmallClusterMeanField(response: laws[1], onsager: false)
                .solve(start: start, asymmetry: cluster.asymmetry, tunneling: cluster.tunneling,
                       couplings: cluster.couplings, prefactor: cluster.prefactor, temperature: t)
            solutions.append(weiss.converged ? weiss.d : nil)
            let tap = SmallClusterMeanField(response: laws[2], onsager: true)
                .solve(start: weiss.d, asymmetry: cluster.asymmetry, tunneling: cluster.tunneling,
                       couplings: cluster.couplings, prefactor: cluster.prefactor, temperature: t)
            solutions.append(tap.converged ? tap.d : nil)
            for i in 0..<n {
                let d0 = cluster.tunneling[i]
                let resolved = Swift.min(plus[i], minus[i]) >= Self.saturation
                rows.append(SiteRow(
                    disorder: w, temperature: t, realization: r, site: i,
                    asymmetry: cluster.asymmetry[i], tunneling: d0,
                    exactM: (plus[i] - minus[i]) / (plus[i] + minus[i]),
                    d: solutions.map { $0?[i] },
                    m: zip(solutions, laws).map { s, law in s.map { law($0[i], tunneling: d0, temperature: t) } },
                    effective: laws.map { resolved ? $0.inverse(plus: plus[i], minus: minus[i], tunneling: d0, temperature: t) : nil }))
            }
        }
        return rows
    }

    /// The result: every site row and the table of errors.
    package struct Result: Sendable {
        package var rows: [SiteRow]
        package var table: ExactComparisonTable
    }

    /// Runs every realization of every W (realizations in parallel on `threads` workers; the
    /// result does not depend on the thread count).
    package func run(progress: ProgressReporter? = nil) throws -> Result {
        try validate()
        if plan.threads > 1 { BLASThreads.set(1) }
        var rows = [SiteRow]()
        var table = ExactComparisonTable(metrics: Self.metrics)
        let runner = ParallelRunner(threads: plan.threads)
        for w in plan.disorders {
            let me = self
            let results = runner.map(Array(0..<plan.realizations), progress: progress) { r in
                Result(rows: (try? me.realization(r, disorder: w)) ?? [], table: ExactComparisonTable(metrics: []))
            }
            for (r, res) in results.enumerated() {
                if res.rows.isEmpty { throw GlassDynamicsError.io("exact diagonalization of realization \(r) failed") }
                rows += res.rows
                for t in plan.temperatures {
                    let at = res.rows.filter { $0.temperature == t }
                    var errors = [String: [Double?]]()
                    for (k, rule) in Self.rules.enumerated() {
                        errors["m_\(rule)"] = at.map { row in row.m[k].map { $0 - row.exactM } }
                        errors["d_\(rule)"] = at.map { row in
                            guard let d = row.d[k], let e = row.effective[k] else { return nil }
                            return d - e
                        }
                    }
                    table.add(disorder: w, interaction: plan.model.interaction, temperature: t, errors: errors)
                }
            }
        }
        return Result(rows: rows, table: table)
    }

    /// sites.csv: one row per site, realization, W and T.
    package static func siteTable(_ rows: [SiteRow]) -> CSVTable {
        var cols = ["w", "t", "realization", "site", "delta", "delta0", "m_exact"]
        for rule in rules { cols += ["d_\(rule)", "m_\(rule)", "deff_\(rule)"] }
        var table = CSVTable(columns: cols)
        for row in rows {
            var v = [row.disorder, row.temperature, Double(row.realization), Double(row.site),
                     row.asymmetry, row.tunneling, row.exactM]
            for k in rules.indices { v += [row.d[k] ?? .nan, row.m[k] ?? .nan, row.effective[k] ?? .nan] }
            table.append(v)
        }
        return table
    }
}
