import Foundation

/// The glasses GlassDynamics simulates. Their experiments (each model's own run, aging) are
/// registered in ``ExperimentRegistry``, through which a run.json leads back to its experiment.
public enum GlassModel: String, Sendable, Codable, CaseIterable {
    /// The two-level-system glass of amorphous solids (paper Sec. II-IV).
    case tls
    /// The 2D electron (Coulomb) glass (paper Sec. V).
    case eg

    /// A name for titles and reports.
    public var title: String { self == .tls ? "TLS glass" : "electron glass" }
}

/// A scalar a sweep or a figure's scheme varies.
public enum SweepVariable: String, Sendable, Codable, CaseIterable {
    /// Disorder W, interaction J, temperature T, number of sites N, localization length xi
    /// (electron glass only).
    case w, j, t, n, xi
    /// The ratio W/J (with a fixed W^2 + J^2 both move; otherwise J stays).
    case wOverJ = "w/j"

    /// The symbol used in labels and folder names.
    public var symbol: String {
        switch self {
        case .w: return "W"
        case .j: return "J"
        case .t: return "T"
        case .n: return "N"
        case .xi: return "xi"
        case .wOverJ: return "W/J"
        }
    }
}

/// The parameters every mean-field glass shares: N sites in a periodic box, disorder W,
/// interaction J, temperature T, and how the self-consistent equations are solved. Sweeps,
/// figures and front ends set these through this protocol, so none of them switches on the
/// model; a new model conforms, adds its experiment, and registers it in ``ExperimentRegistry``.
public protocol MeanFieldParameters: Sendable, Equatable, Codable {
    /// The experiment that runs realizations of these parameters.
    associatedtype Experiment: MeanFieldExperiment where Experiment.Parameters == Self

    /// The model these parameters belong to.
    static var model: GlassModel { get }
    /// Dimension d of the periodic box.
    static var dimension: Int { get }
    /// The model's scalar parameters a sweep can set (W, J, T and any of its own).
    static var sweepable: [SweepVariable: WritableKeyPath<Self, Double>] { get }

    /// Number of sites N.
    var sites: Int { get set }
    /// Disorder W.
    var disorder: Double { get set }
    /// Interaction J.
    var interaction: Double { get set }
    /// Temperature T.
    var temperature: Double { get set }
    /// How the box side follows from N.
    var box: BoxConvention { get set }
    /// Which form of the mean-field equations to solve.
    var convention: MeanFieldConvention { get set }
    /// Heat-and-cool protocol, or nil to solve at T directly.
    var anneal: AnnealProtocol? { get set }
    /// Half-width of the uniform initial state; nil takes the convention's default.
    var initialHalfWidth: Double? { get set }
    /// Largest accepted max residual; nil takes the convention's default.
    var tolerance: Double? { get set }
    /// Sweeps per solve.
    var maxIterations: Int { get set }

    /// The initial half-width in use.
    var resolvedInitialHalfWidth: Double { get }
    /// The tolerance in use.
    var resolvedTolerance: Double { get }

    /// Checks the model's own values (the common ones are checked by ``validateCommon()``).
    func validate() throws
}

extension MeanFieldParameters {
    /// W, J and T, the scalars every model has.
    public static var commonSweepable: [SweepVariable: WritableKeyPath<Self, Double>] {
        [.w: \.disorder, .j: \.interaction, .t: \.temperature]
    }

    /// Side L of the periodic box.
    public var boxSide: Double { box.side(sites: sites, dimension: Self.dimension) }

    /// Site density N / L^d.
    public var density: Double { Double(sites) / Foundation.pow(boxSide, Double(Self.dimension)) }

    /// The checks every model shares; each model's ``validate()`` calls it first.
    public func validateCommon() throws {
        var reals: [(Parameter, Double)] = [(.disorder, disorder), (.interaction, interaction), (.temperature, temperature)]
        if let tol = tolerance { reals.append((.tolerance, tol)) }
        for (p, v) in reals where !v.isFinite { throw ParameterError.notFinite(p, v) }
        if sites < 2 { throw ParameterError.below(.sites, minimum: 2, sites) }
        if sites > Int(UInt32.max) { throw ParameterError(.sites, "\(Parameter.sites) is too large for the random-stream counters") }
        if temperature <= 0 { throw ParameterError.notPositive(.temperature, temperature) }
        if disorder < 0 { throw ParameterError.negative(.disorder, disorder) }
        if interaction < 0 { throw ParameterError.negative(.interaction, interaction) }
        // Energies enter squares (W^2 + J^2 sets the DOS range) and Boltzmann factors: beyond
        // 1e100 they would overflow double precision after the work is done.
        for (p, v) in [(Parameter.disorder, disorder), (.interaction, interaction), (.temperature, temperature)] where v > 1e100 {
            throw ParameterError(p, "\(p) must be at most 1e100 (energies are squared in double precision), got \(v)")
        }
        if let tol = tolerance, tol <= 0 { throw ParameterError.notPositive(.tolerance, tol) }
        if maxIterations < 1 { throw ParameterError.below(.maxIterations, minimum: 1, maxIterations) }
        if case .density(let rho) = box, !(rho > 0 && rho.isFinite) {
            throw ParameterError(.density, "\(Parameter.density) must be positive and finite, got \(rho)")
        }
        if let h = initialHalfWidth, !(h >= 0 && h.isFinite) {
            throw ParameterError(.initialHalfWidth, "\(Parameter.initialHalfWidth) must be non-negative and finite")
        }
        if let a = anneal, !(a.high > temperature && a.steps >= 1) {
            throw ParameterError(.anneal, "\(Parameter.anneal) needs T_high above \(Parameter.temperature) and at least one step")
        }
    }

    /// The value of a sweep variable, or nil when the model has no such parameter.
    public func value(of v: SweepVariable) -> Double? {
        switch v {
        case .n: return Double(sites)
        case .wOverJ: return disorder / interaction
        default: return Self.sweepable[v].map { self[keyPath: $0] }
        }
    }

    /// Sets a sweep variable (W/J sets W = ratio * J); throws when the model has no such
    /// parameter or N is not a whole number.
    public mutating func set(_ v: SweepVariable, to x: Double) throws {
        switch v {
        case .n:
            guard x.isFinite, x >= 1, x == x.rounded(), x < 1e9 else {
                throw ParameterError(.sites, "N must be a positive whole number, got \(x)")
            }
            sites = Int(x)
        case .wOverJ:
            disorder = x * interaction
        default:
            guard let path = Self.sweepable[v] else {
                throw ParameterError(.variable, "\(Parameter.variable) \(v.rawValue): \(v.symbol) is not a parameter of the \(Self.model.title)")
            }
            self[keyPath: path] = x
        }
    }

    /// The experiment of these parameters.
    public func experiment(settings: RunSettings) -> Experiment {
        Experiment(parameters: self, settings: settings)
    }
}
