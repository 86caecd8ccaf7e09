import Foundation

// The memory estimates of the two models split by the parameter that drives each part, so that
// a refusal blames the one that actually dominates (sites, threads, realizations). The parts
// add up to `memoryEstimate` exactly.

extension TLSExperiment {
    /// The parts of ``memoryEstimate``, each with the parameter that drives it.
    public var memoryTerms: [MemoryTerm] {
        let p = parameters
        let n = Double(p.sites)
        let k = Double(settings.concurrentRealizations)
        let usable = ResourceUsage.usableFraction * MemoryLimit.effective.bytes
        let perRealization = p.cutoff.map {
            CutoffTLSCouplings.bytes(sites: p.sites, cutoff: $0, density: Double(p.sites) / pow(p.boxSide, 3))
        } ?? (resolvedStorage == .dense ? StoredTLSCouplings.bytes(sites: p.sites) : 0)
        let alternative: ParameterError.Message = p.cutoff != nil ? " or a smaller \(Parameter.cutoff)"
            : (storage == .dense ? " or use \(Parameter.storage) matrix-free (memory O(N), same numbers)" : "")
        let single = perRealization > usable || k == 1
        let couplingAdvice: ParameterError.Message = single
            ? "one realization's couplings (\(MemoryLimit.format(perRealization))) dominate: lower \(Parameter.sites)" + alternative
            : "\(settings.concurrentRealizations) realizations at once hold \(MemoryLimit.format(perRealization)) of couplings each: lower \(Parameter.threads)" + alternative
        let perSite = settings.saveSites ? 120.0 : 40.0
        let linear = linearMatrixBytes
        let linearAdvice: ParameterError.Message = linear > usable || k == 1
            ? "the full rate matrix is a dense N x N eigenproblem (\(MemoryLimit.format(linear))): lower \(Parameter.sites)"
            : "\(settings.concurrentRealizations) full rate matrices at once (\(MemoryLimit.format(linear)) each): lower \(Parameter.threads)"
        return [
            MemoryTerm(bytes: perRealization * k, parameter: single ? .sites : .threads, advice: couplingAdvice),
            MemoryTerm(bytes: linear * k, parameter: linear > usable || k == 1 ? .sites : .threads, advice: linearAdvice),
            MemoryTerm(bytes: n * perSite * Double(settings.realizations), parameter: .realizations,
                       advice: "the per-site results of \(settings.realizations) realizations dominate: lower \(Parameter.realizations) (or \(Parameter.sites)\(settings.saveSites ? ", or drop the saved sites" : ""))"),
            MemoryTerm(bytes: n * 200 * k, parameter: .sites, advice: "the per-site work space dominates: lower \(Parameter.sites) or \(Parameter.threads)"),
        ]
    }
}

extension EGExperiment {
    /// The parts of ``memoryEstimate``, each with the parameter that drives it.
    public var memoryTerms: [MemoryTerm] {
        let p = parameters
        let n = Double(p.sites)
        let k = Double(settings.concurrentRealizations)
        let usable = ResourceUsage.usableFraction * MemoryLimit.effective.bytes
        // The full matrix holds S and B and dsygvd's workspace (about 3 N^2 doubles); with
        // the modes also the eigenvectors, B's copy, B^1/2 and its factors (about 9).
        let rateMatrices = p.rateMatrix == .full ? (p.computeModes ? 9.0 : 3.0) : (p.eigensolver == .accurate ? 2.0 : 1.0)
        let matrix = Swift.max(p.couplingBytes,
                               p.computeSpectrum ? rateMatrices * ColumnMajorMatrix.bytes(count: p.sites) : 0)
        // The electron glass has no matrix-free path: the spectrum needs the whole rate matrix.
        let single = matrix > usable || k == 1
        let matrixAdvice: ParameterError.Message = single
            ? "one realization's N x N matrix (\(MemoryLimit.format(matrix))) dominates: lower \(Parameter.sites)"
            : "\(settings.concurrentRealizations) realizations at once hold an N x N matrix (\(MemoryLimit.format(matrix))) each: lower \(Parameter.threads)"
        let perSite = settings.saveSites ? 100.0 : 40.0
        return [
            MemoryTerm(bytes: matrix * k, parameter: single ? .sites : .threads, advice: matrixAdvice),
            MemoryTerm(bytes: n * perSite * Double(settings.realizations), parameter: .realizations,
                       advice: "the per-site results of \(settings.realizations) realizations dominate: lower \(Parameter.realizations) (or \(Parameter.sites)\(settings.saveSites ? ", or drop the saved sites" : ""))"),
            MemoryTerm(bytes: n * 300 * k, parameter: .sites, advice: "the per-site work space dominates: lower \(Parameter.sites) or \(Parameter.threads)"),
        ]
    }
}
