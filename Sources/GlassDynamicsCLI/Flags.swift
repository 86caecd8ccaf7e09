import GlassDynamics

extension Parameter {
    /// The flag that sets this parameter: the one place where the library's parameters meet
    /// the command line's words.
    var flag: String {
        switch self {
        case .sites: return "--n"
        case .disorder: return "--w"
        case .interaction: return "--j"
        case .temperature: return "--t"
        case .box: return "--box"
        case .density: return "--density"
        case .convention: return "--convention"
        case .anneal: return "--anneal"
        case .initialHalfWidth: return "--initial-spread"
        case .tolerance: return "--tol"
        case .maxIterations: return "--max-iterations"
        case .delta0Min: return "--delta0-min"
        case .delta0Max: return "--delta0-max"
        case .ratePrefactor: return "--rate-prefactor"
        case .sz: return "--sz"
        case .storage: return "--couplings"
        case .cutoff: return "--cutoff"
        case .localizationLength: return "--xi"
        case .computeSpectrum: return "--no-spectrum"
        case .rateModel: return "--bare"
        case .eigensolver: return "--eigensolver"
        case .blasThreads: return "--blas-threads"
        case .coulombPrecision: return "--coulomb-precision"
        case .rateMatrix: return "--rate-matrix"
        case .modes: return "--modes"
        case .waitingTimes: return "--tw"
        case .perturbationStrength: return "--strength"
        case .realizations: return "--realizations"
        case .seed: return "--seed"
        case .threads: return "--threads"
        case .outputFolder: return "--out"
        case .force: return "--force"
        case .resume: return "--resume"
        case .shard: return "--shard"
        case .model: return "--model"
        case .variable: return "--vary"
        case .values: return "--values"
        case .fixRatio: return "--fix-ratio"
        case .fixSum: return "--fix-sum"
        case .figures: return "--figures"
        case .alternativesBudget: return "--alternatives-budget"
        }
    }
}
