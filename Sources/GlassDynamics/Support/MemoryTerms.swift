import Foundation

// The memory estimates of the two models split by the option that drives each part, so that a
// refusal blames the option that actually dominates (--n, --threads, --realizations). The
// parts add up to `memoryEstimate` exactly.

extension TLSExperiment {
    public var memoryTerms: [MemoryTerm] {
        let p = parameters
        let n = Double(p.sites)
        let k = Double(settings.concurrentRealizations)
        let usable = ResourceUsage.usableFraction * MemoryLimit.effective.bytes
        let perRealization = p.cutoff.map {
            CutoffTLSCouplings.bytes(sites: p.sites, cutoff: $0, density: Double(p.sites) / pow(p.boxSide, 3))
        } ?? (resolvedStorage == .dense ? StoredTLSCouplings.bytes(sites: p.sites) : 0)
        let alternative = p.cutoff != nil ? " or a smaller --cutoff"
            : (storage == .dense ? " or use --couplings matrix-free (memory O(N), same numbers)" : "")
        let couplingAdvice = perRealization > usable || k == 1
            ? "one realization's couplings (\(MemoryLimit.format(perRealization))) dominate: lower --n\(alternative)"
            : "\(settings.concurrentRealizations) realizations at once hold \(MemoryLimit.format(perRealization)) of couplings each: lower --threads\(alternative)"
        let perSite = settings.saveSites ? 120.0 : 40.0
        return [
            MemoryTerm(bytes: perRealization * k, advice: couplingAdvice),
            MemoryTerm(bytes: n * perSite * Double(settings.realizations),
                       advice: "the per-site results of \(settings.realizations) realizations dominate: lower --realizations (or --n\(settings.saveSites ? ", or drop --save-sites" : ""))"),
            MemoryTerm(bytes: n * 200 * k, advice: "the per-site work space dominates: lower --n or --threads"),
        ]
    }
}

extension EGExperiment {
    public var memoryTerms: [MemoryTerm] {
        let p = parameters
        let n = Double(p.sites)
        let k = Double(settings.concurrentRealizations)
        let usable = ResourceUsage.usableFraction * MemoryLimit.effective.bytes
        let matrix = Swift.max(DenseCouplings.bytes(sites: p.sites),
                               p.computeSpectrum ? ColumnMajorMatrix.bytes(count: p.sites) : 0)
        // The electron glass has no matrix-free path: the spectrum needs the whole rate matrix.
        let matrixAdvice = matrix > usable || k == 1
            ? "one realization's N x N matrix (\(MemoryLimit.format(matrix))) dominates: lower --n"
            : "\(settings.concurrentRealizations) realizations at once hold an N x N matrix (\(MemoryLimit.format(matrix))) each: lower --threads"
        let perSite = settings.saveSites ? 100.0 : 40.0
        return [
            MemoryTerm(bytes: matrix * k, advice: matrixAdvice),
            MemoryTerm(bytes: n * perSite * Double(settings.realizations),
                       advice: "the per-site results of \(settings.realizations) realizations dominate: lower --realizations (or --n\(settings.saveSites ? ", or drop --save-sites" : ""))"),
            MemoryTerm(bytes: n * 300 * k, advice: "the per-site work space dominates: lower --n or --threads"),
        ]
    }
}
