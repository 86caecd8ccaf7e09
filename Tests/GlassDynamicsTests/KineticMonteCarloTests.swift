import Foundation
import Testing
import GlassDynamics

// Exact references for the kinetic Monte Carlo engine (issue #12, "Must hold"): time-weighted
// histograms against Boltzmann enumeration, transition counts against analytic rates, and
// incremental energies against recomputation.

/// A small electron glass: n sites at Philox-drawn positions in a periodic square of side l,
/// bare energies uniform on [-W/2, W/2].
/// The exact algorithms every test runs: the rejection-free reference (every rate rewritten
/// per event), drift-bounded thinning (the default of `glassdyn kmc`), and, for the TLS glass,
/// thinning against static bounds.
enum KMCAlgorithm: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case fullRefresh, driftBounds, staticThinning
    var testDescription: String { rawValue }
    /// The slack of drift-bounded thinning (nil for the others), the defaults of `glassdyn kmc`.
    var egSlack: Double? { self == .driftBounds ? KMCOptions.egDriftSlack : nil }
    var tlsSlack: Double? { self == .driftBounds ? KMCOptions.tlsDriftSlack : nil }
    static let electronGlass: [KMCAlgorithm] = [.fullRefresh, .driftBounds]
}

private func smallEG(n: Int, side l: Double, seed: UInt64, disorder w: Double = 1, xi: Double = 1,
                     t: Double, cutoff: Double? = nil, electrons: Int? = nil, algorithm: KMCAlgorithm = .fullRefresh) -> EGHopModel {
    let s = RealizationStreams(seed: seed, realization: 0)
    let box = PeriodicBox(randomSites: n, dimension: 2, side: l, streams: s)
    let eps = (0..<n).map { w * (s.uniform(.siteEnergy, index: $0) - 0.5) }
    let m = electrons ?? n / 2
    let occ = (0..<n).map { Int8($0 < m ? 1 : 0) }
    return EGHopModel(box: box, bareEnergies: eps, columns: CoulombColumns(box: box, chargeSquared: 1, stored: true),
                      temperature: t, localizationLength: xi, pairCutoff: cutoff ?? l, occupation: occ, driftSlack: algorithm.egSlack)
}

/// A small TLS glass with Gaussian couplings J_ij / r^3 in a periodic cube (dense storage).
private func smallTLS(n: Int, side l: Double, seed: UInt64, t: Double, delta0: (Double, Double) = (0.05, 0.5),
                      ising: Bool, prefactor c: Double = 0.25, algorithm: KMCAlgorithm = .fullRefresh) -> TLSFlipModel {
    let s = RealizationStreams(seed: seed, realization: 0)
    let box = PeriodicBox(randomSites: n, dimension: 3, side: l, streams: s)
    let delta = (0..<n).map { s.normal(.siteEnergy, index: $0) }
    let d0 = (0..<n).map { delta0.0 * Foundation.pow(delta0.1 / delta0.0, s.uniform(.tunneling, index: $0)) }
    let k = DenseCouplings(count: n) { i, j in s.pairNormal(i, j) / Foundation.pow(box.distance(i, j), 3) }
    let spins = (0..<n).map { Int8($0 % 2 == 0 ? 1 : -1) }
    return TLSFlipModel(asymmetry: delta, tunneling: d0, couplings: k, fieldPrefactor: c, temperature: t,
                        ratePrefactor: 1, spins: spins, isingEnergies: ising, thinning: algorithm == .staticThinning,
                        driftSlack: algorithm.tlsSlack)
}

/// Independent H of an occupation vector (EG), straight from the definition.
private func egEnergy(_ m: EGHopModel, _ n: [Int8]) -> Double {
    var h = 0.0
    for i in n.indices {
        h += m.bare[i] * Double(n[i])
        for j in n.indices where j > i {
            h += (1 / m.box.distance(i, j)) * (Double(n[i]) - 0.5) * (Double(n[j]) - 0.5)
        }
    }
    return h
}

/// The chi-square statistic of time fractions against exact probabilities, with each
/// state's variance estimated from independent trajectories (batch means), and its degrees
/// of freedom; returns also the 0.1% upper quantile (Wilson-Hilferty).
private func chiSquare(batches: [[Double]], exact: [Double], minimum: Double = 2e-3) -> (chi2: Double, dof: Int, limit: Double) {
    let b = Double(batches.count)
    var chi2 = 0.0, dof = 0
    for s in exact.indices where exact[s] >= minimum {
        let xs = batches.map { $0[s] }
        let mean = xs.reduce(0, +) / b
        let variance = xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (b - 1) / b
        guard variance > 0 else { continue }
        chi2 += (mean - exact[s]) * (mean - exact[s]) / variance
        dof += 1
    }
    // 0.999 quantile of chi2(k): k (1 - 2/(9k) + z sqrt(2/(9k)))^3, z = 3.0902.
    let k = Double(dof)
    let limit = k * Foundation.pow(1 - 2 / (9 * k) + 3.0902 * (2 / (9 * k)).squareRoot(), 3)
    return (chi2, dof, limit)
}

/// Time fractions of each configuration (indexed by `index`) in `trajectories` independent runs.
private func timeFractions<M: KineticModel>(_ model: M, states: Int, trajectories: Int, burnIn: Double, duration: Double,
                                            index: @escaping (M) -> Int) -> [[Double]] {
    (0..<trajectories).map { r in
        var traj = KMCTrajectory(model: model, stream: KMCStream(seed: 99, realization: r, trajectory: 0))
        traj.advance(to: burnIn)
        var h = [Double](repeating: 0, count: states)
        traj.advance(to: burnIn + duration) { dt, m in h[index(m)] += dt }
        return h.map { $0 / duration }
    }
}

@Suite("Kinetic Monte Carlo")
struct KineticMonteCarloTests {
    @Test("the phonon factor equals the mean-field rate matrix's exp(logPhononFactor), and up + down flips give the mean-field Gamma")
    func phononFactorAgreesWithMeanField() {
        for t in [0.05, 0.3, 2.0] {
            for x in [-3.0, -0.4, -1e-3, 0, 1e-3, 0.4, 3.0] {
                let a = PhononFactor.factor(energyLowered: x, temperature: t)
                let b = Foundation.exp(ThermalLogs.logPhononFactor(x, temperature: t))
                #expect(abs(a - b) <= 1e-12 * b)
            }
            for e in [0.0, 1e-9, 0.01, 0.3, 2.0] {
                let sum = PhononFactor.flip(energy: e, down: true, temperature: t) + PhononFactor.flip(energy: e, down: false, temperature: t)
                let gamma = TLSMeanField.rate(energy: e, tunneling: 1, temperature: t, prefactor: 1)
                #expect(abs(sum - gamma) <= 1e-12 * gamma)
                // Detailed balance of one spin: up / down = exp(-E / T).
                if e > 0 {
                    let ratio = PhononFactor.flip(energy: e, down: false, temperature: t) / PhononFactor.flip(energy: e, down: true, temperature: t)
                    #expect(abs(ratio - Foundation.exp(-e / t)) <= 1e-12)
                }
            }
        }
    }

    @Test("the rate tree never selects an event of rate zero and selects in proportion to the rates")
    func rateTreeSelection() {
        var tree = RateTree(count: 5)
        let rates = [0.0, 1.0, 0.0, 3.0, 0.0]
        tree.update { for k in 0..<5 { $0[k] = rates[k] } }
        #expect(tree.total == 4)
        var counts = [Int](repeating: 0, count: 5)
        let n = 4000
        for k in 0..<n { counts[tree.select((Double(k) + 0.5) / Double(n))] += 1 }
        #expect(counts == [0, 1000, 0, 3000, 0])
        #expect(tree.select(1 - 1e-17) == 3)
        #expect(tree.select(1e-300) == 1)
    }

    @Test("leaves staged in a batch and propagated once give the same tree, bit for bit, as setting them one by one", arguments: [1, 2, 5, 1000, 1025])
    func rateTreeStagedBatchEqualsLeafByLeaf(count: Int) {
        var a = RateTree(count: count), b = a
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let start = (0..<count).map { _ in Double(next() >> 11) * 0x1p-53 }
        a.update { for k in 0..<count { $0[k] = start[k] } }
        b.update { for k in 0..<count { $0[k] = start[k] } }
        for round in 0..<6 {
            // Batches with repeated leaves, neighbours sharing parents, and leaves far apart.
            let size = round == 0 ? 1 : Int(next() % UInt64(2 * count)) + 1
            for _ in 0..<size {
                let k = Int(next() % UInt64(count))
                let v = round == 5 ? 0 : Double(next() >> 11) * 0x1p-40
                a.set(k, v)
                b.stage(k, v)
            }
            b.propagate()
            #expect(a.nodes.map(\.bitPattern) == b.nodes.map(\.bitPattern))
            #expect(a.total == b.total)
        }
    }

    @Test("electron glass, 10 sites and 5 electrons: the KMC time-weighted histogram of all 252 configurations passes chi-square against Boltzmann enumeration at 0.1% significance, rejection-free and by drift-bounded thinning", arguments: KMCAlgorithm.electronGlass)
    func egHistogramMatchesBoltzmann(algorithm: KMCAlgorithm) {
        let n = 10, t = 0.5
        let model = smallEG(n: n, side: Double(n).squareRoot() - 1, seed: 7, t: t, algorithm: algorithm)
        var weights = [Double](repeating: 0, count: 1 << n)
        for mask in 0..<(1 << n) where mask.nonzeroBitCount == n / 2 {
            let occ = (0..<n).map { Int8((mask >> $0) & 1) }
            weights[mask] = Foundation.exp(-egEnergy(model, occ) / t)
        }
        let z = weights.reduce(0, +)
        let exact = weights.map { $0 / z }
        let index: (EGHopModel) -> Int = { m in m.occupation.enumerated().reduce(0) { $0 | (Int($1.element) << $1.offset) } }
        let batches = timeFractions(model, states: 1 << n, trajectories: 30, burnIn: 50, duration: 1000, index: index)
        let (chi2, dof, limit) = chiSquare(batches: batches, exact: exact)
        #expect(dof > 50)
        #expect(chi2 < limit, "chi2 \(chi2) with \(dof) dof, 0.1% limit \(limit)")
    }

    @Test("TLS glass, 10 spins with Ising excitation energies: the KMC histogram of all 1024 configurations passes chi-square against exp(-H/T) at 0.1% significance, rejection-free, by drift-bounded and by static thinning", arguments: KMCAlgorithm.allCases)
    func tlsHistogramMatchesBoltzmann(algorithm: KMCAlgorithm) {
        let n = 10, t = 0.5
        let model = smallTLS(n: n, side: Foundation.pow(Double(n), 1.0 / 3) - 0.5, seed: 3, t: t, delta0: (0.3, 1), ising: true,
                             algorithm: algorithm)
        var weights = [Double](repeating: 0, count: 1 << n)
        // H = -(1/2) sum Delta_i s_i - (c/2) sum_{i<j} J_ij s_i s_j, written out independently.
        for mask in 0..<(1 << n) {
            let s = (0..<n).map { Double(((mask >> $0) & 1) * 2 - 1) }
            var h = 0.0
            for i in 0..<n {
                h -= 0.5 * model.bare[i] * s[i]
                for j in (i + 1)..<Swift.max(i + 1, n) {
                    let k = model.couplings.multiply((0..<n).map { $0 == j ? 1.0 : 0.0 })[i]
                    h -= 0.5 * model.prefactor * k * s[i] * s[j]
                }
            }
            weights[mask] = Foundation.exp(-h / t)
        }
        let z = weights.reduce(0, +)
        let exact = weights.map { $0 / z }
        let index: (TLSFlipModel) -> Int = { m in m.spin.enumerated().reduce(0) { $0 | (((Int($1.element) + 1) / 2) << $1.offset) } }
        let batches = timeFractions(model, states: 1 << n, trajectories: 30, burnIn: 50, duration: 2000, index: index)
        let (chi2, dof, limit) = chiSquare(batches: batches, exact: exact)
        #expect(dof > 15)
        #expect(chi2 < limit, "chi2 \(chi2) with \(dof) dof, 0.1% limit \(limit)")
    }

    /// Counts of each transition and the time spent in each state, from the dwell sequence.
    private static func transitions<M: KineticModel>(_ model: M, duration: Double, state: @escaping (M) -> Int)
        -> (counts: [Int: [Int: Int]], time: [Int: Double]) {
        var traj = KMCTrajectory(model: model, stream: KMCStream(seed: 5, realization: 0, trajectory: 0))
        var counts = [Int: [Int: Int]](), time = [Int: Double]()
        var previous: Int? = nil
        traj.advance(to: duration) { dt, m in
            let s = state(m)
            if let p = previous { counts[p, default: [:]][s, default: 0] += 1 }
            time[s, default: 0] += dt
            previous = s
        }
        return (counts, time)
    }

    /// Checks every observed rate count / time against `analytic(from, to)` within 4.5 sigma.
    private static func expectRates(_ counts: [Int: [Int: Int]], _ time: [Int: Double], pairs: Int,
                                    analytic: (Int, Int) -> Double) {
        var checked = 0
        for (from, row) in counts {
            for (to, c) in row {
                let expected = analytic(from, to) * time[from]!
                #expect(abs(Double(c) - expected) < 4.5 * expected.squareRoot(), "\(from)->\(to): \(c) hops, expected \(expected)")
                #expect(c > 200)
                checked += 1
            }
        }
        #expect(checked == pairs)
    }

    @Test("two- and three-site electron glasses (one electron, with a soft pair): transition counts match the Miller-Abrahams rates, rejection-free and by drift-bounded thinning", arguments: KMCAlgorithm.electronGlass)
    func egTransitionCountsMatchRates(algorithm: KMCAlgorithm) {
        // Two sites: electron-hole attraction J/r = 2 in dE; three sites: a soft pair (r = 0.05,
        // nearly degenerate) beside two slow hops, whose counts stay exact however many
        // bounces the soft pair makes.
        for coords in [[1.0, 1.0, 1.5, 1.0], [1.0, 1.0, 1.05, 1.0, 1.6, 1.4]] {
            let n = coords.count / 2
            let box = PeriodicBox(dimension: 2, side: 4, coordinates: coords)
            // Bare energies chosen so that the one-electron states have H = 0, 0.004, -0.15 (the
            // half-filling background makes the Coulomb part of H differ from site to site).
            let target = n == 2 ? [0.1, -0.2] : [0.0, 0.004, -0.15]
            let eps = (0..<n).map { i in
                var coulomb = 0.0
                for a in 0..<n { for b in (a + 1)..<n {
                    let k = 1 / PeriodicBox(dimension: 2, side: 4, coordinates: coords).distance(a, b)
                    coulomb += (a == i || b == i ? -0.25 : 0.25) * k
                } }
                return target[i] - coulomb
            }
            let t = 0.3, xi = 0.5
            let occ = (0..<n).map { Int8($0 == 0 ? 1 : 0) }
            let model = EGHopModel(box: box, bareEnergies: eps, columns: CoulombColumns(box: box, chargeSquared: 1, stored: true),
                                   temperature: t, localizationLength: xi, pairCutoff: 2, occupation: occ, driftSlack: algorithm.egSlack)
            let (counts, time) = Self.transitions(model, duration: n == 2 ? 3e5 : 2e5) { m in m.occupation.firstIndex(of: 1)! }
            Self.expectRates(counts, time, pairs: n * (n - 1)) { i, j in
                var a = [Int8](repeating: 0, count: n), b = a
                a[i] = 1; b[j] = 1
                let dE = egEnergy(model, b) - egEnergy(model, a)
                let bose = 1 / (Foundation.exp(abs(dE) / t) - 1)
                return Foundation.exp(-box.distance(i, j) / xi) * (bose + (dE < 0 ? 1 : 0))
            }
        }
    }

    @Test("a two-spin TLS glass: flip counts match a Delta0^2 E (N + 1) down and a Delta0^2 E N up with E = sqrt(h^2 + Delta0^2), for every algorithm", arguments: KMCAlgorithm.allCases)
    func tlsTransitionCountsMatchRates(algorithm: KMCAlgorithm) {
        let box = PeriodicBox(dimension: 3, side: 5, coordinates: [1, 1, 1, 1.8, 1, 1])
        let j = 0.9 / Foundation.pow(0.8, 3)
        let k = DenseCouplings(count: 2) { _, _ in j }
        let delta = [0.2, -0.1], d0 = [0.3, 0.5], t = 0.4, c = 0.25
        let model = TLSFlipModel(asymmetry: delta, tunneling: d0, couplings: k, fieldPrefactor: c, temperature: t,
                                 ratePrefactor: 1, spins: [1, 1], thinning: algorithm == .staticThinning, driftSlack: algorithm.tlsSlack)
        _ = box
        let state: (TLSFlipModel) -> Int = { m in (Int(m.spin[0]) + 1) / 2 + (Int(m.spin[1]) + 1) }
        let (counts, time) = Self.transitions(model, duration: 2e5, state: state)
        Self.expectRates(counts, time, pairs: 8) { from, to in
            let s = [Double((from & 1) * 2 - 1), Double(((from >> 1) & 1) * 2 - 1)]
            let i = (from ^ to) == 1 ? 0 : 1
            let h = delta[i] + c * j * s[1 - i]
            let e = (h * h + d0[i] * d0[i]).squareRoot()
            let nBose = 1 / (Foundation.exp(e / t) - 1)
            return d0[i] * d0[i] * e * (s[i] * h < 0 ? nBose + 1 : nBose)
        }
    }

    /// Every event's current rate is at most what the tree holds for it (its bound, or its
    /// rate when rejection-free).
    private static func expectBoundsHold<M: KineticModel>(_ traj: KMCTrajectory<M>) {
        let bad = (0..<traj.model.eventCount).filter { traj.model.rate($0) > traj.tree.rate($0) }
        #expect(bad.isEmpty, "rate above bound for events \(bad.prefix(5)) after \(traj.events) events")
    }

    @Test("after 10^6 events the incrementally maintained energies equal those recomputed from scratch to 1e-9, and every rate stays below its bound throughout, for every algorithm", arguments: KMCAlgorithm.allCases)
    func incrementalEnergiesStayExact(algorithm: KMCAlgorithm) {
        if algorithm != .staticThinning {
            var eg = KMCTrajectory(model: smallEG(n: 12, side: 3, seed: 11, xi: 0.5, t: 0.2, cutoff: 1.2, algorithm: algorithm),
                                   stream: KMCStream(seed: 1, realization: 0, trajectory: 0))
            for chunk in 1...100 {
                eg.advance(to: .greatestFiniteMagnitude, maxEvents: UInt64(chunk) * 10_000)
                if algorithm == .driftBounds { Self.expectBoundsHold(eg) }
            }
            #expect(eg.events == 1_000_000)
            let e0 = eg.model.localEnergiesFromScratch()
            #expect(zip(e0, eg.model.localEnergies).allSatisfy { abs($0 - $1) < 1e-9 })
            #expect(abs(eg.model.energy - eg.model.energyFromScratch()) < 1e-9)
        }
        // Thinning at a higher T keeps the accepted fraction of draws reasonable in a dense cluster.
        let t = algorithm == .staticThinning ? 1.0 : 0.2
        var tls = KMCTrajectory(model: smallTLS(n: 12, side: 2, seed: 4, t: t, ising: false, algorithm: algorithm),
                                stream: KMCStream(seed: 1, realization: 0, trajectory: 0))
        for chunk in 1...100 {
            tls.advance(to: .greatestFiniteMagnitude, maxEvents: UInt64(chunk) * 10_000)
            if algorithm != .fullRefresh { Self.expectBoundsHold(tls) }
        }
        #expect(tls.events == 1_000_000)
        let h0 = tls.model.localEnergiesFromScratch()
        #expect(zip(h0, tls.model.localEnergies).allSatisfy { abs($0 - $1) < 1e-9 })
        #expect(abs(tls.model.energy - tls.model.energyFromScratch()) < 1e-9)
    }

    @Test("drift bounds of a 400-site electron glass at xi = 0.1 and T = 0.05 after a quench (soft pairs included): every pair's rate stays below its bound at every one of 2e4 events, and most draws are accepted")
    func driftBoundsHoldInALargeGlass() {
        let n = 400
        var traj = KMCTrajectory(model: smallEG(n: n, side: 20, seed: 13, xi: 0.1, t: 0.05, cutoff: 3, algorithm: .driftBounds),
                                 stream: KMCStream(seed: 2, realization: 0, trajectory: 0))
        var soft = 0
        for e in stride(from: 10, through: 20_000, by: 10) {
            traj.advance(to: .greatestFiniteMagnitude, maxEvents: UInt64(e))
            Self.expectBoundsHold(traj)
            let m = traj.model
            soft += (0..<m.pairFirst.count).contains { m.hop($0) != nil && abs(m.energyChange($0)) < 0.05 * 0.05 } ? 1 : 0
        }
        #expect(soft > 100, "the run must contain soft pairs (|dE| < T / 20)")
        let acceptance = Double(traj.events) / Double(traj.events + traj.rejections)
        #expect(acceptance > 0.3, "acceptance \(acceptance)")
    }

    /// The bits a trajectory's future depends on: configuration and counters, local and total
    /// energies, and every value the rate tree holds.
    private static func fingerprint<M: KineticModel>(_ x: KMCTrajectory<M>) -> [UInt64] {
        [x.time.bitPattern, x.events, x.draws, x.model.energy.bitPattern, x.tree.total.bitPattern]
            + x.model.spins.map { UInt64(bitPattern: Int64($0)) } + x.model.localEnergies.map(\.bitPattern)
            + (0..<x.model.eventCount).map { x.tree.rate($0).bitPattern }
    }

    /// A perturbed twin run with the potential on, canonicalized, then with the potential
    /// removed and canonicalized again, against the twin rebuilt from its saved state at each.
    private static func expectPerturbedTwinRestoresExactly<M: KineticModel>(_ start: M, potential: [Double]) {
        let stream = KMCStream(seed: 5, realization: 0, trajectory: 0)
        var live = KMCTrajectory(model: KMCProtocolRunner.perturbedStart(start, potential: potential, on: true), stream: stream)
        live.advance(to: .greatestFiniteMagnitude, maxEvents: 3000)
        live.canonicalize()
        let on = KMCTrajectory(model: KMCProtocolRunner.perturbedStart(start, potential: potential, on: true), stream: stream, restoring: live.state)
        #expect(Self.fingerprint(on) == Self.fingerprint(live), "potential on")
        live.advance(to: .greatestFiniteMagnitude, maxEvents: 6000)
        live.modify { $0.addPotential(potential.map { -$0 }) }
        live.canonicalize()
        var off = KMCTrajectory(model: KMCProtocolRunner.perturbedStart(start, potential: potential, on: false), stream: stream, restoring: live.state)
        #expect(Self.fingerprint(off) == Self.fingerprint(live), "potential off")
        // And both continue identically.
        live.advance(to: .greatestFiniteMagnitude, maxEvents: 9000)
        off.advance(to: .greatestFiniteMagnitude, maxEvents: 9000)
        #expect(Self.fingerprint(off) == Self.fingerprint(live), "after 3000 more events")
    }

    @Test("a perturbed twin rebuilt from its saved configuration (potential on, and off again) equals the canonicalized live twin bit for bit, for every algorithm", arguments: KMCAlgorithm.allCases)
    func perturbedTwinRestoresBitIdentically(algorithm: KMCAlgorithm) {
        let potential = (0..<12).map { 0.05 * Foundation.sin(1.7 * Double($0) + 0.3) }
        if algorithm != .staticThinning {
            Self.expectPerturbedTwinRestoresExactly(smallEG(n: 12, side: 3, seed: 11, xi: 0.5, t: 0.2, cutoff: 1.2, algorithm: algorithm),
                                                    potential: potential)
        }
        Self.expectPerturbedTwinRestoresExactly(smallTLS(n: 12, side: 2, seed: 4, t: 1.0, ising: false, algorithm: algorithm),
                                                potential: potential)
    }

    @Test("response protocol on independent spins (J = 0): the twin-trajectory response matches the exact single-spin response (tanh(h_i + h) - tanh(h_i))(1 - e^{-Gamma' t_w}) e^{-Gamma t}, for every algorithm", arguments: KMCAlgorithm.allCases)
    func responseOfIndependentSpinsMatchesExact(algorithm: KMCAlgorithm) throws {
        let n = 16, t = 0.5, h = 0.3
        let s = RealizationStreams(seed: 21, realization: 0)
        let delta = (0..<n).map { s.normal(.siteEnergy, index: $0) }
        let d0 = (0..<n).map { 0.5 + 0.5 * s.uniform(.tunneling, index: $0) }
        let zero = DenseCouplings(count: n) { _, _ in 0 }
        let model = TLSFlipModel(asymmetry: delta, tunneling: d0, couplings: zero, fieldPrefactor: 0.25, temperature: t,
                                 ratePrefactor: 1, spins: [Int8](repeating: 1, count: n), isingEnergies: true,
                                 thinning: algorithm == .staticThinning, driftSlack: algorithm.tlsSlack)
        var o = KMCOptions()
        o.protocolKind = .response
        o.equilibrationTime = 40
        o.waitingTimes = [2]
        o.time = 3
        o.minimumTime = 0.5
        o.pointsPerDecade = 2
        o.strength = h
        let grid = o.grid(to: o.time)
        let runs = 2000
        let curves = try (0..<runs).map { r in
            try KMCProtocolRunner.run(options: o, seed: 8, realization: r, start: { _ in model }, values: { _ in [] },
                                  dosRange: (-1, 1, 2), perturbation: ([Double](repeating: h, count: n), [Double](repeating: h, count: n))).response[0]
        }
        func gamma(_ f: Double, _ i: Int) -> Double { d0[i] * d0[i] * TLSMeanField.rate(energy: abs(f), tunneling: 1, temperature: t, prefactor: 1) }
        for (g, time) in grid.enumerated() {
            let xs = curves.map { $0[g] }
            let mean = xs.reduce(0, +) / Double(runs)
            let sd = (xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(runs - 1)).squareRoot()
            var exact = 0.0
            for i in 0..<n {
                let dm = Foundation.tanh((delta[i] + h) / (2 * t)) - Foundation.tanh(delta[i] / (2 * t))
                exact += h * dm * -Foundation.expm1(-gamma(delta[i] + h, i) * o.waitingTimes[0]) * Foundation.exp(-gamma(delta[i], i) * time) / Double(n)
            }
            #expect(abs(mean - exact) < 4.5 * sd / Double(runs).squareRoot() + 1e-4, "t = \(time): KMC \(mean) +- \(sd / Double(runs).squareRoot()), exact \(exact)")
            #expect(exact > 5 * sd / Double(runs).squareRoot(), "the test must resolve the response at t = \(time)")
        }
    }
}
