import Foundation

/// The Coulomb couplings K_ij = e^2 / r_ij of the electron glass as the hop update needs them:
/// whole rows (K symmetric, so rows are columns). Stored densely (8 N^2 bytes) when that
/// fits, or regenerated from the positions at every use (matrix-free, O(N) memory, a square
/// root and a division per site per hop). Both give the same values bit for bit: the stored
/// row is filled by the same expression.
package struct CoulombColumns: Sendable {
    package let count: Int
    package let box: PeriodicBox
    package let chargeSquared: Double
    /// Row-major K (nil: matrix-free).
    package let dense: [Double]?

    /// Bytes of the dense storage for N sites.
    package static func bytes(sites n: Int) -> Double { 8 * Double(n) * Double(n) }

    package init(box: PeriodicBox, chargeSquared: Double, stored: Bool) {
        count = box.count
        self.box = box
        self.chargeSquared = chargeSquared
        if stored {
            let n = box.count
            var k = [Double](repeating: 0, count: n * n)
            for i in 0..<n {
                for j in 0..<n where j != i { k[i * n + j] = chargeSquared / box.distance(i, j) }
            }
            dense = k
        } else {
            dense = nil
        }
    }

    /// "dense" or "matrix-free".
    package var storageName: String { dense == nil ? "matrix-free" : "dense" }

    /// K_ij (0 on the diagonal).
    @inlinable
    package func coupling(_ i: Int, _ j: Int) -> Double {
        if i == j { return 0 }
        if let d = dense { return d[i * count + j] }
        return chargeSquared / box.distance(i, j)
    }

    /// field_k += K_k,to - K_k,from for every k: the change of every site energy when an
    /// electron hops from `from` to `to`. O(N).
    @inlinable
    package func addHop(from: Int, to: Int, into field: UnsafeMutableBufferPointer<Double>) {
        let n = count
        if let d = dense {
            d.withUnsafeBufferPointer { k in
                let rt = k.baseAddress! + to * n, rf = k.baseAddress! + from * n
                for s in 0..<n { field[s] += rt[s] - rf[s] }
            }
        } else {
            for s in 0..<n { field[s] += coupling(s, to) - coupling(s, from) }
        }
    }

    /// ``addHop(from:to:into:)`` (the same bits), also appending to `drifted` every site k whose
    /// new energy is more than `slack[k]` from `reference[k]`: the drift check of drift-bounded
    /// thinning fused into the update's one pass.
    @inlinable
    package func addHop(from: Int, to: Int, into field: UnsafeMutableBufferPointer<Double>,
                        reference: UnsafeBufferPointer<Double>, slack: UnsafeBufferPointer<Double>, drifted: inout [Int32]) {
        let n = count
        if let d = dense {
            d.withUnsafeBufferPointer { k in
                let rt = k.baseAddress! + to * n, rf = k.baseAddress! + from * n
                for s in 0..<n {
                    let v = field[s] + (rt[s] - rf[s])
                    field[s] = v
                    if abs(v - reference[s]) > slack[s] { drifted.append(Int32(s)) }
                }
            }
        } else {
            for s in 0..<n {
                let v = field[s] + (coupling(s, to) - coupling(s, from))
                field[s] = v
                if abs(v - reference[s]) > slack[s] { drifted.append(Int32(s)) }
            }
        }
    }
}
