/// The state of drift-bounded thinning for the electron glass (docs/kmc.md section 3): each
/// site's reference energy and slack, the pairs touching each site, and the sites waiting for a
/// refresh.
///
/// Invariant between events: every site's energy is within its slack s_k of its reference
/// (a site that leaves the window is refreshed), and the tree holds for each pair the largest
/// rate over lowered energies within 2 (s_i + s_j) of its value at the pair's last refresh.
/// Each site's energy moves less than 2 s since any refresh of its pairs (less than s from the
/// reference at that moment, and less than s from it now), so the bound holds.
package struct EGDriftBounds: Sendable {
    /// Pairs touching site k: `events[start[k] ..< start[k + 1]]`.
    package var start: [Int32] = []
    package var events: [Int32] = []
    /// Each site's energy at its last refresh, and its slack.
    package var reference: [Double] = []
    package var slack: [Double] = []
    /// Sites to refresh after the current event (may repeat), and the marks of a refresh.
    package var stale: [Int32] = []
    package var queued: [Bool] = []
    /// Refreshes of sites so far (the cost of keeping the bounds).
    package var refreshes: UInt64 = 0

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
        slack = [Double](repeating: 0, count: n)
        queued = [Bool](repeating: false, count: n)
    }

    /// Absolute margin added to every window: covers the rounding of the energies and of the
    /// drift test (energies are O(10), their rounding O(1e-14)).
    package static let margin = 1e-10
    /// Relative margin on every bound: covers the rounding of the factor.
    package static let relativeMargin = 1 + 1e-12
}

extension EGHopModel {
    package var driftBounded: Bool { driftSlack != nil }

    /// The slack of site k from the current energies: min(s T, min |x_p| / 8) over the
    /// site's active pairs p, x_p the lowered energy of the pair's allowed hop. A soft pair
    /// (|x_p| small) gives its sites a small slack, so its bound stays tight (its window never
    /// reaches x = 0, where the factor is clamped at ~1/minimumBoseArgument).
    func currentSlack(_ k: Int) -> Double {
        var s = driftSlack! * temperature
        for q in Int(drift.start[k])..<Int(drift.start[k + 1]) {
            let p = Int(drift.events[q])
            guard let (f, t) = hop(p) else { continue }
            s = Swift.min(s, abs(local[f] - local[t] + pairCoupling[p]) * 0.125)
        }
        return s
    }

    /// The bound of pair p: its weight times the largest phonon factor within
    /// 2 (s_i + s_j) (plus margin) of the current lowered energy; 0 if the pair cannot hop.
    func driftBound(_ p: Int) -> Double {
        guard let (f, t) = hop(p) else { return 0 }
        let x = local[f] - local[t] + pairCoupling[p]
        let w = 2 * (drift.slack[f] + drift.slack[t]) + EGDriftBounds.margin
        return pairWeight[p] * PhononFactor.maximumFactor(energyLowered: x, within: w, temperature: temperature) * EGDriftBounds.relativeMargin
    }

    package mutating func rebaseBounds(tree: inout RateTree) {
        for k in 0..<siteCount { drift.reference[k] = local[k] }
        for k in 0..<siteCount { drift.slack[k] = currentSlack(k) }
        drift.stale.removeAll(keepingCapacity: true)
        let m = self
        tree.update { b in
            if m.pairFirst.isEmpty { b[0] = 0; return }
            for p in 0..<m.pairFirst.count { b[p] = m.driftBound(p) }
        }
    }

    /// Takes site k's current energy as its reference and sets its slack.
    mutating func rebase(_ k: Int) {
        drift.queued[k] = true
        drift.reference[k] = local[k]
        drift.slack[k] = currentSlack(k)
        drift.refreshes += 1
    }

    package mutating func refreshBounds(tree: inout RateTree) {
        // Phase 1: new references and slacks of the stale sites (deduplicated).
        var queue = [Int32]()
        swap(&queue, &drift.stale)
        var write = 0
        for q in queue where !drift.queued[Int(q)] {
            rebase(Int(q))
            queue[write] = q
            write += 1
        }
        queue.removeLast(queue.count - write)
        // Phase 2: rewrite every pair touching a refreshed site. A pair whose window would
        // exceed half its |x| (its other site's slack set when it was less soft) refreshes
        // that site too, so that every window stays within |x| / 2.
        var i = 0
        while i < queue.count {
            let k = Int(queue[i])
            i += 1
            for q in Int(drift.start[k])..<Int(drift.start[k + 1]) {
                let p = Int(drift.events[q])
                if let (f, t) = hop(p) {
                    let j = f == k ? t : f
                    let x = abs(local[f] - local[t] + pairCoupling[p])
                    if !drift.queued[j] && 2 * (drift.slack[k] + drift.slack[j]) > 0.5 * x {
                        rebase(j)
                        queue.append(Int32(j))
                    }
                }
                tree.set(p, driftBound(p))
            }
        }
        for k in queue { drift.queued[Int(k)] = false }
        queue.removeAll(keepingCapacity: true)
        swap(&queue, &drift.stale)
    }
}
