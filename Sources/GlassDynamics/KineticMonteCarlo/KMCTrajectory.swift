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

    package init(model: Model, stream: KMCStream) {
        self.model = model
        self.stream = stream
        tree = RateTree(count: model.eventCount)
        moved = [Bool](repeating: false, count: model.siteCount)
        refresh()
    }

    /// Recomputes every rate and the tree's sums from the model.
    package mutating func refresh() {
        let m = model
        tree.update { m.writeRates(into: $0) }
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
        while true {
            let total = tree.total
            if !(total > 0) {
                dwell?(end - time, model)
                time = end
                return true
            }
            if events >= maxEvents { return false }
            let (u, v) = stream.uniforms(draws)
            draws += 1
            let dt = -Foundation.log(v) / total
            if time + dt >= end {
                dwell?(end - time, model)
                time = end
                return true
            }
            dwell?(dt, model)
            time += dt
            let k = tree.select(u)
            let (a, b) = model.sitesChanged(by: k)
            mark(a)
            if let b { mark(b) }
            model.perform(k)
            events += 1
            refresh()
        }
    }

    mutating func mark(_ i: Int) {
        if !moved[i] { moved[i] = true; movedCount += 1 }
    }
}
