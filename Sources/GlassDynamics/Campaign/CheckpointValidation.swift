import Foundation

// Ledger records come from a file anyone (a disk fault, a kill, a user) may have damaged: a
// record with a valid checksum can still be malformed. Everything below bounds the contents of
// a decoded record against the run it is meant for, so that nothing downstream (histograms,
// sums, site tables) can trap on it. A record that fails is reported with its file and byte
// offset and recomputed (resume) or refused (merge).

extension RealizationExperiment {
    /// Default: no model-specific check.
    public func recordProblem(_ record: Realization) -> String? { nil }
}

/// Checks shared by both models on the pooled part of a record.
func outcomeProblem(_ o: RealizationOutcome, sites: Int, maxRates: Int, exactRates: Bool) -> String? {
    if o.energies.count != sites { return "holds \(o.energies.count) energies, the run has \(sites) sites" }
    if exactRates ? o.rates.count != maxRates : o.rates.count > maxRates {
        return "holds \(o.rates.count) rates, expected \(exactRates ? "" : "at most ")\(maxRates)"
    }
    let bound = 1 << 53
    let s = o.solver
    for (name, v) in [("sweeps", s.sweeps), ("column updates", s.columnUpdates), ("pair evaluations", s.pairEvaluations)]
    where v < 0 || v > bound { return "has an impossible solver count (\(name) \(v))" }
    if o.timings.contains(where: { !$0.1.isFinite }) { return "has a non-finite timing" }
    if s.converged {
        if o.energies.contains(where: { !$0.isFinite }) { return "is marked converged but holds a non-finite energy" }
        if o.rates.contains(where: { !($0.isFinite && $0 > 0) }) { return "is marked converged but holds a rate that is not finite and positive" }
    }
    return nil
}

extension TLSExperiment {
    /// Why a TLS record cannot belong to this run: per-site arrays not of length N, a site table that does not match the run, non-finite energies or rates of a converged realization.
    public func recordProblem(_ record: TLSRealization) -> String? {
        let n = parameters.sites
        if let p = outcomeProblem(record.outcome, sites: n, maxRates: n, exactRates: true) { return p }
        if settings.saveSites != (record.sites != nil) { return "site table presence does not match the run's saveSites setting" }
        if let t = record.sites {
            if t.realization != record.outcome.index { return "site table of realization \(t.realization) in the record of \(record.outcome.index)" }
            if t.coordinates.count != 3 * n || [t.asymmetry, t.tunneling, t.d, t.energies, t.rates].contains(where: { $0.count != n }) {
                return "site table sizes do not match \(n) sites"
            }
        }
        return nil
    }
}

extension EGExperiment {
    /// Why an electron-glass record cannot belong to this run: per-site arrays not of length N, more rates than sites, a site table that does not match, non-finite or non-positive values of a converged realization.
    public func recordProblem(_ record: EGRealizationResult) -> String? {
        let n = parameters.sites
        let spectrum = parameters.computeSpectrum
        if let p = outcomeProblem(record.outcome, sites: n, maxRates: spectrum ? n : 0, exactRates: !spectrum) { return p }
        if spectrum != (record.spectrum != nil) { return "spectrum presence does not match the run" }
        if let s = record.spectrum {
            if s.rates.count > n { return "spectrum holds \(s.rates.count) rates for \(n) sites" }
            for v in [s.zeroEigenvalues, s.belowFloor, s.positive] where v < 0 || v > n {
                return "spectrum has an impossible eigenvalue count (\(v))"
            }
            if record.outcome.solver.converged && s.rates.contains(where: { !($0.isFinite && $0 > 0) }) {
                return "spectrum holds a rate that is not finite and positive"
            }
        }
        let bare = parameters.rateModel == .bare && spectrum
        if bare != (record.nearestNeighbourDistances != nil) { return "nearest-neighbour distances presence does not match the run" }
        if let d = record.nearestNeighbourDistances, d.count > n || d.contains(where: { !($0.isFinite && $0 >= 0) }) {
            return "nearest-neighbour distances are malformed"
        }
        if settings.saveSites != (record.sites != nil) { return "site table presence does not match the run's saveSites setting" }
        if let t = record.sites {
            if t.realization != record.outcome.index { return "site table of realization \(t.realization) in the record of \(record.outcome.index)" }
            if t.coordinates.count != 2 * n || [t.bareEnergies, t.energiesFromMu, t.occupations].contains(where: { $0.count != n }) {
                return "site table sizes do not match \(n) sites"
            }
        }
        return nil
    }
}

/// The realizations of a ledger decoded for one run, with every damaged record named.
package struct DecodedLedger<E: RealizationExperiment> {
    /// The first good record of each wanted index.
    package var records: [Int: E.Realization] = [:]
    /// One line per damaged record (file, byte offset, what is wrong).
    package var problems: [String] = []
    /// Offset of the first record that failed to decode, if any (the ledger is cut there).
    package var firstBadOffset: Int? = nil
    /// Payloads of good records after `firstBadOffset`, in order: written back after the cut.
    package var keptAfterCut: [[UInt8]] = []

    /// Decodes `loaded` (the verified records of `file`) for `experiment`: a record that does
    /// not decode exactly, names a realization outside 0..<realizations or outside `wanted`,
    /// or fails the experiment's own check is reported, never trusted.
    package init(_ loaded: RealizationLedger.Loaded, file: URL, experiment: E, wanted: Set<Int>) {
        let total = experiment.settings.realizations
        for (k, payload) in loaded.payloads.enumerated() {
            let offset = k < loaded.offsets.count ? loaded.offsets[k] : 0
            var problem: String? = nil
            var reader = BinaryReader(payload)
            do {
                let record = try E.Realization(from: &reader)
                let r = E.index(of: record)
                if !reader.isAtEnd {
                    problem = "has \(reader.remaining) unexpected bytes after its data"
                } else if r < 0 || r >= total {
                    problem = "names realization \(r), outside 0..<\(total)"
                } else if !wanted.contains(r) {
                    problem = "holds realization \(r), which this shard does not run"
                } else if let p = experiment.recordProblem(record) {
                    problem = p
                } else {
                    if records[r] == nil { records[r] = record }
                    if firstBadOffset != nil { keptAfterCut.append(payload) }
                    continue
                }
            } catch {
                problem = "cannot be decoded: \(error)"
            }
            problems.append("\(file.path): record at offset \(offset) \(problem!)")
            if firstBadOffset == nil { firstBadOffset = offset }
        }
    }
}
