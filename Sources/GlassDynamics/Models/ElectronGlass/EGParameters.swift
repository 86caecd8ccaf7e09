import Foundation

/// Which rates fill the rate matrix of the electron glass.
public enum EGRateModel: String, Sendable, Codable, CaseIterable {
    /// Miller-Abrahams rates at the mean-field equilibrium (Eq. 21-23, direct interaction
    /// term neglected as in the paper).
    case millerAbrahams = "miller-abrahams"
    /// Appendix A: A_ij = exp(-r_ij / xi) with no energy factors (Fig. 16).
    case bare
}

/// Which LAPACK eigensolver diagonalises the rate matrix.
public enum EGEigensolver: String, Sendable, Codable, CaseIterable {
    /// The symmetric form D^-1/2 G D^-1/2 (same eigenvalues as A) with dsyevd: fast, and
    /// every eigenvalue is real and accurate to N eps ||A|| by construction.
    case symmetric
    /// A itself with the general solver dgeev (a cross-check, several times slower (docs/performance.md), and small
    /// eigenvalues can lose more accuracy because A is not normal).
    case general
    /// ``AccurateSlowModes``: subtraction-free elimination to a Cholesky factor, then its
    /// singular values with dgejsv. Every rate, the slowest included, to a stated relative
    /// accuracy (no floor); several times slower than dsyevd (docs/slow-modes.md).
    case accurate
}

/// The precision the Coulomb couplings K_ij = e^2 / r_ij are stored in during the solve.
public enum CouplingPrecision: String, Sendable, Codable, CaseIterable {
    /// Doubles (`DenseCouplings`), plain Gauss-Seidel: the default.
    case double
    /// Floats (`SinglePrecisionCouplings`, K_ij rounded to single precision), solved by the
    /// same plain Gauss-Seidel iteration: half the memory and the memory traffic; the energies
    /// move by the rounding only (at most 3e-6 at N = 1000, T = 0.05).
    case single
    /// Floats, solved by the blocked Gauss-Seidel iteration with held-back changes (as the
    /// TLS glass is): fastest, but a different iteration, which settles in other nearby
    /// minima of the glass (same DOS within its noise: docs/performance.md).
    case singleBlocked = "single-blocked"
}

/// Every parameter of an electron-glass run (MODEL.md, "Electron glass"). Energies in units
/// of J = e^2 / r_nn, lengths in units of r_nn = 1 (so e^2 = J), rates in units of Gamma0.
public struct EGParameters: Sendable, Equatable {
    /// Number of sites N; there are N/2 electrons (half filling), so N must be even.
    public var sites = 1000
    /// Disorder W: the bare energies eps_i are uniform on [-W/2, W/2].
    public var disorder = 1.0
    /// Interaction J = e^2 / r_nn; the Coulomb coupling is K_ij = J / r_ij.
    public var interaction = 1.0
    /// Temperature T.
    public var temperature = 0.1
    /// Localization length xi of the hopping factor exp(-r / xi).
    public var localizationLength = 0.1
    /// How the box side L follows from N (default ``BoxConvention/paper``, L = N^(1/2) - 1).
    public var box = BoxConvention.paper
    /// `paper`: Eq. 20 from E uniform on [-W/2, W/2], tolerance 1e-8 on the residual.
    /// `scripts`: the authors' scripts: the same equation (their Coulomb sum is written with
    /// n_j - 1/2 = -tanh/2), started from E uniform on [-10, 10], tolerance 1e-5.
    public var convention = MeanFieldConvention.paper
    /// Heat-and-cool protocol, or nil to solve at T directly.
    public var anneal: AnnealProtocol? = nil
    /// Half-width of the uniform initial E; nil means W/2 (paper) or 10 (scripts).
    public var initialHalfWidth: Double? = nil
    /// Largest accepted max residual of Eq. 20; nil means 1e-8 (paper) or 1e-5 (scripts).
    public var tolerance: Double? = nil
    /// Gauss-Seidel sweeps allowed per solve (each temperature of an anneal is one solve); a
    /// solve that has not reached the tolerance by then is reported as not converged.
    public var maxIterations = 10_000
    /// False: energies and DOS only (`--no-spectrum`).
    public var computeSpectrum = true
    /// Which rates fill the rate matrix: Miller-Abrahams at the mean-field equilibrium
    /// (Eq. 21-23, the default) or the bare exp(-r/xi) of Appendix A.
    public var rateModel = EGRateModel.millerAbrahams
    /// Which LAPACK eigensolver diagonalises the rate matrix: the symmetric form with dsyevd
    /// (default), A itself with dgeev, or every rate to a relative accuracy (``AccurateSlowModes``).
    public var eigensolver = EGEigensolver.symmetric
    /// Stored nil for the paper's matrix, so run.json files written before the option existed
    /// decode unchanged and a default run writes the same summary.json.
    var rateMatrixChoice: EGRateMatrix? = nil
    var modesChoice: Bool? = nil
    /// Stored nil for doubles, so run.json and summary.json of default runs are unchanged.
    var coulombPrecisionChoice: CouplingPrecision? = nil

    /// How the Coulomb couplings are stored for the mean-field solve (default double).
    public var coulombPrecision: CouplingPrecision {
        get { coulombPrecisionChoice ?? .double }
        set { coulombPrecisionChoice = newValue == .double ? nil : newValue }
    }

    /// Bytes of the Coulomb couplings of one realization in the chosen precision.
    public var couplingBytes: Double {
        coulombPrecision != .double ? SinglePrecisionCouplings.bytes(sites: sites) : DenseCouplings.bytes(sites: sites)
    }

    /// The rate matrix diagonalised: the paper's (default) or the full one with the direct term.
    public var rateMatrix: EGRateMatrix {
        get { rateMatrixChoice ?? .paper }
        set { rateMatrixChoice = newValue == .paper ? nil : newValue }
    }

    /// Also compute the relaxation modes: the eigenvectors in the symmetric representation,
    /// of G = D^-1/2 L D^-1/2 for the paper's matrix, of B^1/2 G B^1/2 for the full one.
    public var computeModes: Bool {
        get { modesChoice ?? false }
        set { modesChoice = newValue ? true : nil }
    }

    /// The defaults of MODEL.md.
    public init() {}

    /// The 2D box of the electron glass.
    public static let dimension = 2

    /// Number of electrons at half filling.
    public var electrons: Int { sites / 2 }

    /// e^2 = J r_nn with r_nn = 1.
    public var chargeSquared: Double { interaction }

    /// The prefactor of the Coulomb sum in Eq. 20, E_i = eps_i - (1/2) sum_j K_ij tanh(...).
    public static let fieldPrefactor = -0.5

    /// The resolved initial half-width.
    public var resolvedInitialHalfWidth: Double {
        initialHalfWidth ?? (convention == .paper ? 0.5 * disorder : 10)
    }

    /// The resolved tolerance.
    public var resolvedTolerance: Double { tolerance ?? (convention == .paper ? 1e-8 : 1e-5) }

    /// Checks every value before any work starts; throws a ``ParameterError`` naming the value.
    public func validate() throws {
        try validateCommon()
        if !localizationLength.isFinite { throw ParameterError.notFinite(.localizationLength, localizationLength) }
        if sites % 2 != 0 {
            throw ParameterError(.sites, "\(Parameter.sites) must be even: half filling puts exactly N/2 electrons on the N sites, got \(sites)")
        }
        if localizationLength <= 0 { throw ParameterError.notPositive(.localizationLength, localizationLength) }
        if rateModel == .bare && !computeSpectrum {
            throw ParameterError(.rateModel, "\(Parameter.rateModel) needs the spectrum; drop \(Parameter.computeSpectrum)")
        }
        if eigensolver != .symmetric && !computeSpectrum {
            throw ParameterError(.eigensolver, "\(Parameter.eigensolver) \(eigensolver.rawValue) needs the spectrum; drop \(Parameter.computeSpectrum)")
        }
        if rateMatrix == .full {
            if rateModel == .bare {
                throw ParameterError(.rateMatrix, "\(Parameter.rateMatrix) full linearises the Miller-Abrahams dynamics; it cannot be combined with \(Parameter.rateModel)")
            }
            if !computeSpectrum {
                throw ParameterError(.rateMatrix, "\(Parameter.rateMatrix) full needs the spectrum; drop \(Parameter.computeSpectrum)")
            }
            if eigensolver != .symmetric {
                throw ParameterError(.rateMatrix, "\(Parameter.rateMatrix) full is solved with dsygvd (symmetric-definite); drop \(Parameter.eigensolver) \(eigensolver.rawValue)")
            }
        }
        if computeModes && rateModel == .bare {
            throw ParameterError(.modes, "\(Parameter.modes) computes the modes of the Miller-Abrahams matrix; it cannot be combined with \(Parameter.rateModel)")
        }
        if computeModes && !computeSpectrum {
            throw ParameterError(.modes, "\(Parameter.modes) needs the spectrum; drop \(Parameter.computeSpectrum)")
        }
        if computeModes && eigensolver != .symmetric {
            throw ParameterError(.modes, "\(Parameter.modes) takes the eigenvectors of the symmetric matrix (dsygvd/dsyevd); drop \(Parameter.eigensolver) \(eigensolver.rawValue)")
        }
    }
}

extension EGParameters: MeanFieldParameters {
    /// Electron-glass parameters run as an ``EGExperiment``.
    public typealias Experiment = EGExperiment
    /// The electron glass.
    public static let model = GlassModel.eg
    /// W, J, T and the localization length xi.
    public static var sweepable: [SweepVariable: WritableKeyPath<EGParameters, Double>] {
        commonSweepable.merging([.xi: \.localizationLength]) { a, _ in a }
    }
}

extension EGParameters: Codable {
    /// The keys of run.json and summary.json: the symbols of MODEL.md.
    enum CodingKeys: String, CodingKey {
        case sites = "n", disorder = "w", interaction = "j", temperature = "t", localizationLength = "xi"
        case box, convention, anneal, initialHalfWidth, tolerance = "tol", maxIterations
        case computeSpectrum = "spectrum", rateModel = "rates", eigensolver
        case rateMatrixChoice = "rateMatrix", modesChoice = "modes"
        case coulombPrecisionChoice = "coulombPrecision"
    }
}
