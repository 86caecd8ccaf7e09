/// A run made of independent realizations, as ``Campaign`` executes it: the TLS glass and the
/// electron glass both conform, so checkpointing, resuming, sharding and merging are written
/// once for every model.
public protocol RealizationExperiment: Sendable {
    /// What one realization produces; stored in the checkpoint ledger.
    associatedtype Realization: BinaryRecord

    var settings: RunSettings { get }
    /// Short model name ("tls", "eg") for progress lines and manifests.
    var label: String { get }
    /// The resolved parameters that determine every realization's result (not threads, not
    /// output options). Resuming or merging with a different manifest is refused.
    var manifest: JSONValue { get }
    /// Checks that must pass before any work.
    func validate() throws
    /// Computes realization `r`.
    func realization(_ r: Int, innerThreads: Int) throws -> Realization
    /// The realization index a record belongs to.
    static func index(of realization: Realization) -> Int
    /// Why a decoded ledger record cannot belong to this run (wrong sizes, impossible values),
    /// or nil. Records come from an untrusted file; see CheckpointValidation.swift.
    func recordProblem(_ record: Realization) -> String?
}
