import Foundation

/// The TLS glass linearised with the direct interaction term (issue #11,
/// docs/linear-dynamics.md).
///
/// With m_i = <sigma^z_i> relaxing to its instantaneous mean-field value,
///
///     dm_i/dt = -Gamma_i (m_i - m(D_i(m))),   D_i(m) = Delta_i + f sum_j J_ij m_j,
///
/// (m(D) the response of ``TLSMeanField/response(_:tunneling:temperature:rule:convention:)``,
/// f the field prefactor, Gamma_i the rate of Eq. 10-12 at the equilibrium energy, held fixed),
/// the linearisation about the fixed point is
///
///     A = -diag(Gamma) + diag(kappa) f J,   kappa_i = Gamma_i chi_i,   chi_i = dm/dD at D_i.
///
/// A is similar (by diag(kappa)^1/2) to -M with the symmetric
/// M = diag(Gamma) - f diag(kappa)^1/2 J diag(kappa)^1/2 = Gamma^1/2 P Gamma^1/2,
/// P = I - f chi^1/2 J chi^1/2, whose eigenvalues are the rates. The fixed point is stable
/// exactly when P (equivalently M) is positive definite.
package struct TLSLinearization: Sendable {
    package let box: PeriodicBox
    /// Bare asymmetries Delta_i and the equilibrium D_i.
    package let bias: [Double]
    package let equilibrium: [Double]
    package let tunneling: [Double]
    package let temperature: Double
    package let rule: SzRule
    package let convention: MeanFieldConvention
    /// f (1/4 paper, 1 scripts).
    package let fieldPrefactor: Double
    /// The diagonal rates Gamma_i (the paper's, direct term neglected).
    package let rates: [Double]
    /// chi_i = dm_i / dD_i at equilibrium.
    package let susceptibilities: [Double]
    /// J_ij (0 for i = j).
    package let coupling: @Sendable (Int, Int) -> Double

    package init(box: PeriodicBox, bias: [Double], equilibrium d: [Double], tunneling: [Double],
                temperature t: Double, rule: SzRule, convention: MeanFieldConvention, fieldPrefactor f: Double,
                ratePrefactor a: Double, coupling: @escaping @Sendable (Int, Int) -> Double) {
        self.box = box
        self.bias = bias
        equilibrium = d
        self.tunneling = tunneling
        temperature = t
        self.rule = rule
        self.convention = convention
        fieldPrefactor = f
        self.coupling = coupling
        rates = d.indices.map {
            TLSMeanField.rate(energy: TLSMeanField.energy(d[$0], tunneling: tunneling[$0]), tunneling: tunneling[$0],
                              temperature: t, prefactor: a)
        }
        susceptibilities = d.indices.map {
            Self.susceptibility(d[$0], tunneling: tunneling[$0], temperature: t, rule: rule, convention: convention)
        }
    }

    /// The linearisation of a solved realization (D from ``TLSMeanField/solve(_:couplings:)``).
    package init(system: TLSSystem, equilibrium d: [Double]) {
        let p = system.parameters
        self.init(box: system.box, bias: system.asymmetry, equilibrium: d, tunneling: system.tunneling,
                  temperature: p.temperature, rule: p.sz, convention: p.convention, fieldPrefactor: p.fieldPrefactor,
                  ratePrefactor: p.ratePrefactor, coupling: { [system] i, j in i == j ? 0 : system.coupling(i, j) })
    }

    package var count: Int { rates.count }

    /// chi = dm/dD for each response rule, with s(x) = sech^2(x) / 2T:
    /// - paper, m = tanh(D/2T): chi = s(D/2T);
    /// - scripts, m = tanh(E/2T), E = sign(D) sqrt(D^2 + Delta0^2): chi = s(E/2T) |D| / |E|
    ///   (m jumps by 2 tanh(Delta0/2T) at D = 0, where the derivative does not exist);
    /// - exact, m = (D/E) tanh(E/2T), E = sqrt(D^2 + Delta0^2):
    ///   chi = (D^2/E^2) s(E/2T) + (Delta0^2/E^3) tanh(E/2T).
    /// TAP has its closure's chi here, but its linearisation would need the reaction term's
    /// derivatives too: ``TLSParameters/validate()`` refuses it with the full rate matrix.
    package static func susceptibility(_ d: Double, tunneling d0: Double, temperature t: Double,
                                      rule: SzRule, convention: MeanFieldConvention) -> Double {
        func s(_ x: Double) -> Double {
            let c = Foundation.cosh(x)
            return c.isFinite ? 1 / (c * c * 2 * t) : 0
        }
        let e = (d * d + d0 * d0).squareRoot()
        switch (rule, convention) {
        case (.meanfield, .paper), (.tap, .paper): return s(d / (2 * t))
        case (.meanfield, .scripts), (.tap, .scripts): return e > 0 ? s(e / (2 * t)) * abs(d) / e : 1 / (2 * t)
        case (.exact, _):
            guard e > 0 else { return 1 / (2 * t) }
            return (d * d) / (e * e) * s(e / (2 * t)) + d0 * d0 / (e * e * e) * Foundation.tanh(e / (2 * t))
        }
    }

    /// m* = m(D*) at equilibrium.
    package var equilibriumResponse: [Double] {
        equilibrium.indices.map {
            TLSMeanField.response(equilibrium[$0], tunneling: tunneling[$0], temperature: temperature,
                                  rule: rule, convention: convention)
        }
    }

    /// The nonlinear mean-field dynamics dm/dt = -Gamma (m - m(Delta + f J m)) at m (Gamma fixed).
    package func velocity(_ m: [Double]) -> [Double] {
        let n = count
        return (0..<n).map { i in
            var field = bias[i]
            for j in 0..<n where j != i { field += fieldPrefactor * coupling(i, j) * m[j] }
            let target = TLSMeanField.response(field, tunneling: tunneling[i], temperature: temperature,
                                               rule: rule, convention: convention)
            return -rates[i] * (m[i] - target)
        }
    }

    /// The explicit non-symmetric A = -Gamma + diag(Gamma chi) f J (for dgeev and checks).
    package func explicitRateMatrix() -> ColumnMajorMatrix {
        let n = count
        let a = ColumnMajorMatrix(count: n)
        for j in 0..<n {
            for i in 0..<n {
                a[i, j] = i == j ? -rates[i] : rates[i] * susceptibilities[i] * fieldPrefactor * coupling(i, j)
            }
        }
        return a
    }

    /// M / scale, M = Gamma - f (kappa_i kappa_j)^1/2 J_ij, lower triangle and diagonal written.
    package func symmetricMatrix(scale: Double = 1) -> ColumnMajorMatrix {
        let n = count
        let m = ColumnMajorMatrix(count: n)
        let root = (0..<n).map { (rates[$0] * susceptibilities[$0] / scale).squareRoot() }
        for j in 0..<n {
            m[j, j] = rates[j] / scale
            for i in (j + 1)..<Swift.max(j + 1, n) {
                m[i, j] = -fieldPrefactor * root[i] * root[j] * coupling(i, j)
            }
        }
        return m
    }

    /// P = I - f chi^1/2 J chi^1/2 (lower triangle and diagonal written): the stability
    /// matrix, M = Gamma^1/2 P Gamma^1/2.
    package func stabilityMatrix() -> ColumnMajorMatrix {
        let n = count
        let p = ColumnMajorMatrix(count: n)
        let root = susceptibilities.map { $0.squareRoot() }
        for j in 0..<n {
            p[j, j] = 1
            for i in (j + 1)..<Swift.max(j + 1, n) { p[i, j] = -fieldPrefactor * root[i] * root[j] * coupling(i, j) }
        }
        return p
    }

    /// How the rates are computed.
    package enum Method: String, Sendable, Codable, CaseIterable {
        /// dsyevd on M alone: every rate with absolute error about N eps max Gamma, so rates
        /// below that floor (the slow tail, Delta0 ~ 1e-7 gives Gamma ~ 1e-15) are not resolved.
        case symmetric
        /// dsyevd on M for the fast half and dsygvd (itype 1) on the pencil
        /// (Gamma_max / Gamma, P), eigenvalues Gamma_max / Gamma, for the slow half: each half
        /// has absolute error N eps relative to its own largest value, so every rate is
        /// resolved relative to itself when Gamma_max / Gamma_min << 1 / (N eps)^2.
        /// The Cholesky factor of P doubles as the stability test.
        case graded
    }

    /// The rates of the full linear dynamics.
    package struct Spectrum: Sendable {
        package var stability: LinearStability
        /// Rates Gamma (eigenvalues of M), ascending; empty when not positive definite.
        package var rates: [Double]
        /// Eigenvalues of M <= 0 (growth or marginal), counted and excluded from `rates`.
        package var nonPositive: Int
        /// The diagonal Gamma_i, ascending.
        package var diagonalRates: [Double]
        package var method: Method
        /// Graded: largest relative difference of the two routes over the rates within a
        /// factor 100 of the splice point (both routes accurate there); 0 for symmetric.
        package var routeDisagreement: Double
        /// The splice point sqrt(max Gamma_i min Gamma_i) (graded).
        package var splice: Double
    }

    struct Solved {
        var spectrum: Spectrum
        /// Route 1 eigenvectors (columns) of M / Gamma_max and route 2 eigenvectors y of the pencil.
        var fast: ColumnMajorMatrix?
        var slow: ColumnMajorMatrix?
        var fastValues: [Double]
        var slowValues: [Double]
        var scale: Double
    }

    func solve(method: Method, vectors: Bool) throws -> Solved {
        let n = count
        let scale = rates.max() ?? 1
        let sortedDiagonal = rates.sorted()
        let m = symmetricMatrix(scale: scale)
        let w1 = try LinearAlgebra.symmetricEigen(m, vectors: vectors)
        let r1 = w1.map { $0 * scale }
        func assemble(_ r: [Double], stability: LinearStability, disagreement: Double, splice: Double) -> Spectrum {
            let kept = r.filter { $0 > 0 }
            var st = stability
            if kept.count < r.count && st == .localMinimum { st = .positiveEigenvalue }
            return Spectrum(stability: st, rates: kept, nonPositive: r.count - kept.count, diagonalRates: sortedDiagonal,
                            method: method, routeDisagreement: disagreement, splice: splice)
        }
        if method == .symmetric {
            return Solved(spectrum: assemble(r1, stability: .localMinimum, disagreement: 0, splice: 0),
                          fast: vectors ? m : nil, slow: nil, fastValues: w1, slowValues: [], scale: scale)
        }
        let a = ColumnMajorMatrix(count: n)
        for j in 0..<n { for i in j..<n { a[i, j] = i == j ? scale / rates[j] : 0 } }
        let p = stabilityMatrix()
        switch try LinearAlgebra.generalized(itype: 1, a, p, vectors: vectors) {
        case .notPositiveDefinite:
            var s = assemble(r1, stability: .notPositiveDefinite, disagreement: .nan, splice: 0)
            s.rates = []
            return Solved(spectrum: s, fast: nil, slow: nil, fastValues: w1, slowValues: [], scale: scale)
        case .solved(let mu):
            // mu ascending -> rates scale / mu descending; reverse to ascending.
            let r2 = mu.reversed().map { scale / $0 }
            let splice = (sortedDiagonal.first! * sortedDiagonal.last!).squareRoot()
            var r = [Double](repeating: 0, count: n)
            var worst = 0.0
            for k in 0..<n {
                r[k] = r2[k] < splice ? r2[k] : r1[k]
                if r2[k] > splice / 100 && r2[k] < splice * 100 { worst = Swift.max(worst, abs(r1[k] / r2[k] - 1)) }
            }
            return Solved(spectrum: assemble(r, stability: .localMinimum, disagreement: worst, splice: splice),
                          fast: vectors ? m : nil, slow: vectors ? a : nil, fastValues: w1,
                          slowValues: Array(mu.reversed()), scale: scale)
        }
    }

    /// The rates (eigenvalues of M) by `method`; a P without Cholesky factor (graded) is
    /// reported as ``LinearStability/notPositiveDefinite`` with no rates.
    package func spectrum(method: Method = .graded) throws -> Spectrum {
        try solve(method: method, vectors: false).spectrum
    }

    /// Relaxation modes (slowest first) in the symmetric representation: the normalised
    /// eigenvectors v_k of M (route 2 modes: v ∝ Gamma^-1/2 y_k), with the aging weight of the
    /// asymmetry shift `perturbation` h (delta Delta_i):
    ///
    ///     w_k = (v_k . (Gamma chi)^1/2 h)^2 / Gamma_k = (y_k . chi^1/2 h)^2   (y^T P y = 1),
    ///
    /// the weight of mode k in the conjugate response O = sum_i h_i delta m_i
    /// (docs/linear-dynamics.md). Nil when P is not positive definite.
    package func modes(perturbation h: [Double]? = nil, method: Method = .graded) throws -> (spectrum: Spectrum, modes: [RelaxationMode])? {
        let n = count
        let s = try solve(method: method, vectors: true)
        guard s.spectrum.stability != .notPositiveDefinite else { return nil }
        let kappaRoot = (0..<n).map { (rates[$0] * susceptibilities[$0]).squareRoot() }
        let chiRoot = susceptibilities.map { $0.squareRoot() }
        var out = [RelaxationMode]()
        for k in 0..<n {
            let useSlow = s.slow != nil && s.scale / s.slowValues[k] < s.spectrum.splice
            let rate = useSlow ? s.scale / s.slowValues[k] : s.fastValues[k] * s.scale
            guard rate > 0 else { continue }
            var v = [Double](repeating: 0, count: n)
            var weight: Double? = nil
            if useSlow, let y = s.slow {
                let col = n - 1 - k
                for i in 0..<n { v[i] = y[i, col] / rates[i].squareRoot() }
                if let h { var d = 0.0; for i in 0..<n { d += y[i, col] * chiRoot[i] * h[i] }; weight = d * d }
            } else if let f = s.fast {
                for i in 0..<n { v[i] = f[i, k] }
                if let h { var d = 0.0; for i in 0..<n { d += v[i] * kappaRoot[i] * h[i] }; weight = d * d / rate }
            }
            out.append(RelaxationMode(rate: rate, vector: v, box: box, weight: weight))
        }
        out.sort { $0.lnRate < $1.lnRate }
        return (s.spectrum, out)
    }
}
