/// A d-dimensional periodic box of side `side` (d = 2 or 3) holding random sites.
///
/// Positions are stored flat, `coordinates[i * dimension + k]`, and all distances use the
/// minimum-image convention, so every pair i != j interacts exactly once at its shortest
/// periodic separation.
package struct PeriodicBox: Sendable {
    package let dimension: Int
    package let side: Double
    package private(set) var coordinates: [Double]

    package var count: Int { coordinates.count / dimension }

    /// A box with the given site coordinates (each in [0, side)).
    package init(dimension: Int, side: Double, coordinates: [Double]) {
        precondition(dimension == 2 || dimension == 3, "dimension must be 2 or 3")
        precondition(coordinates.count % dimension == 0)
        self.dimension = dimension
        self.side = side
        self.coordinates = coordinates
    }

    /// N sites uniform in the box (a Poisson configuration), drawn from the realization's
    /// own stream: site i uses counter (i, slot) of the `.position` purpose.
    package init(randomSites n: Int, dimension: Int, side: Double, streams: RealizationStreams) {
        var c = [Double](repeating: 0, count: n * dimension)
        for i in 0..<n {
            let (a, b) = streams.uniforms(.position, index: i, slot: 0)
            c[i * dimension] = a * side
            c[i * dimension + 1] = b * side
            if dimension == 3 {
                c[i * dimension + 2] = streams.uniform(.position, index: i, slot: 1) * side
            }
        }
        self.init(dimension: dimension, side: side, coordinates: c)
    }

    /// Minimum-image separation along one axis.
    @inlinable
    package func wrap(_ delta: Double) -> Double {
        delta - side * (delta / side).rounded()
    }

    /// Minimum-image distance between sites i and j.
    @inlinable
    package func distance(_ i: Int, _ j: Int) -> Double {
        distanceSquared(i, j).squareRoot()
    }

    /// Minimum-image squared distance between sites i and j.
    @inlinable
    package func distanceSquared(_ i: Int, _ j: Int) -> Double {
        var s = 0.0
        for k in 0..<dimension {
            let d = wrap(coordinates[i * dimension + k] - coordinates[j * dimension + k])
            s += d * d
        }
        return s
    }

    /// Coordinate k of site i.
    @inlinable
    package func coordinate(_ i: Int, _ k: Int) -> Double { coordinates[i * dimension + k] }
}
