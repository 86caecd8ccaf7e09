import Foundation

/// The exact equilibrium of a small classical system by enumeration: every configuration
/// (a bit mask: bit i is site i's state), its energy and its Boltzmann probability
/// p(b) = exp(-(E_b - E_min) / T) / Z', with Z' the sum of those weights, so nothing overflows
/// at any T; ln Z = ln Z' - E_min / T.
///
/// The reference of the kinetic Monte Carlo's stationarity tests (the time-weighted histogram
/// of configurations must match ``probabilities``) and of the mean-field comparison
/// (``averages``). Build one with ``ClassicalTLSCluster/boltzmann(temperature:)`` or
/// ``LatticeGasCluster/boltzmann(temperature:)``, or from any energy function.
package struct BoltzmannEnumeration: Sendable {
    /// Largest number of sites enumerated (2^N configurations).
    package static let maximumSites = 24

    /// The configurations, in the order given.
    package let configurations: [Int]
    /// E_b.
    package let energies: [Double]
    /// p(b), summing to 1.
    package let probabilities: [Double]
    /// ln Z.
    package let logPartitionFunction: Double
    /// T.
    package let temperature: Double

    /// Enumerates `configurations` with energies `energy(b)` at temperature `t` > 0.
    package init(configurations: [Int], temperature t: Double, energy: (Int) -> Double) {
        precondition(t > 0 && !configurations.isEmpty)
        self.configurations = configurations
        temperature = t
        let e = configurations.map(energy)
        energies = e
        let emin = e.min()!
        let w = e.map { Foundation.exp(-($0 - emin) / t) }
        let z = w.reduce(0, +)
        probabilities = w.map { $0 / z }
        logPartitionFunction = Foundation.log(z) - emin / t
    }

    /// p(b) of one configuration (0 when it is not enumerated).
    package func probability(of b: Int) -> Double {
        // Configurations are usually in increasing order: binary search, else a scan.
        var lo = 0, hi = configurations.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if configurations[mid] < b { lo = mid + 1 } else { hi = mid }
        }
        if lo < configurations.count && configurations[lo] == b { return probabilities[lo] }
        return configurations.firstIndex(of: b).map { probabilities[$0] } ?? 0
    }

    /// <x_i> for every site i < `sites`: the probability that bit i is set (an occupation
    /// <n_i>, or (1 + <s_i>) / 2 for spins).
    package func averages(sites n: Int) -> [Double] { marginals(sites: n).set }

    /// P(bit i set) and P(bit i clear), each summed from its own configurations, so the smaller
    /// keeps its relative accuracy where 1 - P would cancel.
    package func marginals(sites n: Int) -> (set: [Double], clear: [Double]) {
        var set = [Double](repeating: 0, count: n), clear = set
        for (k, b) in configurations.enumerated() {
            let p = probabilities[k]
            for i in 0..<n {
                if (b >> i) & 1 == 1 { set[i] += p } else { clear[i] += p }
            }
        }
        return (set, clear)
    }

    /// The mean energy <E>.
    package var meanEnergy: Double { zip(energies, probabilities).reduce(0) { $0 + $1.0 * $1.1 } }
}
