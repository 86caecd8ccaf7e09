/// Sites of a 3D periodic box binned into cubic cells, for finding every pair closer than a
/// cutoff in O(N) work instead of O(N^2).
///
/// Cells have side at least r_c / 2, so all neighbours of a site lie in the 5 x 5 x 5 block of
/// cells around its own (125 cells of volume (r_c/2)^3 each: 15.6 r_c^3 searched per site,
/// against 27 r_c^3 with cells of side r_c). Requires at least 5 cells per axis (r_c <= 2L/5);
/// ``make(box:cutoff:)`` returns nil otherwise and callers fall back to all pairs.
package struct CellList: Sendable {
    package let cellsPerAxis: Int
    /// Sites sorted by cell; `start[c]..<start[c + 1]` are the sites of cell c.
    package let sites: [Int32]
    package let start: [Int32]
    let cellOfSite: [Int32]

    package static func make(box: PeriodicBox, cutoff: Double) -> CellList? {
        precondition(box.dimension == 3, "CellList is three-dimensional")
        let m = Int((box.side / (cutoff / 2)).rounded(.down))
        guard m >= 5, cutoff > 0 else { return nil }
        return CellList(box: box, cellsPerAxis: Swift.min(m, 1024))
    }

    init(box: PeriodicBox, cellsPerAxis m: Int) {
        cellsPerAxis = m
        let n = box.count
        let scale = Double(m) / box.side
        var cell = [Int32](repeating: 0, count: n)
        var counts = [Int32](repeating: 0, count: m * m * m + 1)
        for i in 0..<n {
            func axis(_ k: Int) -> Int { Swift.min(m - 1, Swift.max(0, Int(box.coordinate(i, k) * scale))) }
            let c = (axis(0) * m + axis(1)) * m + axis(2)
            cell[i] = Int32(c)
            counts[c + 1] += 1
        }
        for c in 0..<(m * m * m) { counts[c + 1] += counts[c] }
        var fill = counts
        var sorted = [Int32](repeating: 0, count: n)
        for i in 0..<n {
            let c = Int(cell[i])
            sorted[Int(fill[c])] = Int32(i)
            fill[c] += 1
        }
        sites = sorted
        start = counts
        cellOfSite = cell
    }

    /// Calls `body(j)` for every site j in the 125 cells around site i's cell (i itself
    /// included), each once; the caller tests the distance.
    @inline(__always)
    package func forEachCandidate(of i: Int, _ body: (Int) -> Void) {
        let m = cellsPerAxis
        let c = Int(cellOfSite[i])
        let cx = c / (m * m), cy = (c / m) % m, cz = c % m
        for dx in -2...2 {
            let x = (cx + dx + m) % m
            for dy in -2...2 {
                let y = (cy + dy + m) % m
                for dz in -2...2 {
                    let z = (cz + dz + m) % m
                    let k = (x * m + y) * m + z
                    for s in Int(start[k])..<Int(start[k + 1]) { body(Int(sites[s])) }
                }
            }
        }
    }
}
