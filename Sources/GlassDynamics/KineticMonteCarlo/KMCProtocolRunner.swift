import Foundation

/// Runs the protocol of ``KMCOptions`` on one realization's trajectories and averages what
/// they measure into a ``KMCObservation``.
///
/// Every trajectory walks one sorted list of checkpoints (grid times for the energy and the
/// moved fraction, waiting-time snapshots, correlation times, DOS snapshots), advancing the
/// exact continuous-time dynamics from one to the next.
package enum KMCProtocolRunner {
    package enum Checkpoint {
        case energy(Int)
        case snapshot(Int)
        case correlation(Int, Int)
        case dos
        /// t_eq of the response protocol, where the twin phase starts.
        case twins
    }

    /// `start(trajectory)`: the model at t = 0 of trajectory k. `values(model)`: the
    /// single-site energies of a DOS snapshot. `dosRange`: histogram bounds and bins.
    /// `perturbation`: the response protocol's potential delta_i and observable weights c_i,
    /// O = (1/N) sum_i c_i (sigma_i(perturbed) - sigma_i(reference)).
    ///
    /// Canonical points (docs/kmc.md, section 5): every observation time reached, every
    /// multiple of ``KMCOptions/canonicalEventInterval(sites:)`` events, the event limit and
    /// every trajectory's end; for the response protocol also t_eq (where its twin phase
    /// starts) and, inside the twin phase, the removal of the potential at t_eq + t_w, every
    /// point of the t grid and every multiple of the interval events of either twin. There
    /// the trajectory (or both twins) is canonicalized (in every run, interrupted or not) and
    /// `canonical` is offered the state (built only if it asks); it may save it, or throw to
    /// stop. `resume` continues from such a state bit for bit.
    package static func run<M: KineticModel>(options o: KMCOptions, seed: UInt64, realization r: Int,
                                             start: (Int) -> M, values: (M) -> [Double],
                                             dosRange: (lower: Double, upper: Double, bins: Int),
                                             perturbation: (potential: [Double], weights: [Double])? = nil,
                                             resume: KMCRunState? = nil,
                                             canonical: (() -> KMCRunState) throws -> Void = { _ in }) throws -> KMCObservation {
        var clock = Stopwatch()
        let (points, _, _) = checkpoints(o)
        let tws = o.waitingTimes
        var s = resume ?? KMCRunState(options: o, dosRange: dosRange)
        let trajectories = Double(o.trajectories)
        let limit = UInt64(o.maxEvents)
        while s.trajectory < o.trajectories {
            let k = s.trajectory
            let stream = KMCStream(seed: seed, realization: r, trajectory: k)
            var traj = s.path.map { KMCTrajectory(model: start(k), stream: stream, restoring: $0) }
                ?? KMCTrajectory(model: start(k), stream: stream)
            let n = Double(traj.model.siteCount)
            let every = UInt64(o.canonicalEventInterval(sites: traj.model.siteCount))
            var next = (traj.events / every + 1) * every
            func offer() throws {
                s.seconds += clock.lap()
                try canonical {
                    var c = s
                    c.path = traj.state
                    return c
                }
            }
            func canonicalPoint() {
                s.drift = Swift.max(s.drift, traj.canonicalize() / n)
                next = (traj.events / every + 1) * every
            }
            while s.point < points.count {
                let (time, point) = points[s.point]
                if s.alive {
                    while !traj.advance(to: time, maxEvents: Swift.min(limit, next)) {
                        canonicalPoint()
                        if traj.events >= limit { s.alive = false; break }
                        try offer()
                    }
                    if s.alive { canonicalPoint() }
                }
                let alive = s.alive
                switch point {
                case .energy(let g):
                    s.energy[g] += alive ? traj.model.energy / n / trajectories : .nan
                    s.moved[g] += alive ? Double(traj.movedCount) / n / trajectories : .nan
                case .snapshot(let w):
                    s.snapshots[w] = traj.model.spins
                case .correlation(let w, let g):
                    if !alive {
                        s.correlation[w][g] = .nan
                    } else {
                        let now = traj.model.spins
                        var c = 0
                        for i in now.indices { c += Int(now[i]) * Int(s.snapshots[w][i]) }
                        s.correlation[w][g] += Double(c) / n / trajectories
                    }
                case .dos:
                    if alive { s.histogram.add(contentsOf: values(traj.model)) }
                case .twins:
                    break
                }
                s.point += 1
                try offer()
            }
            if o.protocolKind == .response, let perturbation {
                try twinPhase(o, trajectory: traj, state: &s, start: { start(k) }, perturbation: perturbation, clock: &clock, canonical: canonical)
            }
            if !s.alive { s.truncated += 1 }
            s.events += Int(traj.events)
            s.drift = Swift.max(s.drift, abs(traj.model.energy - traj.model.energyFromScratch()) / n)
            // The next trajectory starts afresh: a canonical point with no trajectory state.
            s.trajectory += 1
            s.point = 0
            s.alive = true
            s.path = nil
            s.twin = nil
            s.snapshots = [[Int8]](repeating: [], count: tws.count)
            s.seconds += clock.lap()
            if s.trajectory < o.trajectories { try canonical { s } }
        }
        return KMCObservation(energy: s.energy, moved: s.moved, correlation: s.correlation, response: s.response,
                              dos: s.histogram.counts.map(Double.init), dosOutside: Double(s.histogram.below + s.histogram.above),
                              events: s.events, truncated: s.truncated, energyDrift: s.drift, seconds: s.seconds + clock.lap())
    }

    /// The start model of a perturbed twin: `start` with the potential added (and, once it is
    /// off, added again negated), the bare energies rounded exactly as the live twin's were.
    /// Restoring a configuration into it (``KMCTrajectory/init(model:stream:restoring:)``,
    /// which re-derives everything from the bare energies) equals the canonicalized live twin
    /// bit for bit; restoring first and adding the potential after would not (the local
    /// energies would hold the increment, not the sum from scratch).
    package static func perturbedStart<M: KineticModel>(_ start: M, potential: [Double], on: Bool) -> M {
        var m = start
        m.addPotential(potential)
        if !on { m.addPotential(potential.map { -$0 }) }
        return m
    }

    /// The twin phase of the response protocol for the trajectory `base`, equilibrated to
    /// t_eq (canonical there, or dead at the event limit): for each waiting time t_w a
    /// reference and a perturbed twin start from `base` with the same stream (common random
    /// numbers), the perturbed one with the potential until t_eq + t_w; the response is
    /// accumulated on the t grid after the removal. Canonical points: the removal, every grid
    /// point and every multiple of the interval events of either twin, where both twins are
    /// canonicalized and `canonical` is offered the state with ``KMCRunState/twin`` set; a
    /// resumed twin is restored from that state (the perturbed one through
    /// ``perturbedStart(_:potential:on:)``). Resumes from `s.twin` when set. The event limit
    /// counts each twin's events from the trajectory's start; a twin reaching it ends the
    /// trajectory (responses from there are NaN, the trajectory counts as truncated).
    static func twinPhase<M: KineticModel>(_ o: KMCOptions, trajectory base: KMCTrajectory<M>, state s: inout KMCRunState,
                                           start: () -> M, perturbation: (potential: [Double], weights: [Double]),
                                           clock: inout Stopwatch, canonical: (() -> KMCRunState) throws -> Void) throws {
        let tws = o.waitingTimes, tGrid = o.grid(to: o.time)
        let n = Double(base.model.siteCount), trajectories = Double(o.trajectories)
        let limit = UInt64(o.maxEvents)
        let every = UInt64(o.canonicalEventInterval(sites: base.model.siteCount))
        func nan(from w: Int, grid g: Int) {
            for v in w..<tws.count { for h in (v == w ? g : 0)..<tGrid.count { s.response[v][h] = .nan } }
        }
        guard s.alive else { nan(from: 0, grid: 0); return }
        let t0 = base.time, saved = s.twin
        s.twin = nil
        for w in (saved?.wait ?? 0)..<tws.count {
            let resumed = saved.flatMap { $0.wait == w ? $0 : nil }
            var on = resumed?.potentialOn ?? true
            var g = resumed?.grid ?? 0
            var reference = base, perturbed = base
            // Each twin's events at its last canonicalization (nil: not canonical). A twin
            // without events since then is canonical still (canonicalize() is idempotent), so
            // its canonical point is skipped: no bit changes, and twins of rare events (TLS)
            // cost no O(N^2) pass per t point.
            var canonicalAt: (reference: UInt64?, perturbed: UInt64?)
            if let r = resumed {
                reference = KMCTrajectory(model: start(), stream: base.stream, restoring: r.reference)
                perturbed = KMCTrajectory(model: perturbedStart(start(), potential: perturbation.potential, on: on),
                                          stream: base.stream, restoring: r.perturbed)
                canonicalAt = (reference.events, perturbed.events)
            } else {
                // `base` is canonical at t_eq; the perturbed copy is not once the potential is added.
                perturbed.modify { $0.addPotential(perturbation.potential) }
                canonicalAt = (base.events, nil)
            }
            func offer() throws {
                s.seconds += clock.lap()
                try canonical {
                    var c = s
                    c.path = base.state
                    c.twin = KMCTwinState(wait: w, potentialOn: on, grid: g, reference: reference.state, perturbed: perturbed.state)
                    return c
                }
            }
            func canonicalPoint() {
                if canonicalAt.reference != reference.events {
                    s.drift = Swift.max(s.drift, reference.canonicalize() / n)
                    canonicalAt.reference = reference.events
                }
                if canonicalAt.perturbed != perturbed.events {
                    s.drift = Swift.max(s.drift, perturbed.canonicalize() / n)
                    canonicalAt.perturbed = perturbed.events
                }
            }
            // Both twins to `end`, the reference first, with a canonical point at every
            // multiple of the interval events of either; false at the event limit.
            func reach(_ end: Double) throws -> Bool {
                for twin in 0..<2 {
                    while (twin == 0 ? reference.time : perturbed.time) < end {
                        let events = twin == 0 ? reference.events : perturbed.events
                        let stop = Swift.min(limit, (events / every + 1) * every)
                        if twin == 0 ? reference.advance(to: end, maxEvents: stop) : perturbed.advance(to: end, maxEvents: stop) { break }
                        canonicalPoint()
                        if (twin == 0 ? reference.events : perturbed.events) >= limit { return false }
                        try offer()
                    }
                }
                return true
            }
            var ok = true
            if on {
                ok = try reach(t0 + tws[w])
                if ok {
                    perturbed.modify { $0.addPotential(perturbation.potential.map { -$0 }) }
                    canonicalAt.perturbed = nil
                    on = false
                    canonicalPoint()
                    try offer()
                }
            }
            while ok && g < tGrid.count {
                ok = try reach(t0 + tws[w] + tGrid[g])
                guard ok else { break }
                canonicalPoint()
                let a = perturbed.model.spins, b = reference.model.spins
                var sum = 0.0
                for i in a.indices where a[i] != b[i] { sum += perturbation.weights[i] * Double(Int(a[i]) - Int(b[i])) }
                s.response[w][g] += sum / n / trajectories
                g += 1
                try offer()
            }
            s.events += Int(reference.events + perturbed.events - 2 * base.events)
            if !ok {
                s.alive = false
                nan(from: w, grid: g)
                return
            }
        }
    }

    /// The sorted checkpoints of the protocol, the energy grid and the grid of t (aging).
    package static func checkpoints(_ o: KMCOptions) -> ([(Double, Checkpoint)], [Double], [Double]) {
        var points = [(Double, Checkpoint)]()
        let tGrid = o.grid(to: o.time)
        let energyEnd: Double
        switch o.protocolKind {
        case .quench: energyEnd = o.time
        case .equilibrium, .response: energyEnd = o.equilibrationTime
        case .aging: energyEnd = (o.waitingTimes.max() ?? 0) + o.time
        }
        let energyGrid = o.grid(to: energyEnd)
        points += energyGrid.enumerated().map { ($1, .energy($0)) }
        switch o.protocolKind {
        case .quench: break
        case .response: points.append((o.equilibrationTime, .twins))
        case .equilibrium:
            points += (1...o.samples).map { (o.equilibrationTime + Double($0) * o.time / Double(o.samples), .dos) }
        case .aging:
            for (w, tw) in o.waitingTimes.enumerated() {
                points.append((tw, .snapshot(w)))
                points += tGrid.enumerated().map { (tw + $1, .correlation(w, $0)) }
            }
        }
        // Stable: at equal times a snapshot (added before its correlations) comes first.
        let order = points.indices.sorted { points[$0].0 < points[$1].0 || (points[$0].0 == points[$1].0 && $0 < $1) }
        return (order.map { points[$0] }, energyGrid, tGrid)
    }
}
