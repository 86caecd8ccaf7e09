import Foundation

/// The rate matrix of the electron glass (`--rate-matrix`).
public enum EGRateMatrix: String, Sendable, Codable, CaseIterable {
    /// Eq. 23 without the direct term, as in the paper: A = -L D^-1.
    case paper
    /// The full linearisation with the direct Coulomb term, A = -L (D^-1 + C/T)
    /// (`EGLinearization`, docs/linear-dynamics.md).
    case full
}

/// The rates of the TLS glass (`--rate-matrix`).
public enum TLSRateMatrix: String, Sendable, Codable, CaseIterable {
    /// The per-site Gamma_i of Eq. 10-12, as in the paper.
    case diagonal
    /// The eigenvalues of the full linearised rate matrix with the direct interaction term
    /// (`TLSLinearization`, graded method).
    case full
}

/// What the full linearisation of one realization gave, besides its rates (which go into
/// the realization's ``RealizationOutcome``).
public struct LinearOutcome: Sendable {
    /// Whether the equilibrium is a stable fixed point of the linear dynamics.
    package var stability: LinearStability
    /// TLS: the diagonal Gamma_i, ascending (to compare the full rates with).
    public var diagonalRates: [Double]?
    /// The relaxation modes of the resolvable rates, slowest first (with `--modes`).
    public var modes: [RelaxationMode]?

    package init(stability: LinearStability, diagonalRates: [Double]? = nil, modes: [RelaxationMode]? = nil) {
        self.stability = stability
        self.diagonalRates = diagonalRates
        self.modes = modes
    }

    /// True when the rates are kept: a local minimum with every rate of the right sign.
    public var isStable: Bool { stability == .localMinimum }

    /// "localMinimum", "notPositiveDefinite" or "positiveEigenvalue".
    public var stabilityName: String { stability.rawValue }
}

extension LinearOutcome: BinaryRecord {
    /// Writes the stability, the diagonal rates and the modes.
    public func encode(into w: inout BinaryWriter) {
        w.write(stability.rawValue)
        w.writeOptional(diagonalRates) { w, d in w.write(d) }
        w.writeOptional(modes) { w, m in
            w.write(m.map(\.rate)); w.write(m.map(\.lnRate)); w.write(m.map(\.participationRatio))
            w.write(m.map(\.gyrationRadius))
            let weights = m.compactMap(\.weight)
            w.writeOptional(weights.count == m.count && !m.isEmpty ? weights : nil) { w, x in w.write(x) }
        }
    }

    /// Reads what ``encode(into:)`` wrote.
    public init(from r: inout BinaryReader) throws {
        let name = try r.readString()
        guard let s = LinearStability(rawValue: name) else {
            throw GlassDynamicsError.io("checkpoint record names an unknown stability \(name)")
        }
        stability = s
        diagonalRates = try r.readOptional { try $0.readDoubles() }
        modes = try r.readOptional { r in
            let rate = try r.readDoubles(), ln = try r.readDoubles(), pr = try r.readDoubles(), rg = try r.readDoubles()
            let weights = try r.readOptional { try $0.readDoubles() }
            guard ln.count == rate.count && pr.count == rate.count && rg.count == rate.count
                    && (weights?.count ?? rate.count) == rate.count else {
                throw GlassDynamicsError.io("checkpoint record is malformed (modes)")
            }
            return rate.indices.map {
                RelaxationMode(rate: rate[$0], lnRate: ln[$0], participationRatio: pr[$0], gyrationRadius: rg[$0],
                               weight: weights?[$0])
            }
        }
    }
}

/// The linear-dynamics blocks of a run: stability counts, the mode table.
package enum LinearPooling {
    /// modes.csv: realization, ln Gamma, participation ratio, gyration radius of every mode of
    /// the realizations kept.
    package static func modesTable(_ rows: [(realization: Int, modes: [RelaxationMode])]) -> CSVTable {
        var t = CSVTable(columns: ["realization", "lnGamma", "participationRatio", "gyrationRadius"])
        for (r, modes) in rows {
            for m in modes {
                t.append(fields: ["\(r)"] + [m.lnRate, m.participationRatio, m.gyrationRadius].map(CSVTable.format))
            }
        }
        return t
    }
}

/// The rate-matrix block of summary.json (`--rate-matrix full`).
public struct LinearSummary: Codable, Sendable {
    /// "full".
    public var rateMatrix: String
    /// Which matrix was diagonalised and how.
    public var matrix: String
    /// Realizations whose solve converged and whose linearisation was attempted.
    public var realizationsLinearised: Int
    /// Not positive definite (a saddle of the mean-field free energy): no rates, excluded.
    public var saddleRealizations: Int
    /// Indices of the saddle realizations.
    public var saddleIndices: [Int]
    /// Factorised, but a rate of the wrong sign beyond the floor: excluded.
    public var positiveEigenvalueRealizations: Int
    /// Indices of the realizations with a wrong-sign rate.
    public var positiveEigenvalueIndices: [Int]
    /// Realizations whose rates are pooled.
    public var realizationsKept: Int
    /// Modes in modes.csv (with `--modes`).
    public var modes: Int?
    /// TLS: |Gamma_full / Gamma_diag - 1| of the sorted rates against the sorted diagonal
    /// ones, pooled over the realizations kept, at `relativeChangeLevels`.
    public var relativeChangeLevels: [Double]?
    /// The quantiles of |Gamma_full / Gamma_diag - 1| at ``relativeChangeLevels``.
    public var relativeChangeQuantiles: [Double]?
    /// The largest |Gamma_full / Gamma_diag - 1|.
    public var largestRelativeChange: Double?
    /// Mean of Gamma_full / Gamma_diag - 1 (signed).
    public var meanSignedRelativeChange: Double?
    /// Mean change of ln of the slowest rate per realization (full minus diagonal).
    public var meanLnSlowestChange: Double?

    package init(rateMatrix: String, matrix: String, linear: [(index: Int, outcome: LinearOutcome, rates: [Double])],
                 relativeChange: Bool) {
        self.rateMatrix = rateMatrix
        self.matrix = matrix
        realizationsLinearised = linear.count
        let saddles = linear.filter { $0.outcome.stability == .notPositiveDefinite }.map(\.index)
        let positive = linear.filter { $0.outcome.stability == .positiveEigenvalue }.map(\.index)
        saddleRealizations = saddles.count
        saddleIndices = saddles
        positiveEigenvalueRealizations = positive.count
        positiveEigenvalueIndices = positive
        realizationsKept = linear.count - saddles.count - positive.count
        let kept = linear.filter { $0.outcome.isStable }
        modes = kept.allSatisfy({ $0.outcome.modes != nil }) && !kept.isEmpty
            ? kept.reduce(0) { $0 + ($1.outcome.modes?.count ?? 0) } : nil
        relativeChangeLevels = nil
        if relativeChange { fillRelativeChange(kept.map { ($0.outcome, $0.rates) }) }
    }

    mutating func fillRelativeChange(_ kept: [(outcome: LinearOutcome, rates: [Double])]) {
        var changes = [Double](), signed = 0.0, count = 0, slowest = [Double]()
        for (o, full) in kept {
            guard let diagonal = o.diagonalRates, full.count == diagonal.count, !full.isEmpty else { continue }
            for k in full.indices {
                let c = full[k] / diagonal[k] - 1
                changes.append(abs(c)); signed += c; count += 1
            }
            slowest.append(Foundation.log(full[0]) - Foundation.log(diagonal[0]))
        }
        guard count > 0 else { return }
        changes.sort()
        let levels = [0.5, 0.9, 0.99]
        relativeChangeLevels = levels
        relativeChangeQuantiles = levels.map { DirectTermStudy.quantile(changes, $0) }
        largestRelativeChange = changes.last
        meanSignedRelativeChange = signed / Double(count)
        meanLnSlowestChange = slowest.reduce(0, +) / Double(slowest.count)
    }
}

