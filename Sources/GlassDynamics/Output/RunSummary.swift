import Foundation

/// The parts of summary.json common to every model: version, seed, convergence counts and
/// statistics, the observables, cost.
public enum RunSummary {
    public static let version = GlassDynamicsVersion.string

    /// {min, median, max} of a list of numbers (null when empty), as summaries report them.
    public static func stats(_ xs: [Double]) -> JSONValue {
        let s = xs.sorted()
        guard !s.isEmpty else { return .null }
        let median = s.count % 2 == 1 ? s[s.count / 2] : 0.5 * (s[s.count / 2 - 1] + s[s.count / 2])
        return .object([("min", .number(s.first!)), ("median", .number(median)), ("max", .number(s.last!))])
    }

    public static func build(model: JSONValue, settings: RunSettings, outcomes: [RealizationOutcome],
                             analysis: DistributionAnalysis, extra: [(String, JSONValue)] = [],
                             wallTime: Double) -> JSONValue {
        let converged = outcomes.filter { $0.solver.converged }
        var phaseNames = [String]()
        for o in outcomes { for (k, _) in o.timings where !phaseNames.contains(k) { phaseNames.append(k) } }
        let phases: [(String, JSONValue)] = phaseNames.map { name in
            (name, stats(outcomes.compactMap { o in o.timings.first { $0.0 == name }?.1 }))
        }
        var fields: [(String, JSONValue)] = [
            ("version", .string(version)),
            ("parameters", model),
            ("seed", .integer(Int(truncatingIfNeeded: settings.seed))),
            ("realizationsRequested", .integer(settings.realizations)),
            ("realizationsConverged", .integer(converged.count)),
            ("realizationsNotConverged", .integer(outcomes.count - converged.count)),
            ("notConvergedIndices", .array(outcomes.filter { !$0.solver.converged }.map { .integer($0.index) })),
            ("iterations", stats(outcomes.map { Double($0.solver.sweeps) })),
            ("finalMaxResidual", stats(outcomes.map { $0.solver.residual })),
            ("columnUpdates", stats(outcomes.map { Double($0.solver.columnUpdates) })),
            ("pairEvaluations", stats(outcomes.map { Double($0.solver.pairEvaluations) })),
            ("observables", analysis.summary),
        ]
        fields += extra
        // Everything that varies between identical runs sits under "cost", so the rest of
        // the file is reproducible bit for bit (resume, shards, thread counts).
        fields.append(("cost", .object([
            ("threads", .integer(settings.threads)),
            ("secondsPerRealization", .object(phases)),
            ("wallTimeSeconds", .number(wallTime)),
            ("peakMemoryBytes", .integer(ResourceUsage.peakResidentBytes)),
        ])))
        return .object(fields)
    }
}
