/// Gauss-Seidel in blocks of sites, for couplings that take column updates in batches
/// (``BatchedCouplings``): the same iteration as ``GaussSeidelSolver/solve(_:couplings:d:)``,
/// organised so that the expensive part runs in large, parallel, vectorized pieces, with two
/// levers that cut the column updates (each one N pair evaluations matrix-free) about 3-fold.
///
/// Blocks: sites are visited in index order, in blocks of ``GaussSeidelSolver/blockSize``.
/// When site i propagates dm_i, the fields of its own block are updated at once (K[block, i],
/// a short column), so later sites of the block see it exactly as in plain Gauss-Seidel; all
/// other fields get the block's changes together when the block ends, before any of them is
/// visited. Every site sees the same updates as in the site-by-site iteration; only the
/// rounding of the sums differs, and it is fixed by ``BatchedCouplings``' canonical orders.
///
/// Held-back changes: dm_i is propagated when |dm_i| exceeds the rigorous floor of the
/// site-by-site solver, 0.05 tol / (|c| max_i S_i) with S_i = sum_j |K_ij| (below it no field
/// moves by more than 0.05 tol), and, while the iteration is still far from the solution, when
/// |c| S_i |dm_i| exceeds `adaptiveThreshold` times the previous sweep's largest change of D
/// (capped at 1): S_i bounds how far dm_i can move any field, so a change is held back only
/// while it is small against the changes still going on. Nothing is lost (it stays pending in
/// m - m^prop and goes out with the next propagation or the flush).
///
/// Convergence is decided as before: when a sweep moves no D by more than tol / 10, the fields
/// are recomputed from scratch and the residual max_i |D_i - bias_i - c h_i| must be <= tol.
extension GaussSeidelSolver {
    /// Sites per block of the blocked iteration (a multiple of 8).
    package static let blockSize = 128

    func solveBlocked(_ eq: MeanFieldEquations, couplings: some BatchedCouplings,
                      d: inout [Double]) -> SolverReport {
        let n = d.count
        precondition(couplings.count == n && eq.bias.count == n)
        let eta = adaptiveThreshold
        var s = eq.shift?(d, nil) ?? 0
        var m = (0..<n).map { eq.response(d[$0] - s, $0) }
        var propagated = m
        var h = [Double](repeating: 0, count: n)
        var rowSums = [Double](repeating: 0, count: n)
        m.withUnsafeBufferPointer { mp in
            h.withUnsafeMutableBufferPointer { hp in
                rowSums.withUnsafeMutableBufferPointer { sp in couplings.multiply(mp, into: hp, absoluteRowSums: sp) }
            }
        }
        let c = eq.prefactor
        let floor = 0.05 * tolerance / Swift.max(abs(c) * (rowSums.max() ?? 0), 1e-300)
        let weights = rowSums.map { abs(c) * $0 }
        var level = 0.0  // |c| S_i |dm_i| must exceed this (0 in the first sweep: propagate all)
        var damping = DampingSchedule(after: dampingAfter, minimum: minimumDamping)
        var sweeps = 0
        var columnUpdates = 0
        var residual = Double.infinity
        let width = Self.blockSize
        var column = [Double](repeating: 0, count: width)
        var slot = [Int](repeating: -1, count: width)
        var pendingSites = [Int](), pendingChanges = [Double]()
        var orderedSites = [Int](), orderedChanges = [Double]()
        pendingSites.reserveCapacity(width)
        pendingChanges.reserveCapacity(width)
        orderedSites.reserveCapacity(width)
        orderedChanges.reserveCapacity(width)

        while sweeps < maxSweeps {
            sweeps += 1
            var maxChange = 0.0
            h.withUnsafeMutableBufferPointer { hp in
                column.withUnsafeMutableBufferPointer { cp in
                    var lo = 0
                    while lo < n {
                        let hi = Swift.min(lo + width, n)
                        pendingSites.removeAll(keepingCapacity: true)
                        pendingChanges.removeAll(keepingCapacity: true)
                        for i in lo..<hi {
                            let (mi, dm) = Self.visit(i, eq, field: hp[i], alpha: damping.alpha, shift: s,
                                                      d: &d, m: &m, propagated: propagated, maxChange: &maxChange)
                            if abs(dm) > floor && abs(dm) * weights[i] >= level {
                                couplings.column(i, rows: lo..<hi, into: cp.baseAddress!)
                                for k in lo..<hi { hp[k] += cp[k - lo] * dm }
                                slot[i - lo] = pendingSites.count
                                pendingSites.append(i)
                                pendingChanges.append(dm)
                                propagated[i] = mi
                                columnUpdates += 1
                            }
                        }
                        if !pendingSites.isEmpty {
                            // Canonical batch order: by group of 8, each site followed by its
                            // Philox partner (i xor 4), which lets the matrix-free kernel share blocks.
                            orderedSites.removeAll(keepingCapacity: true)
                            orderedChanges.removeAll(keepingCapacity: true)
                            var g = lo
                            while g < hi {
                                for l in 0..<8 {
                                    let k = g + (l >> 1) + 4 * (l & 1)
                                    if k < hi && slot[k - lo] >= 0 {
                                        orderedSites.append(k)
                                        orderedChanges.append(pendingChanges[slot[k - lo]])
                                        slot[k - lo] = -1
                                    }
                                }
                                g += 8
                            }
                            orderedSites.withUnsafeBufferPointer { sp in
                                orderedChanges.withUnsafeBufferPointer { cp2 in
                                    couplings.addColumns(sp, scales: cp2, to: hp, skipping: lo..<hi)
                                }
                            }
                        }
                        lo = hi
                    }
                }
            }
            if let shift = eq.shift {
                s = shift(d, s)
                for i in 0..<n { m[i] = eq.response(d[i] - s, i) }
            }
            if maxChange < 0.1 * tolerance || sweeps == maxSweeps {
                // Flush: exact fields from scratch, then the true residual.
                propagated = m
                m.withUnsafeBufferPointer { mp in
                    h.withUnsafeMutableBufferPointer { hp in couplings.multiply(mp, into: hp, absoluteRowSums: nil) }
                }
                residual = Self.maxResidual(d, eq, field: h)
                if residual <= tolerance { break }
            }
            level = eta * Swift.min(maxChange, 1)
            damping.record(maxChange: maxChange, sweep: sweeps)
        }
        return finish(eq, d: d, shift: s, couplings: couplings, residual: residual,
                      sweeps: sweeps, columnUpdates: columnUpdates)
    }
}
