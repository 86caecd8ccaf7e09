import Foundation

/// The TLS glass as classical pseudo-spins (issue #12, section 2): s_i = +-1, Hamiltonian
///
///     H = -(1/2) sum_i Delta_i s_i - (c/4) sum_{i != j} J_ij s_i s_j
///
/// with c the convention's field prefactor (1/4 paper, 1 scripts), local fields
/// h_i = -2 dH/ds_i = Delta_i + c sum_j J_ij s_j, and Weiss mean field <s_i> = tanh(h_i / 2T),
/// i.e. Eq. 4 (docs/kmc.md derives it). Flipping s_i changes H by s_i h_i.
///
/// Spin i flips at the phonon rates of Eq. 10 with E_i = sqrt(h_i^2 + Delta0_i^2): toward its
/// field (down, s_i h_i < 0) at a Delta0^2 E (N(E) + 1), against it (up) at a Delta0^2 E N(E);
/// up + down = Gamma_i of the mean-field code. With ``isingEnergies`` E_i = |h_i| instead,
/// and the chain obeys detailed balance with exp(-H / T) exactly (the enumeration test); with
/// the tunnelling energy the stationary law differs from it by O(Delta0^2 / (|h| T)).
/// A flip moves every h_k by -2 c J_ki s_i: O(N) through the couplings' column update.
package struct TLSFlipModel: KineticModel {
    package let couplings: any SymmetricCouplings
    /// The same couplings when their column update can test the drift in the same pass.
    let fusedColumns: (any DriftTestedColumns)?
    package let prefactor: Double
    package let tunneling: [Double]
    package let temperature: Double
    package let ratePrefactor: Double
    package let isingEnergies: Bool
    /// sum_j |J_ij| (thinning only): bounds |h_i - Delta_i| by c times it.
    package let absoluteRowSums: [Double]?
    /// Thinning bounds a Delta0^2 E_max (N(E_max) + 1) with E_max from |Delta_i| + c sum_j |J_ij|
    /// (nil: rejection-free).
    package private(set) var bounds: [Double]?
    package private(set) var spin: [Int8]
    package private(set) var bare: [Double]
    package private(set) var local: [Double]
    package private(set) var energy: Double
    /// Drift-bounded thinning: the slack s as a fraction of T (nil: off). Each spin's field
    /// stays within s T of its reference (the field at its last refresh), and the tree holds
    /// the largest flip rate over that window.
    package let driftSlack: Double?
    /// Fields at the last refresh, and the spins to refresh after the current flip.
    package private(set) var reference: [Double] = []
    package var stale: [Int32] = []
    /// Refreshes of spins so far.
    package private(set) var refreshes: UInt64 = 0

    package init(asymmetry: [Double], tunneling: [Double], couplings: any SymmetricCouplings, fieldPrefactor c: Double,
                 temperature: Double, ratePrefactor a: Double, spins: [Int8], isingEnergies: Bool = false,
                 thinning: Bool = false, driftSlack: Double? = nil) {
        precondition(!(thinning && driftSlack != nil), "static thinning and drift bounds exclude each other")
        self.driftSlack = driftSlack
        self.couplings = couplings
        fusedColumns = couplings as? any DriftTestedColumns
        prefactor = c
        self.tunneling = tunneling
        self.temperature = temperature
        ratePrefactor = a
        self.isingEnergies = isingEnergies
        spin = spins
        bare = asymmetry
        local = []
        energy = 0
        absoluteRowSums = thinning ? Self.absoluteRowSums(couplings) : nil
        bounds = nil
        local = localEnergiesFromScratch()
        energy = energyFromScratch()
        updateBounds()
    }

    /// sum_j |K_ij| for every i, one column at a time (O(N^2) once).
    static func absoluteRowSums(_ k: any SymmetricCouplings) -> [Double] {
        let n = k.count
        var sums = [Double](repeating: 0, count: n)
        var column = [Double](repeating: 0, count: n)
        for j in 0..<n {
            for i in 0..<n { column[i] = 0 }
            column.withUnsafeMutableBufferPointer { k.addColumn(j, scaledBy: 1, to: $0) }
            for i in 0..<n { sums[i] += abs(column[i]) }
        }
        return sums
    }

    /// Recomputes the thinning bounds from the current bare asymmetries.
    mutating func updateBounds() {
        guard let s = absoluteRowSums else { return }
        let c = abs(prefactor), t = temperature, a = ratePrefactor
        bounds = (0..<spin.count).map { i in
            let hMax = abs(bare[i]) + c * s[i]
            let eMax = isingEnergies ? hMax : (hMax * hMax + tunneling[i] * tunneling[i]).squareRoot()
            // Rounding margin: the bound must never fall below a rate computed from a field
            // that rounding put slightly above hMax.
            return a * tunneling[i] * tunneling[i] * PhononFactor.flip(energy: eMax * (1 + 1e-12) + 1e-300, down: true, temperature: t) * (1 + 1e-12)
        }
    }

    package var thinningBounds: [Double]? { bounds }

    /// The current flip rate of spin `i`.
    package func rate(_ i: Int) -> Double {
        let d0 = tunneling[i]
        let down = Double(spin[i]) * local[i] < 0
        return ratePrefactor * d0 * d0 * PhononFactor.flip(energy: excitation(i), down: down, temperature: temperature)
    }

    package var siteCount: Int { spin.count }
    package var eventCount: Int { spin.count }
    package var localEnergies: [Double] { local }
    package var spins: [Int8] { spin }

    /// E_i = sqrt(h_i^2 + Delta0_i^2) (or |h_i|).
    @inlinable
    package func excitation(_ i: Int) -> Double {
        isingEnergies ? abs(local[i]) : (local[i] * local[i] + tunneling[i] * tunneling[i]).squareRoot()
    }

    package func writeRates(into rates: UnsafeMutableBufferPointer<Double>) {
        for i in 0..<spin.count { rates[i] = rate(i) }
    }

    package mutating func perform(_ i: Int) {
        let s = Double(spin[i])
        energy += s * local[i]
        spin[i] = -spin[i]
        let c = couplings, fused = fusedColumns, scale = -2 * prefactor * s
        if let slack = driftSlack {
            stale.append(Int32(i))
            let w = slack * temperature
            local.withUnsafeMutableBufferPointer { h in
                reference.withUnsafeBufferPointer { r in
                    if let f = fused {
                        f.addColumnTestingDrift(i, scaledBy: scale, to: h, reference: r, slack: w, drifted: &stale)
                    } else {
                        c.addColumn(i, scaledBy: scale, to: h, reference: r, slack: w, drifted: &stale)
                    }
                }
            }
        } else {
            local.withUnsafeMutableBufferPointer { c.addColumn(i, scaledBy: scale, to: $0) }
        }
    }

    package var driftBounded: Bool { driftSlack != nil }

    /// The largest flip rate of spin i while its field stays within s T (plus a rounding
    /// margin) of its current value.
    func driftBound(_ i: Int) -> Double {
        let d0 = tunneling[i]
        let w = driftSlack! * temperature + 1e-10
        let f = PhononFactor.maximumFlip(change: Double(spin[i]) * local[i], within: w, temperature: temperature) { h in
            isingEnergies ? h : (h * h + d0 * d0).squareRoot()
        }
        return ratePrefactor * d0 * d0 * f * (1 + 1e-12)
    }

    package mutating func rebaseBounds(tree: inout RateTree) {
        reference = local
        stale.removeAll(keepingCapacity: true)
        let m = self
        tree.update { b in for i in 0..<m.spin.count { b[i] = m.driftBound(i) } }
    }

    package mutating func refreshBounds(tree: inout RateTree) {
        for q in stale {
            let i = Int(q)
            reference[i] = local[i]
            tree.stage(i, driftBound(i))
        }
        tree.propagate()
        refreshes += UInt64(stale.count)
        stale.removeAll(keepingCapacity: true)
    }

    package func sitesChanged(by k: Int) -> (Int, Int?) { (k, nil) }

    package func localEnergiesFromScratch() -> [Double] {
        let ks = couplings.multiply(spin.map { Double($0) })
        return (0..<spin.count).map { bare[$0] + prefactor * ks[$0] }
    }

    package func energyFromScratch() -> Double {
        let ks = couplings.multiply(spin.map { Double($0) })
        var h = 0.0
        for i in 0..<spin.count {
            let s = Double(spin[i])
            h += -0.5 * bare[i] * s - 0.25 * prefactor * s * ks[i]
        }
        return h
    }

    /// Local fields from scratch (one product with the couplings), then
    /// H = sum_i s_i (-(1/2) Delta_i - (1/4)(h_i - Delta_i)) from them (O(N)); the thinning
    /// bounds from the bare asymmetries.
    package mutating func recomputeDerivedState() {
        local = localEnergiesFromScratch()
        var h = 0.0
        for i in 0..<siteCount {
            h += Double(spin[i]) * (-0.5 * bare[i] - 0.25 * (local[i] - bare[i]))
        }
        energy = h
        updateBounds()
    }

    /// s_i = `spins`, then ``recomputeDerivedState()``.
    package mutating func restore(spins: [Int8]) {
        spin = spins
        recomputeDerivedState()
    }

    /// Replaces the configuration (a new start); local and total energies are recomputed.
    package mutating func setSpins(_ s: [Int8]) {
        spin = s
        local = localEnergiesFromScratch()
        energy = energyFromScratch()
    }

    package mutating func addPotential(_ delta: [Double]) {
        for i in 0..<siteCount {
            bare[i] += delta[i]
            local[i] += delta[i]
            energy -= 0.5 * delta[i] * Double(spin[i])
        }
        updateBounds()
    }
}
