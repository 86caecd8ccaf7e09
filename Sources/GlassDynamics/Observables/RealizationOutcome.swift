/// What one realization of either glass contributes to the pooled observables.
public struct RealizationOutcome: Sendable {
    public var index: Int
    /// Single-site excitation energies (TLS: E_i; electron glass: E_i - mu).
    public var energies: [Double]
    /// Positive relaxation rates Gamma (TLS: per site; electron glass: resolvable eigenvalues).
    public var rates: [Double]
    public var solver: SolverReport
    /// Wall-clock seconds of the phases of this realization, by name (build, solve, rates...).
    public var timings: [(String, Double)]

    public init(index: Int, energies: [Double], rates: [Double], solver: SolverReport, timings: [(String, Double)]) {
        self.index = index
        self.energies = energies
        self.rates = rates
        self.solver = solver
        self.timings = timings
    }
}
