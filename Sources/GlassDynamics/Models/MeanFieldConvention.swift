/// Which form of the mean-field equations to solve (MODEL.md, "Two equation conventions").
public enum MeanFieldConvention: String, Sendable, Codable, CaseIterable {
    /// The equations exactly as printed in the paper (TLS: prefactor 1/4, tanh(D_j / 2T)).
    case paper
    /// What the authors' published MATLAB scripts solve (TLS: prefactor 1, tanh(E_j / 2T);
    /// initial state uniform on [-10, 10]).
    case scripts
}

/// The thermal average that closes the TLS mean-field equations.
public enum SzRule: String, Sendable, Codable, CaseIterable {
    /// Eq. 4: tanh(D / 2T) (or tanh(E / 2T) in the scripts convention).
    case meanfield
    /// The exact single-TLS average (D / E) tanh(E / 2T), which Eq. 4 replaces.
    case exact
    /// Eq. 4's closure tanh(D / 2T) with the Onsager reaction term (TAP, docs/exact.md):
    /// D_i = Delta_i + c sum_j J_ij m_j - m_i (c^2 / 2T) sum_j J_ij^2 (1 - m_j^2). Exact to
    /// order (J/T)^2 for classical spins; the paper's convention only.
    case tap
}

/// The heat-and-cool protocol of the authors' scripts: solve at T, step the temperature up to
/// `high` and back down to T in `steps` equal steps each way, re-solving from the previous
/// solution at every step.
public struct AnnealProtocol: Sendable, Codable, Equatable {
    /// T_high, the top temperature of the protocol, in units of J (default 10).
    public var high: Double
    /// Equal temperature steps each way between T and T_high (default 10).
    public var steps: Int

    /// The protocol with top temperature `high` and `steps` steps each way; the defaults are
    /// the authors' scripts (T_high = 10, 10 steps).
    public init(high: Double = 10, steps: Int = 10) {
        self.high = high
        self.steps = steps
    }

    /// The temperatures solved in order, ending at `t`.
    public func temperatures(endingAt t: Double) -> [Double] {
        let dt = (high - t) / Double(steps)
        let up = (0...steps).map { t + Double($0) * dt }
        let down = (0..<steps).reversed().map { t + Double($0) * dt }
        return up + down
    }
}
