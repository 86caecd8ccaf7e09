import Foundation

/// summary.json of an exact small-system study: what ran (model parameters, grid, seed,
/// reference), the errors per (W, T) point and the fitted orders in J/T.
package struct ExactStudySummary<Parameters: Codable & Sendable>: Codable, Sendable {
    package var kind: String
    package var reference: String
    package var parameters: Parameters
    package var disorders: [Double]
    package var temperatures: [Double]
    package var realizations: Int
    package var seed: UInt64
    package var metrics: [String]
    package var points: [ExactComparisonTable.Point]
    package var fits: [ExactComparisonTable.Fit]
    package var fitTemperatures: Int
    package var version = GlassDynamicsVersion.string
}

extension ExactTLSComparison.Result {
    /// sites.csv, summary.csv, fit.csv and summary.json of the study `study`.
    package func files(of study: ExactTLSComparison) -> [OutputFile] {
        study.plan.files(sites: ExactTLSComparison.siteTable(rows), table: table, kind: "exact tls",
                         reference: study.reference.rawValue)
    }
}

extension ExactLatticeGasComparison {
    /// sites.csv, summary.csv, fit.csv and summary.json of a finished run.
    package func files(rows: [SiteRow], table: ExactComparisonTable) -> [OutputFile] {
        plan.files(sites: Self.siteTable(rows), table: table, kind: "exact eg", reference: "canonical")
    }
}
