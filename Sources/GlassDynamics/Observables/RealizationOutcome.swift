/// What one realization of either glass contributes to the pooled observables.
public struct RealizationOutcome: Sendable {
    /// Realization index r; its disorder is drawn from the random stream (seed, r).
    public var index: Int
    /// Single-site excitation energies (TLS: E_i; electron glass: E_i - mu).
    public var energies: [Double]
    /// Positive relaxation rates Gamma (TLS: per site; electron glass: resolvable eigenvalues).
    public var rates: [Double]
    /// How the mean-field solve went: sweeps, final residual, convergence.
    public var solver: SolverReport
    /// Wall-clock seconds of the phases of this realization, by name (build, solve, rates...).
    public var timings: [(String, Double)]

    /// An outcome of the given values.
    public init(index: Int, energies: [Double], rates: [Double], solver: SolverReport, timings: [(String, Double)]) {
        self.index = index
        self.energies = energies
        self.rates = rates
        self.solver = solver
        self.timings = timings
    }
}
