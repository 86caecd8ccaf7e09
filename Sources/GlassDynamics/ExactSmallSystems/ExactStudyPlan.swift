import Foundation

/// What an exact small-system study runs: the model parameters of the mean-field run (N, J, box,
/// convention, closure, Delta0 range, solver tolerance; W and T are taken from the lists), the
/// grid of disorders and temperatures, the realizations and the seed. Realization r of a given
/// W is the very realization r of the mean-field run with the same seed and parameters.
package struct ExactStudyPlan<Model: Sendable>: Sendable {
    package var model: Model
    package var disorders: [Double]
    package var temperatures: [Double]
    package var realizations: Int
    package var seed: UInt64
    package var threads: Int
    /// Temperatures (the highest ones) used for the fitted order in J/T.
    package var fitPoints = 3

    package init(model: Model, disorders: [Double], temperatures: [Double], realizations: Int, seed: UInt64, threads: Int = 1) {
        self.model = model
        self.disorders = disorders
        self.temperatures = temperatures
        self.realizations = realizations
        self.seed = seed
        self.threads = threads
    }

    /// The checks shared by every study: non-empty grids, T > 0, W >= 0, realizations >= 1,
    /// N within `maximumSites`.
    package func validateGrid(sites: Int, maximumSites: Int, what: String) throws {
        if temperatures.isEmpty { throw ParameterError(.temperature, "\(Parameter.temperature) needs at least one temperature") }
        for t in temperatures where !(t > 0 && t.isFinite && t <= 1e100) {
            throw ParameterError.notPositive(.temperature, t)
        }
        if disorders.isEmpty { throw ParameterError(.disorder, "\(Parameter.disorder) needs at least one value") }
        for w in disorders where !(w >= 0 && w.isFinite && w <= 1e100) {
            throw ParameterError(.disorder, "\(Parameter.disorder) must be non-negative and finite, got \(w)")
        }
        if realizations < 1 { throw ParameterError.below(.realizations, minimum: 1, realizations) }
        if threads < 1 { throw ParameterError.below(.threads, minimum: 1, threads) }
        if sites > maximumSites {
            throw ParameterError(.sites, "\(Parameter.sites) \(sites) is too large for \(what) (at most \(maximumSites))")
        }
    }
}

extension ExactStudyPlan where Model: MeanFieldParameters {
    /// Checks the grid, every (W, T) point of the model, and the memory `bytes` of the run
    /// against the limit (refused naming N).
    package func validate(maximumSites: Int, what: String, bytes: Double) throws {
        try validateGrid(sites: model.sites, maximumSites: maximumSites, what: what)
        for w in disorders {
            for t in temperatures {
                var p = model
                p.disorder = w
                p.temperature = t
                try p.validate()
            }
        }
        try ResourceUsage.check(terms: [MemoryTerm(bytes: bytes, parameter: .sites,
                                                   advice: "lower \(Parameter.sites) (each site doubles the states) or \(Parameter.threads)")],
                                what: "\(what) at \(Parameter.sites) \(model.sites)")
    }

    /// Workers that run at once.
    package var concurrentRealizations: Double { Double(Swift.min(threads, realizations)) }

    /// summary.json of a finished study.
    package func summary(kind: String, reference: String, table: ExactComparisonTable) -> ExactStudySummary<Model> {
        ExactStudySummary(kind: kind, reference: reference, parameters: model, disorders: disorders,
                          temperatures: temperatures, realizations: realizations, seed: seed, metrics: table.metrics,
                          points: table.points, fits: table.fits(highest: fitPoints), fitTemperatures: fitPoints)
    }

    /// sites.csv, summary.csv, fit.csv and summary.json.
    package func files(sites: CSVTable, table: ExactComparisonTable, kind: String, reference: String) -> [OutputFile] {
        [.csv("sites.csv", sites), .csv("summary.csv", table.summaryTable()),
         .csv("fit.csv", table.fitTable(highest: fitPoints)),
         .json("summary.json", summary(kind: kind, reference: reference, table: table))]
    }
}
