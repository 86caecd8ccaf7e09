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
    }

    /// `start(trajectory)`: the model at t = 0 of trajectory k. `values(model)`: the
    /// single-site energies of a DOS snapshot. `dosRange`: histogram bounds and bins.
    /// `perturbation`: the response protocol's potential delta_i and observable weights c_i,
    /// O = (1/N) sum_i c_i (sigma_i(perturbed) - sigma_i(reference)).
    ///
    /// Canonical points (docs/kmc.md, section 5): every observation time reached, every
    /// multiple of ``KMCOptions/canonicalEventInterval(sites:)`` events, the event limit and
    /// every trajectory's end. There the trajectory is canonicalized (in every run, interrupted
    /// or not) and `canonical` is offered the state (built only if it asks); it may save it, or
    /// throw to stop. `resume` continues from such a state bit for bit. The twin phase of the
    /// response protocol has no canonical points inside it.
    package static func run<M: KineticModel>(options o: KMCOptions, seed: UInt64, realization r: Int,
                                             start: (Int) -> M, values: (M) -> [Double],
                                             dosRange: (lower: Double, upper: Double, bins: Int),
                                             perturbation: (potential: [Double], weights: [Double])? = nil,
                                             resume: KMCRunState? = nil,
                                             canonical: (() -> KMCRunState) throws -> Void = { _ in }) throws -> KMCObservation {
        var clock = Stopwatch()
        let (points, _, tGrid) = checkpoints(o)
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
                }
                s.point += 1
                try offer()
            }
            var alive = s.alive
            if o.protocolKind == .response, let perturbation {
                // Twins from the equilibrated state, sharing the stream from here on.
                if alive { alive = traj.advance(to: o.equilibrationTime, maxEvents: limit) }
                for (w, tw) in tws.enumerated() {
                    var reference = traj, perturbed = traj
                    perturbed.modify { $0.addPotential(perturbation.potential) }
                    var ok = alive && reference.advance(to: traj.time + tw, maxEvents: limit)
                        && perturbed.advance(to: traj.time + tw, maxEvents: limit)
                    perturbed.modify { $0.addPotential(perturbation.potential.map { -$0 }) }
                    for (g, t) in tGrid.enumerated() {
                        if ok {
                            ok = reference.advance(to: traj.time + tw + t, maxEvents: limit)
                                && perturbed.advance(to: traj.time + tw + t, maxEvents: limit)
                        }
                        if !ok { s.response[w][g] = .nan; continue }
                        let a = perturbed.model.spins, b = reference.model.spins
                        var sum = 0.0
                        for i in a.indices where a[i] != b[i] { sum += perturbation.weights[i] * Double(Int(a[i]) - Int(b[i])) }
                        s.response[w][g] += sum / n / trajectories
                    }
                    if !ok { alive = false }
                    s.events += Int(reference.events + perturbed.events - 2 * traj.events)
                }
            }
            if !alive { s.truncated += 1 }
            s.events += Int(traj.events)
            s.drift = Swift.max(s.drift, abs(traj.model.energy - traj.model.energyFromScratch()) / n)
            // The next trajectory starts afresh: a canonical point with no trajectory state.
            s.trajectory += 1
            s.point = 0
            s.alive = true
            s.path = nil
            s.snapshots = [[Int8]](repeating: [], count: tws.count)
            s.seconds += clock.lap()
            if s.trajectory < o.trajectories { try canonical { s } }
        }
        return KMCObservation(energy: s.energy, moved: s.moved, correlation: s.correlation, response: s.response,
                              dos: s.histogram.counts.map(Double.init), dosOutside: Double(s.histogram.below + s.histogram.above),
                              events: s.events, truncated: s.truncated, energyDrift: s.drift, seconds: s.seconds + clock.lap())
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
        case .quench, .response: break
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
