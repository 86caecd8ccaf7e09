/// The state of drift-bounded thinning for the electron glass (docs/kmc.md section 3): two
/// reference energies per site (a base level for ordinary pairs, a fine level for soft pairs),
/// the slacks, each pair's class, the pairs touching each site, and the sites to refresh.
///
/// Invariants between events: every site's energy is within its fine slack s_k of its fine
/// reference and within the base slack s0 of its base reference. An ordinary pair was rewritten
/// at the last base refresh of one of its sites and holds its weight times the largest phonon
/// factor within 4 s0 of its lowered energy then (each site moved less than 2 s0 since); a soft
/// pair (|x| < 8 s0 at its classification) was rewritten at the last refresh of either site
/// and holds the maximum within 2 (s_i + s_j) <= |x| / 2, so its window never reaches x = 0
/// (where the clamped factor is ~1e15).
package struct EGDriftBounds: Sendable {
    /// Pairs touching site k: `events[start[k] ..< start[k + 1]]`.
    package var start: [Int32] = []
    package var events: [Int32] = []
    /// Fine level: each site's energy at its last refresh, and its slack (what the O(N)
    /// update tests).
    package var reference: [Double] = []
    package var slack: [Double] = []
    /// Base level: each site's energy at its last base refresh (slack s0).
    package var base: [Double] = []
    /// Pairs classified soft at their last base rewrite.
    package var soft: [Bool] = []
    /// Sites to refresh after the current event (may repeat), the marks and modes of a refresh.
    package var stale: [Int32] = []
    package var queued: [Bool] = []
    package var full: [Bool] = []
    /// Site refreshes so far (fine and base; the cost of keeping the bounds) and pair rewrites.
    package var refreshes: UInt64 = 0
    package var rewrites: UInt64 = 0

    /// Empty (rejection-free model).
    package init() {}

    /// The site-to-pair lists of `n` sites and the pairs (first[p], second[p]).
    package init(sites n: Int, first: [Int32], second: [Int32]) {
        var count = [Int32](repeating: 0, count: n + 1)
        for p in first.indices {
            count[Int(first[p]) + 1] += 1
            count[Int(second[p]) + 1] += 1
        }
        for k in 0..<n { count[k + 1] += count[k] }
        var fill = count
        var ev = [Int32](repeating: 0, count: 2 * first.count)
        for p in first.indices {
            for s in [Int(first[p]), Int(second[p])] {
                ev[Int(fill[s])] = Int32(p)
                fill[s] += 1
            }
        }
        start = count
        events = ev
        reference = [Double](repeating: 0, count: n)
        slack = reference
        base = reference
        soft = [Bool](repeating: false, count: first.count)
        queued = [Bool](repeating: false, count: n)
        full = queued
    }

    /// Absolute margin added to every window: covers the rounding of the energies and of the
    /// drift test (energies are O(10), their rounding O(1e-14)).
    package static let margin = 1e-10
    /// Relative margin on every bound: covers the rounding of the factor.
    package static let relativeMargin = 1 + 1e-12
}

extension EGHopModel {
    package var driftBounded: Bool { driftSlack != nil }

    /// The base slack s0 = driftSlack T.
    var baseSlack: Double { driftSlack! * temperature }

    /// |x| of pair p's allowed hop, nil if it cannot hop.
    @inline(__always)
    func loweredMagnitude(_ p: Int) -> Double? {
        guard let (f, t) = hop(p) else { return nil }
        return abs(local[f] - local[t] + pairCoupling[p])
    }

    /// The fine slack of site k: min(s0, |x_p| / 8 over its soft pairs).
    func fineSlack(_ k: Int) -> Double {
        var s = baseSlack
        for q in Int(drift.start[k])..<Int(drift.start[k + 1]) {
            let p = Int(drift.events[q])
            if drift.soft[p], let x = loweredMagnitude(p) { s = Swift.min(s, x * 0.125) }
        }
        return s
    }

    /// Classifies the pairs of site k: soft if they can hop and |x| < 8 s0 (an ordinary window
    /// 4 s0 would exceed |x| / 2).
    mutating func classify(_ k: Int) {
        let limit = 8 * baseSlack
        for q in Int(drift.start[k])..<Int(drift.start[k + 1]) {
            let p = Int(drift.events[q])
            if let x = loweredMagnitude(p) { drift.soft[p] = x < limit } else { drift.soft[p] = false }
        }
    }

    /// The bound of pair p: its weight times the largest phonon factor within its window
    /// (4 s0 ordinary, 2 (s_i + s_j) soft, plus margin) of the current lowered energy; 0 if
    /// the pair cannot hop.
    func driftBound(_ p: Int) -> Double {
        guard let (f, t) = hop(p) else { return 0 }
        let x = local[f] - local[t] + pairCoupling[p]
        let w = (drift.soft[p] ? 2 * (drift.slack[f] + drift.slack[t]) : 4 * baseSlack) + EGDriftBounds.margin
        return pairWeight[p] * PhononFactor.maximumFactor(energyLowered: x, within: w, temperature: temperature) * EGDriftBounds.relativeMargin
    }

    package mutating func rebaseBounds(tree: inout RateTree) {
        for k in 0..<siteCount {
            drift.reference[k] = local[k]
            drift.base[k] = local[k]
            classify(k)
        }
        for k in 0..<siteCount { drift.slack[k] = fineSlack(k) }
        drift.stale.removeAll(keepingCapacity: true)
        let m = self
        tree.update { b in
            if m.pairFirst.isEmpty { b[0] = 0; return }
            for p in 0..<m.pairFirst.count { b[p] = m.driftBound(p) }
        }
    }

    /// Starts the refresh of site k (fine, or base when `full` or when the fine window would
    /// leave the base one): new references, classes and slack; appends k to `queue`.
    mutating func begin(_ k: Int, full: Bool, queue: inout [Int32]) {
        let e = local[k]
        drift.queued[k] = true
        drift.reference[k] = e
        var isFull = full
        if isFull { drift.base[k] = e; classify(k) }
        drift.slack[k] = fineSlack(k)
        if !isFull && abs(e - drift.base[k]) + drift.slack[k] > baseSlack {
            isFull = true
            drift.base[k] = e
            classify(k)
            drift.slack[k] = fineSlack(k)
        }
        drift.full[k] = isFull
        drift.refreshes += 1
        queue.append(Int32(k))
    }

    package mutating func refreshBounds(tree: inout RateTree) {
        var stale = [Int32]()
        swap(&stale, &drift.stale)
        // The event's two sites come first and get a base refresh (occupations changed).
        var queue = [Int32]()
        queue.reserveCapacity(stale.count + 8)
        for (n, q) in stale.enumerated() where !drift.queued[Int(q)] { begin(Int(q), full: n < 2, queue: &queue) }
        // Rewrite the pairs of every refreshed site (all of them after a base refresh, the
        // soft ones after a fine one). A soft pair whose window would exceed |x| / 2 shrinks
        // the slack of a site refreshed in this event (its energy equals its reference now)
        // or refreshes the other site, so every soft window stays within |x| / 2.
        var i = 0
        while i < queue.count {
            let k = Int(queue[i])
            i += 1
            let all = drift.full[k]
            for q in Int(drift.start[k])..<Int(drift.start[k + 1]) {
                let p = Int(drift.events[q])
                if !all && !drift.soft[p] { continue }
                if drift.soft[p], let (f, t) = hop(p) {
                    let j = f == k ? t : f
                    let x = abs(local[f] - local[t] + pairCoupling[p])
                    if 2 * (drift.slack[k] + drift.slack[j]) > 0.5 * x {
                        drift.slack[k] = Swift.min(drift.slack[k], 0.125 * x)
                        if drift.queued[j] {
                            drift.slack[j] = Swift.min(drift.slack[j], 0.125 * x)
                        } else {
                            begin(j, full: false, queue: &queue)
                        }
                    }
                }
                tree.stage(p, driftBound(p))
                drift.rewrites += 1
            }
        }
        tree.propagate()
        for k in queue { drift.queued[Int(k)] = false }
        stale.removeAll(keepingCapacity: true)
        swap(&stale, &drift.stale)
    }
}
