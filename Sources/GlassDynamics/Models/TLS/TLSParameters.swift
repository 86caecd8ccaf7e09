import Foundation

/// Every parameter of a TLS-glass run (MODEL.md, "TLS glass"). Energies in units of J at the
/// mean nearest-neighbour distance r_nn = 1, rates in units of the prefactor `a`.
public struct TLSParameters: Sendable, Equatable {
    /// Number of TLSs N.
    public var sites = 1000
    /// Disorder W: standard deviation of the asymmetries Delta_i.
    public var disorder = 1.0
    /// Interaction J = U0 / r_nn^3: standard deviation of u_ij.
    public var interaction = 1.0
    /// Temperature T.
    public var temperature = 0.05
    /// Delta0 is log-uniform on [delta0Min, delta0Max].
    public var delta0Min = 1e-7
    public var delta0Max = 1e-1
    /// Rate prefactor a of Gamma = a Delta0^2 |E| coth(|E| / 2T).
    public var ratePrefactor = 1.0
    public var box = BoxConvention.paper
    public var convention = MeanFieldConvention.paper
    public var sz = SzRule.meanfield
    /// Heat-and-cool protocol, or nil to solve at T directly.
    public var anneal: AnnealProtocol? = nil
    /// Half-width of the uniform initial D; nil means W (paper) or 10 (scripts).
    public var initialHalfWidth: Double? = nil
    /// Largest accepted max residual of Eq. 4.
    public var tolerance = 1e-8
    public var maxIterations = 10_000
    /// Interaction cutoff r_c (`--cutoff`): couplings beyond r_c are dropped (an approximation,
    /// measured in docs/performance.md); nil sums over all pairs exactly.
    public var cutoff: Double? = nil

    public init() {}

    public static let dimension = 3

    /// Side of the periodic box.
    public var boxSide: Double { box.side(sites: sites, dimension: Self.dimension) }

    /// The prefactor of the coupling sum (1/4 printed, 1 in the scripts).
    public var fieldPrefactor: Double { convention == .paper ? 0.25 : 1.0 }

    /// The resolved initial half-width.
    public var resolvedInitialHalfWidth: Double {
        initialHalfWidth ?? (convention == .paper ? disorder : 10)
    }

    /// Checks every value before any work starts; throws a one-line error.
    public func validate() throws {
        func bad(_ s: String) -> GlassDynamicsError { .invalidInput(s) }
        let reals: [(String, Double)] = [("--w", disorder), ("--j", interaction), ("--t", temperature),
                                         ("--delta0-min", delta0Min), ("--delta0-max", delta0Max),
                                         ("--rate-prefactor", ratePrefactor), ("--tol", tolerance)]
        for (name, v) in reals where !v.isFinite { throw bad("\(name) must be a finite number, got \(v)") }
        if sites < 2 { throw bad("--n must be at least 2, got \(sites)") }
        if sites > Int(UInt32.max) { throw bad("--n is too large for the random-stream counters") }
        if temperature <= 0 { throw bad("--t must be positive, got \(temperature)") }
        if disorder < 0 { throw bad("--w must be non-negative, got \(disorder)") }
        if interaction < 0 { throw bad("--j must be non-negative, got \(interaction)") }
        if interaction != 0 && !(interaction >= 1e-20 && interaction <= 1e20) {
            throw bad("--j must be 0 or between 1e-20 and 1e20 (couplings are stored in single precision), got \(interaction)")
        }
        if delta0Min <= 0 { throw bad("--delta0-min must be positive, got \(delta0Min)") }
        if delta0Min >= delta0Max { throw bad("--delta0-min must be below --delta0-max (\(delta0Min) >= \(delta0Max))") }
        if ratePrefactor <= 0 { throw bad("--rate-prefactor must be positive, got \(ratePrefactor)") }
        if tolerance <= 0 { throw bad("--tol must be positive, got \(tolerance)") }
        if maxIterations < 1 { throw bad("--max-iterations must be at least 1, got \(maxIterations)") }
        if case .density(let rho) = box, !(rho > 0 && rho.isFinite) { throw bad("--density must be positive and finite, got \(rho)") }
        if let h = initialHalfWidth, !(h >= 0 && h.isFinite) { throw bad("--initial-spread must be non-negative and finite") }
        if let rc = cutoff, !(rc > 0 && rc <= boxSide / 2) {
            throw bad("--cutoff must be positive and at most half the box side (L/2 = \(boxSide / 2)), got \(rc)")
        }
        if let a = anneal, !(a.high > temperature && a.steps >= 1) {
            throw bad("--anneal needs T_high above --t and at least one step")
        }
    }
}
