/// A complete binary tree of event rates: leaf k holds the rate of event k, every inner node
/// the sum of its two children, the root the total rate R.
///
/// Rejection-free (BKL / Gillespie) kinetic Monte Carlo draws the next event with probability
/// rate_k / R by descending from the root with u R, u uniform on (0, 1): O(log M) for M events.
/// The models of this engine change every rate after each event (one hop moves every site
/// energy), so the tree is rebuilt from its leaves after each event in one O(M) pass; the sums
/// are therefore always recomputed from scratch and carry no accumulated rounding.
package struct RateTree: Sendable {
    /// Number of events M.
    package let count: Int
    /// Leaves start at `capacity` (a power of two >= M); node 1 is the root.
    package let capacity: Int
    package var nodes: [Double]
    /// Inner nodes above leaves written by ``stage(_:_:)`` and not yet recomputed (one level,
    /// that of the leaves' parents), and their marks.
    var staged: [Int32] = []
    var marked: [Bool]

    package init(count: Int) {
        precondition(count >= 1)
        self.count = count
        var c = 1
        while c < count { c <<= 1 }
        capacity = c
        nodes = [Double](repeating: 0, count: 2 * c)
        marked = [Bool](repeating: false, count: c)
    }

    /// The total rate R (valid after ``rebuild()``).
    @inlinable
    package var total: Double { nodes[1] }

    /// The rate of event `k`.
    @inlinable
    package func rate(_ k: Int) -> Double { nodes[capacity + k] }

    /// Writes the leaves through `body` (a buffer of the M rates), then rebuilds the sums.
    @inlinable
    package mutating func update(_ body: (UnsafeMutableBufferPointer<Double>) -> Void) {
        let c = capacity, m = count
        nodes.withUnsafeMutableBufferPointer { p in
            body(UnsafeMutableBufferPointer(rebasing: p[c..<(c + m)]))
        }
        rebuild()
    }

    /// Recomputes every inner node from the leaves.
    @inlinable
    package mutating func rebuild() {
        nodes.withUnsafeMutableBufferPointer { p in
            var k = capacity - 1
            while k >= 1 {
                p[k] = p[2 * k] + p[2 * k + 1]
                k -= 1
            }
        }
    }

    /// Sets leaf `k` to `value` and recomputes the sums on its path to the root (O(log M));
    /// each sum is recomputed from its two children, so no rounding accumulates.
    @inlinable
    package mutating func set(_ k: Int, _ value: Double) {
        nodes.withUnsafeMutableBufferPointer { p in
            var i = capacity + k
            p[i] = value
            i >>= 1
            while i >= 1 {
                p[i] = p[2 * i] + p[2 * i + 1]
                i >>= 1
            }
        }
    }

    /// Sets leaf `k` to `value` without touching the sums: a batch of leaves is staged, then
    /// ``propagate()`` recomputes each inner node above them once, level by level from its two
    /// children. The sums end exactly as after ``set(_:_:)`` leaf by leaf (every node is
    /// recomputed from its final children either way), in fewer node updates when the leaves
    /// share ancestors. Read nothing but leaves before ``propagate()``.
    @inlinable
    package mutating func stage(_ k: Int, _ value: Double) {
        let i = capacity + k
        nodes[i] = value
        let parent = i >> 1
        if parent >= 1 && !marked[parent] {
            marked[parent] = true
            staged.append(Int32(parent))
        }
    }

    /// Recomputes the sums above every staged leaf (see ``stage(_:_:)``).
    package mutating func propagate() {
        var level = [Int32]()
        swap(&level, &staged)
        var next = [Int32]()
        next.reserveCapacity(level.count)
        nodes.withUnsafeMutableBufferPointer { p in
            marked.withUnsafeMutableBufferPointer { mark in
                // All staged nodes sit on one level (the leaves of a complete tree share a
                // depth), so each level is final before the one above it is summed.
                while !level.isEmpty {
                    for q in level {
                        let i = Int(q)
                        p[i] = p[2 * i] + p[2 * i + 1]
                        mark[i] = false
                        let parent = i >> 1
                        if parent >= 1 && !mark[parent] {
                            mark[parent] = true
                            next.append(Int32(parent))
                        }
                    }
                    swap(&level, &next)
                    next.removeAll(keepingCapacity: true)
                }
            }
        }
        level.removeAll(keepingCapacity: true)
        staged = level
    }

    /// The event whose cumulative-rate interval holds u R, and where u R falls inside that
    /// event's interval as a fraction in [0, 1): a uniform independent of the choice, used as
    /// the acceptance draw of thinning.
    @inlinable
    package func selectWithResidual(_ u: Double) -> (Int, Double) {
        nodes.withUnsafeBufferPointer { p in
            var x = u * p[1]
            var k = 1
            while k < capacity {
                let left = p[2 * k]
                if (x < left || p[2 * k + 1] <= 0) && left > 0 {
                    k = 2 * k
                } else {
                    x -= left
                    k = 2 * k + 1
                }
            }
            let leaf = p[k]
            return (k - capacity, leaf > 0 ? Swift.min(Swift.max(x / leaf, 0), 0x1.fffffffffffffp-1) : 0)
        }
    }

    /// The event whose cumulative-rate interval holds u R (u in (0, 1)). Rounding can never
    /// pick an event of rate 0: a subtree of total 0 is never entered.
    @inlinable
    package func select(_ u: Double) -> Int { selectWithResidual(u).0 }
}
