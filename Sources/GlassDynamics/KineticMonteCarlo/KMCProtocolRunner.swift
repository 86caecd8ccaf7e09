import Foundation

/// Runs the protocol of ``KMCOptions`` on one realization's trajectories and averages what
/// they measure into a ``KMCObservation``.
///
/// Every trajectory walks one sorted list of checkpoints (grid times for the energy and the
/// moved fraction, waiting-time snapshots, correlation times, DOS snapshots), advancing the
/// exact continuous-time dynamics from one to the next.
package enum KMCProtocolRunner {
    enum Checkpoint {
        case energy(Int)
        case snapshot(Int)
        case correlation(Int, Int)
        case dos
    }

    /// `start(trajectory)`: the model at t = 0 of trajectory k. `values(model)`: the
    /// single-site energies of a DOS snapshot. `dosRange`: histogram bounds and bins.
    /// `perturbation`: the response protocol's potential delta_i and observable weights c_i,
    /// O = (1/N) sum_i c_i (sigma_i(perturbed) - sigma_i(reference)).
    package static func run<M: KineticModel>(options o: KMCOptions, seed: UInt64, realization r: Int,
                                             start: (Int) -> M, values: (M) -> [Double],
                                             dosRange: (lower: Double, upper: Double, bins: Int),
                                             perturbation: (potential: [Double], weights: [Double])? = nil) -> KMCObservation {
        var clock = Stopwatch()
        let (points, energyGrid, tGrid) = checkpoints(o)
        let tws = o.waitingTimes
        var energy = [Double](repeating: 0, count: energyGrid.count)
        var moved = energy
        var correlation = (o.protocolKind == .aging ? tws : []).map { _ in [Double](repeating: 0, count: tGrid.count) }
        var response = (o.protocolKind == .response ? tws : []).map { _ in [Double](repeating: 0, count: tGrid.count) }
        var histogram = Histogram(lower: dosRange.lower, upper: dosRange.upper, bins: dosRange.bins)
        var events = 0, truncated = 0, drift = 0.0
        let trajectories = Double(o.trajectories)
        for k in 0..<o.trajectories {
            var traj = KMCTrajectory(model: start(k), stream: KMCStream(seed: seed, realization: r, trajectory: k))
            let n = Double(traj.model.siteCount)
            var snapshots = [[Int8]](repeating: [], count: tws.count)
            var alive = true
            for (time, point) in points {
                if alive { alive = traj.advance(to: time, maxEvents: UInt64(o.maxEvents)) }
                switch point {
                case .energy(let g):
                    energy[g] += alive ? traj.model.energy / n / trajectories : .nan
                    moved[g] += alive ? Double(traj.movedCount) / n / trajectories : .nan
                case .snapshot(let w):
                    snapshots[w] = traj.model.spins
                case .correlation(let w, let g):
                    if !alive { correlation[w][g] = .nan; continue }
                    let now = traj.model.spins
                    var c = 0
                    for i in now.indices { c += Int(now[i]) * Int(snapshots[w][i]) }
                    correlation[w][g] += Double(c) / n / trajectories
                case .dos:
                    if alive { histogram.add(contentsOf: values(traj.model)) }
                }
            }
            if o.protocolKind == .response, let perturbation {
                // Twins from the equilibrated state, sharing the stream from here on.
                if alive { alive = traj.advance(to: o.equilibrationTime, maxEvents: UInt64(o.maxEvents)) }
                for (w, tw) in tws.enumerated() {
                    var reference = traj, perturbed = traj
                    perturbed.modify { $0.addPotential(perturbation.potential) }
                    var ok = alive && reference.advance(to: traj.time + tw, maxEvents: UInt64(o.maxEvents))
                        && perturbed.advance(to: traj.time + tw, maxEvents: UInt64(o.maxEvents))
                    perturbed.modify { $0.addPotential(perturbation.potential.map { -$0 }) }
                    for (g, t) in tGrid.enumerated() {
                        if ok {
                            ok = reference.advance(to: traj.time + tw + t, maxEvents: UInt64(o.maxEvents))
                                && perturbed.advance(to: traj.time + tw + t, maxEvents: UInt64(o.maxEvents))
                        }
                        if !ok { response[w][g] = .nan; continue }
                        let a = perturbed.model.spins, b = reference.model.spins
                        var sum = 0.0
                        for i in a.indices where a[i] != b[i] { sum += perturbation.weights[i] * Double(Int(a[i]) - Int(b[i])) }
                        response[w][g] += sum / n / trajectories
                    }
                    if !ok { alive = false }
                    events += Int(reference.events + perturbed.events - 2 * traj.events)
                }
            }
            if !alive { truncated += 1 }
            events += Int(traj.events)
            drift = Swift.max(drift, abs(traj.model.energy - traj.model.energyFromScratch()) / n)
        }
        return KMCObservation(energy: energy, moved: moved, correlation: correlation, response: response,
                              dos: histogram.counts.map(Double.init), dosOutside: Double(histogram.below + histogram.above),
                              events: events, truncated: truncated, energyDrift: drift, seconds: clock.lap())
    }

    /// The sorted checkpoints of the protocol, the energy grid and the grid of t (aging).
    static func checkpoints(_ o: KMCOptions) -> ([(Double, Checkpoint)], [Double], [Double]) {
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
