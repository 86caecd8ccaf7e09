import Foundation

/// Rejection-free continuous-time kinetic Monte Carlo (BKL / Gillespie) of one model: from
/// the total rate R, the next event comes after an exponential time of rate R and is event k
/// with probability rate_k / R (``RateTree``). The statistics are exact for any spread of
/// rates: a soft pair (an electron bouncing between two close sites) costs events, never
/// accuracy.
///
/// Draw k of the trajectory's ``KMCStream`` decides event k (selection and waiting time), so
/// the trajectory is fixed by (seed, realization, trajectory) whatever runs it. A waiting time
/// that overshoots a stopping time is discarded and the clock set to that time: exact, the
/// process being memoryless.
package struct KMCTrajectory<Model: KineticModel>: Sendable {
    package private(set) var model: Model
    package let stream: KMCStream
    package private(set) var tree: RateTree
    /// Simulated time.
    package private(set) var time = 0.0
    /// Events performed.
    package private(set) var events: UInt64 = 0
    /// Draws consumed (events plus discarded overshoots): the stream position.
    package private(set) var draws: UInt64 = 0
    /// Each site's "has changed at least once" flag, and how many are set.
    package private(set) var moved: [Bool]
    package private(set) var movedCount = 0
    /// Thinning: the tree holds rate bounds (static, or drift bounds refreshed locally after
    /// each event); a drawn event is accepted with rate / bound (the residual of the selection is the acceptance uniform), a rejected draw
    /// advances the clock and changes nothing. Exact (thinning of a Poisson process), with no
    /// rate rewrite per event: the cost of an event is the model's O(N) update alone, plus
    /// O(log M) per rejected draw.
    package let thinning: Bool
    /// Draws rejected by thinning.
    package private(set) var rejections: UInt64 = 0

    package init(model: Model, stream: KMCStream) {
        self.model = model
        self.stream = stream
        tree = RateTree(count: model.eventCount)
        moved = [Bool](repeating: false, count: model.siteCount)
        thinning = model.thinningBounds != nil || model.driftBounded
        refresh()
    }

    /// Continues a trajectory from a state saved at a canonical point: `model` (the
    /// trajectory's start model, for its fixed parts) takes the saved configuration and
    /// re-derives everything else, exactly as ``canonicalize()`` left the saved trajectory.
    package init(model: Model, stream: KMCStream, restoring saved: KMCTrajectoryState) {
        var m = model
        m.restore(spins: saved.spins)
        self.init(model: m, stream: stream)
        time = saved.time
        events = saved.events
        draws = saved.draws
        moved = saved.moved
        movedCount = saved.moved.reduce(0) { $0 + ($1 ? 1 : 0) }
    }

    /// The canonical state (configuration, time, counters, moved flags): all a checkpoint
    /// needs after ``canonicalize()``.
    package var state: KMCTrajectoryState {
        KMCTrajectoryState(time: time, events: events, draws: draws, moved: moved, spins: model.spins)
    }

    /// A canonical point: the model re-derives everything from its configuration and the
    /// rates are rewritten, so the trajectory from here is a function of ``state`` alone.
    /// Returns |H incremental - H recomputed| before the recomputation (the drift check).
    @discardableResult
    package mutating func canonicalize() -> Double {
        let before = model.energy
        model.recomputeDerivedState()
        refresh()
        return abs(before - model.energy)
    }

    /// Recomputes every rate and the tree's sums from the model.
    package mutating func refresh() {
        let m = model
        if let bounds = m.thinningBounds {
            tree.update { for k in bounds.indices { $0[k] = bounds[k] } }
        } else if model.driftBounded {
            model.rebaseBounds(tree: &tree)
        } else {
            tree.update { m.writeRates(into: $0) }
        }
    }

    /// Forgets which sites have moved (a new reference time).
    package mutating func resetMoved() {
        moved = [Bool](repeating: false, count: model.siteCount)
        movedCount = 0
    }

    /// Changes the model outside the dynamics (a potential switched on or off); rates follow.
    package mutating func modify(_ body: (inout Model) -> Void) {
        body(&model)
        refresh()
    }

    /// Runs until `end` (time == end on return) or until `maxEvents` events in total have
    /// been made (returns false then, time at the last event). `dwell(dt, model)` is called
    /// with each configuration and the time spent in it, before it is left (and for the last,
    /// partial stay).
    @discardableResult
    package mutating func advance(to end: Double, maxEvents: UInt64 = .max,
                                  dwell: ((Double, Model) -> Void)? = nil) -> Bool {
        // Time in the current configuration not yet reported (thinning rejections add to it).
        var pending = 0.0
        while true {
            let total = tree.total
            if !(total > 0) {
                dwell?(pending + end - time, model)
                time = end
                return true
            }
            if events >= maxEvents { return false }
            let (u, v) = stream.uniforms(draws)
            draws += 1
            let dt = -Foundation.log(v) / total
            if time + dt >= end {
                dwell?(pending + end - time, model)
                time = end
                return true
            }
            time += dt
            pending += dt
            let k: Int
            if thinning {
                let (j, a) = tree.selectWithResidual(u)
                if a * tree.rate(j) >= model.rate(j) {
                    rejections += 1
                    continue
                }
                k = j
            } else {
                k = tree.select(u)
            }
            dwell?(pending, model)
            pending = 0
            let (a, b) = model.sitesChanged(by: k)
            mark(a)
            if let b { mark(b) }
            model.perform(k)
            events += 1
            if model.driftBounded {
                model.refreshBounds(tree: &tree)
            } else if !thinning {
                refresh()
            }
        }
    }

    mutating func mark(_ i: Int) {
        if !moved[i] { moved[i] = true; movedCount += 1 }
    }
}
