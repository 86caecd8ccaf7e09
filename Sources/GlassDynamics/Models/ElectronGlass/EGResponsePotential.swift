import Foundation

extension EGSystem {
    /// The site potential of the electron glass's response protocol (issue #12, section 3),
    /// delta phi_i = h sin(2 pi x_i / L) with x_i the first coordinate of site i and L the box
    /// side: one wavelength across the box, so it sums to about zero and moves charge without
    /// changing the number of electrons.
    ///
    /// One function for the kinetic Monte Carlo's response protocol, the aging weights of the
    /// electron glass's relaxation modes and the linear-response prediction
    /// (``EGResponsePrediction``), so that the prediction and the simulation cannot perturb
    /// different potentials.
    package func responsePotential(strength h: Double) -> [Double] {
        (0..<box.count).map { h * Foundation.sin(2 * Double.pi * box.coordinate($0, 0) / box.side) }
    }
}
