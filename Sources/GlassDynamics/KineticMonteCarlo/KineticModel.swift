/// A lattice model simulated by ``KMCTrajectory``: a configuration, the rates of every event
/// from it, and the incremental update an event makes.
///
/// Both glasses change every site energy with each event (the Coulomb or dipolar field is long
/// ranged), so a model refreshes every rate after every event (``writeRates(into:)``); the
/// bare update it must do anyway, the O(N) field update, is ``perform(_:)``.
package protocol KineticModel: Sendable {
    /// Number of sites N.
    var siteCount: Int { get }
    /// Number of event slots M (rates may be zero).
    var eventCount: Int { get }
    /// Writes the current rate of every event (M values).
    func writeRates(into rates: UnsafeMutableBufferPointer<Double>)
    /// Applies event `k`: the configuration, the local energies (O(N)) and the total energy.
    mutating func perform(_ k: Int)
    /// The total energy H, maintained incrementally.
    var energy: Double { get }
    /// H recomputed from the configuration alone (O(N^2) or O(N) with the local energies
    /// recomputed): the check of the incremental update.
    func energyFromScratch() -> Double
    /// The local energies recomputed from scratch (EG: eps~_i; TLS: h_i).
    func localEnergiesFromScratch() -> [Double]
    /// The incrementally maintained local energies.
    var localEnergies: [Double] { get }
    /// Each site's state as +-1 (EG: 2 n_i - 1; TLS: s_i).
    var spins: [Int8] { get }
    /// Sites changed by event `k` (one or two).
    func sitesChanged(by k: Int) -> (Int, Int?)
    /// Adds a static potential delta_i to every site's bare energy (EG: eps_i += delta_i;
    /// TLS: Delta_i += delta_i), updating local and total energies; nil-safe removal is
    /// adding -delta.
    mutating func addPotential(_ delta: [Double])
    /// Static upper bounds of every event's rate when the model is simulated by thinning;
    /// nil (the default): rejection-free with every rate rewritten after each event.
    var thinningBounds: [Double]? { get }
    /// The current rate of event `k` (needed with thinning).
    func rate(_ k: Int) -> Double
    /// Drift-bounded thinning (docs/kmc.md section 3): the tree holds upper bounds of every
    /// event's rate, valid while each site's energy stays within its slack of the reference
    /// taken at its last refresh; false (the default): rejection-free with every rate
    /// rewritten after each event.
    var driftBounded: Bool { get }
    /// Takes every site's current energy as its reference and writes every event's bound into
    /// `tree` (a start, or a change of the model outside the dynamics).
    mutating func rebaseBounds(tree: inout RateTree)
    /// After ``perform(_:)``: refreshes the sites the event changed or whose energy left its
    /// slack window (found during the O(N) update), rewriting the bound of every event that
    /// touches them in `tree`.
    mutating func refreshBounds(tree: inout RateTree)
    /// A canonical point (docs/kmc.md, section 5): re-derives everything computed from the
    /// configuration and the bare energies (local energies from scratch, the total energy from
    /// them, any bounds or other state of the event algorithm), so that afterwards the model is
    /// a function of the configuration and the bare energies alone, whatever its history.
    /// Must be idempotent (a second call changes no bit): checkpoints restore through it.
    mutating func recomputeDerivedState()
    /// Replaces the configuration by `spins` (+-1 per site, as ``spins`` reads it) and
    /// re-derives everything as ``recomputeDerivedState()`` does: the restore of a checkpoint.
    mutating func restore(spins: [Int8])
}

extension KineticModel {
    /// No thinning.
    package var thinningBounds: [Double]? { nil }
    /// Not used without thinning.
    package func rate(_ k: Int) -> Double { preconditionFailure("rate(_:) is needed only with thinning bounds") }
    /// No drift bounds.
    package var driftBounded: Bool { false }
    /// Not used without drift bounds.
    package mutating func rebaseBounds(tree: inout RateTree) { preconditionFailure("drift bounds are off") }
    /// Not used without drift bounds.
    package mutating func refreshBounds(tree: inout RateTree) { preconditionFailure("drift bounds are off") }
}
