import Foundation

/// Mean field (Eq. 20, the production solver) against the exact canonical thermal averages of
/// the same small electron glass (``LatticeGasCluster``: N sites, N/2 electrons, every
/// configuration enumerated), site by site, over realizations and a grid of (W, T).
///
/// Metrics: `n_eq20` = n_MF,i - <n_i>_canonical, against exactly N/2 electrons, as
/// particle-conserving dynamics holds them; `n_eq20_gc` = n_MF,i - <n_i>_grand-canonical, at the
/// mu that gives N/2 electrons on average. Eq. 20 is a grand-canonical closure (mu fixed by
/// half filling on average), so the second isolates mean field's own error; the first adds the
/// ensemble difference, O(1/N) per site, which does not vanish as fast at high T.
package struct ExactLatticeGasComparison: Sendable {
    package static let metrics = ["n_eq20", "n_eq20_gc"]

    package var plan: ExactStudyPlan<EGParameters>

    package init(plan: ExactStudyPlan<EGParameters>) { self.plan = plan }

    /// Memory of the run: the configurations, energies and probabilities per worker.
    package var bytes: Double { plan.concurrentRealizations * 8 * 3 * Double(1 << Swift.min(plan.model.sites, 40)) }

    /// Every value checked before any work (N even, at most 24; memory).
    package func validate() throws {
        try plan.validate(maximumSites: BoltzmannEnumeration.maximumSites, what: "exact enumeration (2^N configurations)", bytes: bytes)
    }

    /// One site at one (W, T, realization).
    package struct SiteRow: Sendable {
        package var disorder, temperature: Double
        package var realization, site: Int
        package var bareEnergy: Double
        package var exactOccupation: Double
        /// <n_i> grand-canonical at the mu of N/2 electrons on average.
        package var grandCanonicalOccupation: Double
        /// Mean-field occupation and E_i - mu (nil: not converged).
        package var meanFieldOccupation: Double?
        package var meanFieldLevel: Double?
    }

    package func realization(_ r: Int, disorder w: Double) -> [SiteRow] {
        var p = plan.model
        p.disorder = w
        let base = EGSystem(parameters: p, seed: plan.seed, realization: r)
        let cluster = LatticeGasCluster(system: base)
        let configurations = cluster.configurations()
        let energies = configurations.map { cluster.energy($0) }
        var rows = [SiteRow]()
        for t in plan.temperatures {
            p.temperature = t
            let system = EGSystem(parameters: p, seed: plan.seed, realization: r)
            var k = 0
            let exact = BoltzmannEnumeration(configurations: configurations, temperature: t) { _ in
                defer { k += 1 }
                return energies[k]
            }.averages(sites: p.sites)
            let gc = cluster.grandCanonical(temperature: t).enumeration.averages(sites: p.sites)
            let mf = EGMeanField.solve(system, couplings: system.denseCouplings())
            let n = mf.occupations(temperature: t)
            for i in 0..<p.sites {
                rows.append(SiteRow(disorder: w, temperature: t, realization: r, site: i,
                                    bareEnergy: cluster.bareEnergies[i], exactOccupation: exact[i],
                                    grandCanonicalOccupation: gc[i],
                                    meanFieldOccupation: mf.report.converged ? n[i] : nil,
                                    meanFieldLevel: mf.report.converged ? mf.energies[i] - mf.chemicalPotential : nil))
            }
        }
        return rows
    }

    package func run(progress: ProgressReporter? = nil) throws -> (rows: [SiteRow], table: ExactComparisonTable) {
        try validate()
        var rows = [SiteRow]()
        var table = ExactComparisonTable(metrics: Self.metrics)
        let runner = ParallelRunner(threads: plan.threads)
        for w in plan.disorders {
            let me = self
            let results = runner.map(Array(0..<plan.realizations), progress: progress) { me.realization($0, disorder: w) }
            for res in results {
                rows += res
                for t in plan.temperatures {
                    let at = res.filter { $0.temperature == t }
                    table.add(disorder: w, interaction: plan.model.interaction, temperature: t,
                              errors: ["n_eq20": at.map { row in row.meanFieldOccupation.map { $0 - row.exactOccupation } },
                                       "n_eq20_gc": at.map { row in row.meanFieldOccupation.map { $0 - row.grandCanonicalOccupation } }])
                }
            }
        }
        return (rows, table)
    }

    package static func siteTable(_ rows: [SiteRow]) -> CSVTable {
        var table = CSVTable(columns: ["w", "t", "realization", "site", "eps", "n_exact", "n_exact_gc", "n_eq20", "level_eq20"])
        for row in rows {
            table.append([row.disorder, row.temperature, Double(row.realization), Double(row.site), row.bareEnergy,
                          row.exactOccupation, row.grandCanonicalOccupation, row.meanFieldOccupation ?? .nan, row.meanFieldLevel ?? .nan])
        }
        return table
    }
}
