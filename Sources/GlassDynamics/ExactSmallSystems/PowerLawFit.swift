import Foundation

/// A power law y = A x^p fitted by least squares on (ln x, ln y): the order p of a mean-field
/// error in J/T. Points with y <= 0 or non-finite are left out.
package struct PowerLawFit: Sendable, Codable, Equatable {
    /// The exponent p.
    package var exponent: Double
    /// The prefactor A.
    package var prefactor: Double
    /// Points used.
    package var points: Int

    /// The fit through `x`, `y`, or nil with fewer than two usable points or one x value.
    package init?(x: [Double], y: [Double]) {
        let pts = zip(x, y).filter { $0.0 > 0 && $0.1 > 0 && $0.0.isFinite && $0.1.isFinite }
            .map { (Foundation.log($0.0), Foundation.log($0.1)) }
        guard pts.count >= 2 else { return nil }
        let k = Double(pts.count)
        let mx = pts.reduce(0) { $0 + $1.0 } / k, my = pts.reduce(0) { $0 + $1.1 } / k
        let sxx = pts.reduce(0) { $0 + ($1.0 - mx) * ($1.0 - mx) }
        guard sxx > 0 else { return nil }
        let sxy = pts.reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        exponent = sxy / sxx
        prefactor = Foundation.exp(my - exponent * mx)
        points = pts.count
    }
}
