import Foundation

/// The electron glass as a classical lattice gas (issue #12, section 1): N sites, N/2
/// electrons n_i in {0, 1}, Hamiltonian
///
///     H = sum_i eps_i n_i + (1/2) sum_{i != j} K_ij (n_i - 1/2)(n_j - 1/2),   K_ij = e^2 / r_ij,
///
/// whose site energies eps~_i = dH/dn_i = eps_i + sum_k K_ik (n_k - 1/2) are those of Eq. 20
/// (mean field of H is exactly Eq. 20). A hop i -> j (n_i = 1, n_j = 0) changes H by
/// dE = eps~_j - eps~_i - K_ij and happens at the Miller-Abrahams rate
/// exp(-r_ij / xi) [N(|dE|) + Theta(-dE)] (``PhononFactor``, the factor of the mean-field
/// rate matrix).
///
/// Events are the unordered pairs {i, j} with r_ij <= r_c (``pairCutoff``); the pair's rate
/// is that of its one allowed direction (occupied -> empty), 0 if both or neither are
/// occupied. After a hop every eps~_k moves by K_k,to - K_k,from (O(N), ``CoulombColumns``).
package struct EGHopModel: KineticModel {
    package let box: PeriodicBox
    package let temperature: Double
    package let columns: CoulombColumns
    /// Pair list: sites, static factor exp(-r/xi) and K_ij.
    package let pairFirst: [Int32], pairSecond: [Int32]
    package let pairWeight: [Double], pairCoupling: [Double]
    /// The distance beyond which pairs are dropped.
    package let pairCutoff: Double
    package private(set) var occupation: [Int8]
    /// eps_i plus any applied potential.
    package private(set) var bare: [Double]
    package private(set) var local: [Double]
    package private(set) var energy: Double
    /// Drift-bounded thinning: the largest slack as a fraction of T (nil: rejection-free with
    /// every rate rewritten after each event). State in ``EGDriftBounds``.
    package let driftSlack: Double?
    package var drift: EGDriftBounds

    /// The model on `box` with bare energies `eps`, couplings `columns`, start occupations
    /// `occupation` (0/1), keeping pairs with r <= `pairCutoff`; with `driftSlack` (a fraction
    /// of T) simulated by drift-bounded thinning.
    package init(box: PeriodicBox, bareEnergies eps: [Double], columns: CoulombColumns, temperature: Double,
                 localizationLength xi: Double, pairCutoff rc: Double, occupation: [Int8], driftSlack: Double? = nil) {
        self.box = box
        self.temperature = temperature
        self.columns = columns
        pairCutoff = rc
        var a = [Int32](), b = [Int32](), w = [Double](), k = [Double]()
        let n = box.count
        let rc2 = rc * rc
        for i in 0..<n {
            for j in (i + 1)..<Swift.max(i + 1, n) where box.distanceSquared(i, j) <= rc2 {
                let r = box.distance(i, j)
                a.append(Int32(i)); b.append(Int32(j))
                w.append(Foundation.exp(-r / xi)); k.append(columns.coupling(i, j))
            }
        }
        pairFirst = a; pairSecond = b; pairWeight = w; pairCoupling = k
        self.driftSlack = driftSlack
        drift = driftSlack == nil ? EGDriftBounds() : EGDriftBounds(sites: n, first: a, second: b)
        self.occupation = occupation
        bare = eps
        local = []
        energy = 0
        local = localEnergiesFromScratch()
        energy = energyFromScratch()
    }

    package var siteCount: Int { box.count }
    package var eventCount: Int { Swift.max(1, pairFirst.count) }
    package var localEnergies: [Double] { local }
    package var spins: [Int8] { occupation.map { 2 * $0 - 1 } }

    /// The hop of pair `k` in its allowed direction (from the occupied site), or nil.
    @inlinable
    package func hop(_ k: Int) -> (from: Int, to: Int)? {
        guard k < pairFirst.count else { return nil }
        let i = Int(pairFirst[k]), j = Int(pairSecond[k])
        if occupation[i] == occupation[j] { return nil }
        return occupation[i] == 1 ? (i, j) : (j, i)
    }

    /// dE of the allowed hop of pair `k`.
    @inlinable
    package func energyChange(_ k: Int) -> Double {
        guard let (f, t) = hop(k) else { return 0 }
        return local[t] - local[f] - pairCoupling[k]
    }

    package func writeRates(into rates: UnsafeMutableBufferPointer<Double>) {
        let t = temperature
        let m = pairFirst.count
        if m == 0 { rates[0] = 0; return }
        occupation.withUnsafeBufferPointer { occ in
            local.withUnsafeBufferPointer { e in
                for k in 0..<m {
                    let i = Int(pairFirst[k]), j = Int(pairSecond[k])
                    let ni = occ[i]
                    if ni == occ[j] { rates[k] = 0; continue }
                    // Lowered energy -dE = eps~_from - eps~_to + K_ij.
                    let lowered = ni == 1 ? e[i] - e[j] + pairCoupling[k] : e[j] - e[i] + pairCoupling[k]
                    rates[k] = pairWeight[k] * PhononFactor.factor(energyLowered: lowered, temperature: t)
                }
            }
        }
    }

    package mutating func perform(_ k: Int) {
        guard let (f, t) = hop(k) else { preconditionFailure("hop of a pair with rate 0") }
        energy += local[t] - local[f] - pairCoupling[k]
        occupation[f] = 0
        occupation[t] = 1
        let c = columns
        if driftSlack != nil {
            drift.stale.append(Int32(f))
            drift.stale.append(Int32(t))
            local.withUnsafeMutableBufferPointer { e in
                drift.reference.withUnsafeBufferPointer { r in
                    drift.slack.withUnsafeBufferPointer { s in
                        c.addHop(from: f, to: t, into: e, reference: r, slack: s, drifted: &drift.stale)
                    }
                }
            }
        } else {
            local.withUnsafeMutableBufferPointer { c.addHop(from: f, to: t, into: $0) }
        }
    }

    /// The current rate of pair `k` (0 unless exactly one site is occupied): the same
    /// expression as ``writeRates(into:)``.
    package func rate(_ k: Int) -> Double {
        guard let (f, t) = hop(k) else { return 0 }
        return pairWeight[k] * PhononFactor.factor(energyLowered: local[f] - local[t] + pairCoupling[k], temperature: temperature)
    }

    package func sitesChanged(by k: Int) -> (Int, Int?) { (Int(pairFirst[k]), Int(pairSecond[k])) }

    package func localEnergiesFromScratch() -> [Double] {
        let n = siteCount
        if let dense = columns.dense {
            // The same sums in the same order (the zero diagonal adds +0): one pass over the
            // stored rows, without a lookup per coupling (canonical points run this).
            let x = occupation.map { Double($0) - 0.5 }
            return dense.withUnsafeBufferPointer { k in
                x.withUnsafeBufferPointer { xv in
                    (0..<n).map { i in
                        let row = k.baseAddress! + i * n
                        var s = 0.0
                        for j in 0..<n { s += row[j] * xv[j] }
                        return bare[i] + s
                    }
                }
            }
        }
        return (0..<n).map { i in
            var s = 0.0
            for k in 0..<n where k != i { s += columns.coupling(i, k) * (Double(occupation[k]) - 0.5) }
            return bare[i] + s
        }
    }

    package func energyFromScratch() -> Double {
        let n = siteCount
        var h = 0.0
        for i in 0..<n {
            let xi = Double(occupation[i]) - 0.5
            h += bare[i] * Double(occupation[i])
            var s = 0.0
            for k in 0..<n where k != i { s += columns.coupling(i, k) * (Double(occupation[k]) - 0.5) }
            h += 0.5 * xi * s
        }
        return h
    }

    package mutating func addPotential(_ delta: [Double]) {
        for i in 0..<siteCount {
            bare[i] += delta[i]
            local[i] += delta[i]
            energy += delta[i] * Double(occupation[i])
        }
    }

    /// Local energies from scratch (O(N^2)), then H = sum_i eps_i n_i + (1/2) sum_i
    /// (n_i - 1/2)(eps~_i - eps_i) from them (O(N)).
    package mutating func recomputeDerivedState() {
        local = localEnergiesFromScratch()
        var h = 0.0
        for i in 0..<siteCount {
            let ni = Double(occupation[i])
            h += bare[i] * ni + 0.5 * (ni - 0.5) * (local[i] - bare[i])
        }
        energy = h
    }

    /// n_i = (s_i + 1) / 2, then ``recomputeDerivedState()``.
    package mutating func restore(spins: [Int8]) {
        occupation = spins.map { ($0 + 1) / 2 }
        recomputeDerivedState()
    }

    /// Replaces the configuration (a new start); local and total energies are recomputed.
    package mutating func setOccupation(_ occ: [Int8]) {
        occupation = occ
        local = localEnergiesFromScratch()
        energy = energyFromScratch()
    }

    /// The chemical potential of a configuration: midway between the highest occupied and
    /// the lowest empty site energy.
    package var chemicalPotential: Double {
        var hi = -Double.infinity, lo = Double.infinity
        for i in 0..<siteCount {
            if occupation[i] == 1 { hi = Swift.max(hi, local[i]) } else { lo = Swift.min(lo, local[i]) }
        }
        return 0.5 * (hi + lo)
    }
}
