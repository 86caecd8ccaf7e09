import Foundation
import Testing
import GlassDynamics

@Suite struct GeometryTests {
    /// Hand case in a box of side 10: the periodic image is closer than the direct separation.
    @Test func minimumImageDistanceOnAHandCase() throws {
        let box = PeriodicBox(dimension: 3, side: 10, coordinates: [0.5, 0.5, 0.5, 9.5, 0.5, 0.5, 5, 5, 9])
        #expect(abs(box.distance(0, 1) - 1) < 1e-12)           // 9 apart directly, 1 through the wall
        #expect(abs(box.distance(0, 2) - (4.5 * 4.5 * 2 + 1.5 * 1.5).squareRoot()) < 1e-12)
        #expect(box.distance(1, 0) == box.distance(0, 1))
        let square = PeriodicBox(dimension: 2, side: 4, coordinates: [0.1, 3.9, 3.9, 0.1])
        #expect(abs(square.distance(0, 1) - (0.2 * 0.2 * 2).squareRoot()) < 1e-12)
    }

    /// The box conventions of MODEL.md: 3D N = 1000 -> L = 9, N = 10000 -> L = 20.54;
    /// 2D N = 1000 -> L = 30.62; the Poisson densities 0.169995 and 0.25.
    @Test func boxSidesFollowModelConventions() throws {
        #expect(abs(BoxConvention.paper.side(sites: 1000, dimension: 3) - 9) < 1e-12)
        #expect(abs(BoxConvention.paper.side(sites: 10000, dimension: 3) - 20.544) < 1e-3)
        #expect(abs(BoxConvention.paper.side(sites: 1000, dimension: 2) - 30.623) < 1e-3)
        #expect(abs(BoxConvention.poissonDensity(dimension: 3) - 0.169995) < 1e-6)
        #expect(abs(BoxConvention.poissonDensity(dimension: 2) - 0.25) < 1e-12)
        #expect(abs(BoxConvention.density(2).side(sites: 16, dimension: 3) - 2) < 1e-12)
    }

    /// Poisson sites: each coordinate uniform in [0, L), and the mean nearest-neighbour distance
    /// at the Poisson-convention density is 1 within a few percent (finite size).
    @Test func randomSitesHaveUnitMeanNearestNeighbourDistanceUnderPoissonBox() throws {
        let n = 2000
        let side = BoxConvention.poisson.side(sites: n, dimension: 3)
        let box = PeriodicBox(randomSites: n, dimension: 3, side: side, streams: RealizationStreams(seed: 4, realization: 0))
        #expect(box.coordinates.allSatisfy { $0 >= 0 && $0 < side })
        var total = 0.0
        for i in 0..<n {
            var best = Double.infinity
            for j in 0..<n where j != i { best = min(best, box.distanceSquared(i, j)) }
            total += best.squareRoot()
        }
        #expect(abs(total / Double(n) - 1) < 0.03)
    }
}
