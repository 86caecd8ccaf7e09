import Foundation

/// What a kinetic Monte Carlo run does to each realization (issue #12, section 1).
public enum KMCProtocol: String, Sendable, Codable, CaseIterable {
    /// Equilibrate at T from the chosen start for the equilibration time, then sample the
    /// single-site energies (EG: eps~_i - mu; TLS: the signed local energies) over the run time.
    case equilibrium
    /// Quench from T = infinity (random filling / random spins) to T: energy per site and the
    /// fraction of sites moved on a logarithmic time axis.
    case quench
    /// After the same quench, the two-time autocorrelation C(t_w + t, t_w) for each waiting time.
    case aging
    /// Equilibrate as `equilibrium`, then hold a small perturbation for t_w and remove it:
    /// the response O(t; t_w) a time t after removal, from twin trajectories (perturbed and
    /// not) driven by the same random numbers. The perturbation and observable are those of
    /// `glassdyn aging` (TLS: Delta_i += h, O = (h/N) sum_i delta s_i; EG: eps_i += h sin(2 pi
    /// x_i / L), O = -(1/N) sum_i delta phi_i delta n_i).
    case response
}

/// The start configuration of the equilibrium protocol.
public enum KMCStart: String, Sendable, Codable, CaseIterable {
    /// Random filling (EG: N/2 sites chosen at random) or random spins (TLS).
    case random
    /// The mean-field solution rounded: EG, the N/2 sites of lowest E_i - mu occupied; TLS,
    /// s_i = sign(D_i).
    case meanfield
}

/// The kinetic Monte Carlo settings of a run: protocol, times and costs.
public struct KMCOptions: Sendable, Codable, Equatable {
    /// The protocol (default quench).
    public var protocolKind = KMCProtocol.quench
    /// Start of the equilibrium protocol (default the rounded mean-field solution).
    public var start = KMCStart.meanfield
    /// Simulated time: the quench's end, the equilibrium sampling window, the longest t of
    /// C(t_w + t, t_w) (in units of 1/Gamma0 or 1/a). Default 1e4.
    public var time = 1e4
    /// Equilibration time before sampling (equilibrium protocol). Default 1e4.
    public var equilibrationTime = 1e4
    /// First time of the logarithmic grid. Default 1e-2.
    public var minimumTime = 1e-2
    /// Points per decade of the logarithmic grid. Default 5.
    public var pointsPerDecade = 5
    /// Snapshots of the equilibrium DOS, evenly spaced over `time`. Default 20.
    public var samples = 20
    /// Independent trajectories per realization (each its own stream). Default 1.
    public var trajectories = 1
    /// Events allowed per trajectory; a trajectory that reaches it stops there and is counted
    /// as truncated (never silently). Default 1e8.
    public var maxEvents = 100_000_000
    /// EG: pairs with r_ij > pairCutoff xi are dropped (their static factor is below
    /// exp(-pairCutoff)). Default 30.
    public var pairCutoff = 30.0
    /// TLS: thinning against static rate bounds (exact; an accepted event costs the O(N) field
    /// update alone, but every rejected draw costs O(log N) and the static bounds are loose at
    /// low T) instead of rejection-free with every rate rewritten per event (default).
    public var thinning = false
    /// The reference path: rejection-free with every rate rewritten after each event (cost
    /// O(M) per event) instead of drift-bounded thinning (the default: bounds refreshed only
    /// where energies moved, docs/kmc.md section 3). Both are exact; they consume random
    /// numbers differently, so trajectories differ.
    public var fullRefresh = false
    /// The base slack of drift-bounded thinning, as a fraction of T (docs/kmc.md section 3;
    /// chosen by measurement, docs/performance.md): electron glass and TLS glass.
    package static let egDriftSlack = 0.5
    package static let tlsDriftSlack = 3.0
    /// Waiting times t_w of the aging and response protocols.
    public var waitingTimes: [Double] = [1e2, 1e3]
    /// Strength h of the response protocol's perturbation. Default 0.05.
    public var strength = 0.05
    /// Events between two canonical points of a trajectory, where local energies and rates
    /// are recomputed from the configuration and a checkpoint may be written (docs/kmc.md,
    /// section 5). Nil (the default, not written to run.json): 100 N for N sites.
    public var canonicalEvents: Int? = nil

    /// The events between canonical points for `sites` sites.
    public func canonicalEventInterval(sites: Int) -> Int { canonicalEvents ?? 100 * Swift.max(1, sites) }

    /// The defaults above.
    public init() {}

    /// The logarithmic grid from ``minimumTime`` to `end` (inclusive within rounding).
    public func grid(to end: Double) -> [Double] {
        var out = [Double]()
        var k = 0
        while true {
            let t = minimumTime * Foundation.pow(10, Double(k) / Double(pointsPerDecade))
            if t > end * (1 + 1e-12) { break }
            out.append(t)
            k += 1
        }
        return out
    }

    /// Refuses non-finite, non-positive or absurd times and counts before any work.
    public func validate() throws {
        // Beyond 1e30 no trajectory can reach the end: rates are at least exp(-pairCutoff)
        // smaller than 1 and events are counted in 64 bits; such requests are typing errors.
        let limit = 1e30
        for (p, v) in [(Parameter.simulatedTime, time), (.equilibrationTime, equilibrationTime), (.minimumTime, minimumTime)] {
            if !v.isFinite { throw ParameterError.notFinite(p, v) }
            if !(v > 0) { throw ParameterError.notPositive(p, v) }
            if v > limit { throw ParameterError(p, "\(p) must be at most \(limit), got \(v)") }
        }
        if minimumTime >= time {
            throw ParameterError(.minimumTime, "\(Parameter.minimumTime) must be below \(Parameter.simulatedTime) (\(time)), got \(minimumTime)")
        }
        if pointsPerDecade < 1 || pointsPerDecade > 100 {
            throw ParameterError(.pointsPerDecade, "\(Parameter.pointsPerDecade) must be between 1 and 100, got \(pointsPerDecade)")
        }
        if samples < 1 { throw ParameterError.below(.samples, minimum: 1, samples) }
        if trajectories < 1 { throw ParameterError.below(.trajectories, minimum: 1, trajectories) }
        if maxEvents < 1 { throw ParameterError.below(.maxEvents, minimum: 1, maxEvents) }
        if let c = canonicalEvents, c < 1 { throw ParameterError.below(.canonicalEvents, minimum: 1, c) }
        if !(pairCutoff.isFinite && pairCutoff > 0) { throw ParameterError.notPositive(.pairCutoff, pairCutoff) }
        if protocolKind == .response && !(strength.isFinite && strength != 0) {
            throw ParameterError(.perturbationStrength, "\(Parameter.perturbationStrength) must be a non-zero finite number, got \(strength)")
        }
        if protocolKind == .aging || protocolKind == .response {
            if waitingTimes.isEmpty { throw ParameterError(.waitingTimes, "\(Parameter.waitingTimes) needs at least one waiting time") }
            for tw in waitingTimes where !(tw.isFinite && tw > 0 && tw <= limit) {
                throw ParameterError(.waitingTimes, "\(Parameter.waitingTimes) values must be positive and at most \(limit), got \(tw)")
            }
        }
    }
}
