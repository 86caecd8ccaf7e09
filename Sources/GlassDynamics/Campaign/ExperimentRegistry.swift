/// Every kind of run a folder can hold, registered once: `glassdyn merge` (and anything else
/// that rebuilds a run from its run.json) finds the experiment type by the manifest's model and
/// kind here. A new experiment adds one line.
public enum ExperimentRegistry {
    /// The registered experiment types.
    public static let experiments: [any RealizationExperiment.Type] = [
        TLSExperiment.self,
        EGExperiment.self,
        AgingExperiment<TLSExperiment>.self,
        AgingExperiment<EGExperiment>.self,
        KMCExperiment<TLSExperiment>.self,
        KMCExperiment<EGExperiment>.self,
    ]

    /// The experiment type of runs of `model` and `kind` (nil: the model's own run).
    public static func experiment(model: GlassModel, kind: String?) -> (any RealizationExperiment.Type)? {
        experiments.first { $0.model == model && $0.kind == kind }
    }
}
