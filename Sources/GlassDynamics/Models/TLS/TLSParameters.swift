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
    /// Lower end of the log-uniform range of the tunnelling amplitudes Delta0.
    public var delta0Min = 1e-7
    /// Upper end of the log-uniform range of Delta0.
    public var delta0Max = 1e-1
    /// Rate prefactor a of Gamma = a Delta0^2 |E| coth(|E| / 2T).
    public var ratePrefactor = 1.0
    /// How the box side follows from N.
    public var box = BoxConvention.paper
    /// Eq. 4 as printed, or the authors' scripts.
    public var convention = MeanFieldConvention.paper
    /// The thermal average closing Eq. 4.
    public var sz = SzRule.meanfield
    /// Heat-and-cool protocol, or nil to solve at T directly.
    public var anneal: AnnealProtocol? = nil
    /// Half-width of the uniform initial D; nil means W (paper) or 10 (scripts).
    public var initialHalfWidth: Double? = nil
    /// Largest accepted max residual of Eq. 4; nil means 1e-8.
    public var tolerance: Double? = nil
    /// Gauss-Seidel sweeps per solve.
    public var maxIterations = 10_000
    /// Interaction cutoff r_c: couplings beyond r_c are dropped (an approximation, measured in
    /// docs/performance.md); nil sums over all pairs exactly.
    public var cutoff: Double? = nil
    /// Stored nil for the diagonal rates, so older run.json files decode unchanged and a
    /// default run writes the same summary.json.
    var rateMatrixChoice: TLSRateMatrix? = nil
    var modesChoice: Bool? = nil

    /// The rates: the paper's per-site Gamma_i (default) or the eigenvalues of the full matrix.
    public var rateMatrix: TLSRateMatrix {
        get { rateMatrixChoice ?? .diagonal }
        set { rateMatrixChoice = newValue == .diagonal ? nil : newValue }
    }

    /// Also compute the relaxation modes (eigenvectors; needs the full rate matrix).
    public var computeModes: Bool {
        get { modesChoice ?? false }
        set { modesChoice = newValue ? true : nil }
    }

    /// The defaults of MODEL.md.
    public init() {}

    /// The 3D box of amorphous solids.
    public static let dimension = 3

    /// The prefactor of the coupling sum (1/4 printed, 1 in the scripts).
    public var fieldPrefactor: Double { convention == .paper ? 0.25 : 1.0 }

    /// The initial half-width in use.
    public var resolvedInitialHalfWidth: Double {
        initialHalfWidth ?? (convention == .paper ? disorder : 10)
    }

    /// The tolerance in use.
    public var resolvedTolerance: Double { tolerance ?? 1e-8 }

    /// Checks every value before any work starts; throws a ``ParameterError`` naming the value.
    public func validate() throws {
        try validateCommon()
        let reals: [(Parameter, Double)] = [(.delta0Min, delta0Min), (.delta0Max, delta0Max),
                                            (.ratePrefactor, ratePrefactor)]
        for (p, v) in reals where !v.isFinite { throw ParameterError.notFinite(p, v) }
        if interaction != 0 && !(interaction >= 1e-20 && interaction <= 1e20) {
            throw ParameterError(.interaction, "\(Parameter.interaction) must be 0 or between 1e-20 and 1e20 (couplings are stored in single precision), got \(interaction)")
        }
        if delta0Min <= 0 { throw ParameterError.notPositive(.delta0Min, delta0Min) }
        if delta0Min >= delta0Max {
            throw ParameterError(.delta0Min, "\(Parameter.delta0Min) must be below \(Parameter.delta0Max) (\(delta0Min) >= \(delta0Max))")
        }
        if ratePrefactor <= 0 { throw ParameterError.notPositive(.ratePrefactor, ratePrefactor) }
        // Gamma = a Delta0^2 |E| coth(|E|/2T) lies between about a Delta0min^2 2T and
        // a Delta0max^2 (Delta0max + W + J + T): both ends must stay well inside double
        // precision (and their logarithms finite), or the rates underflow to 0 or overflow.
        let logA = Foundation.log10(ratePrefactor)
        let slowest = logA + 2 * Foundation.log10(delta0Min) + Foundation.log10(2 * temperature)
        let fastest = logA + 2 * Foundation.log10(delta0Max) + Foundation.log10(delta0Max + disorder + interaction + temperature)
        if slowest < -280 {
            throw ParameterError(.delta0Min, "\(Parameter.delta0Min) \(delta0Min) with \(Parameter.ratePrefactor) \(ratePrefactor) and \(Parameter.temperature) \(temperature) gives rates near 1e\(Int(slowest.rounded(.down))), below double precision's range (a Delta0^2 T must stay above 1e-280)")
        }
        if fastest > 280 {
            throw ParameterError(.delta0Max, "\(Parameter.delta0Max) \(delta0Max) with \(Parameter.ratePrefactor) \(ratePrefactor) gives rates near 1e\(Int(fastest.rounded(.up))), beyond double precision's range (a Delta0^2 E must stay below 1e280)")
        }
        if let rc = cutoff, !(rc > 0 && rc <= boxSide / 2) {
            throw ParameterError(.cutoff, "\(Parameter.cutoff) must be positive and at most half the box side (L/2 = \(boxSide / 2)), got \(rc)")
        }
        if rateMatrix == .full && cutoff != nil {
            throw ParameterError(.cutoff, "\(Parameter.cutoff) cannot be combined with \(Parameter.rateMatrix) full: the full matrix is dense (N^2 memory) and needs every coupling the equilibrium was solved with")
        }
        if sz == .tap && convention != .paper {
            throw ParameterError(.sz, "\(Parameter.sz) tap needs \(Parameter.convention) paper: the Onsager reaction term is that of the classical spins whose mean field is Eq. 4 as printed, not of the scripts' closure tanh(E/2T)")
        }
        if sz == .tap && rateMatrix == .full {
            throw ParameterError(.sz, "\(Parameter.sz) tap has no linearised rate matrix (the full rate matrix, its modes and aging linearise Eq. 4's closure; the TAP equations' Jacobian is not implemented)")
        }
        if computeModes && rateMatrix != .full {
            throw ParameterError(.modes, "\(Parameter.modes) needs \(Parameter.rateMatrix) full (the modes are its eigenvectors)")
        }
    }
}

extension TLSParameters: MeanFieldParameters {
    /// TLS parameters run as a ``TLSExperiment``.
    public typealias Experiment = TLSExperiment
    /// The TLS glass.
    public static let model = GlassModel.tls
    /// W, J and T (``MeanFieldParameters/commonSweepable``).
    public static var sweepable: [SweepVariable: WritableKeyPath<TLSParameters, Double>] { commonSweepable }
}

extension TLSParameters: Codable {
    /// The keys of run.json and summary.json: the symbols of MODEL.md.
    enum CodingKeys: String, CodingKey {
        case sites = "n", disorder = "w", interaction = "j", temperature = "t"
        case delta0Min, delta0Max, ratePrefactor, box, convention, sz, anneal, initialHalfWidth
        case tolerance = "tol", maxIterations, cutoff
        case rateMatrixChoice = "rateMatrix", modesChoice = "modes"
    }
}
