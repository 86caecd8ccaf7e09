import CLAPACK
import Foundation

/// Whether a mean-field solution is a stable fixed point of the linearised dynamics.
package enum LinearStability: String, Sendable, Codable, CaseIterable {
    /// The Hessian factor is positive definite and no rate has the wrong sign.
    case localMinimum
    /// The Cholesky factor of the Hessian factor does not exist (LAPACK info > N): a saddle.
    case notPositiveDefinite
    /// The factorisation succeeded but a rate came out negative beyond the floor (growth).
    case positiveEigenvalue
}

/// The electron glass linearised with the direct (Coulomb) term of Eq. 22 (issue #11).
///
/// Around a mean-field equilibrium (E_i, n_i, mu), with D = diag(n_i (1 - n_i)), the
/// conductance Laplacian L (L_ij = -gamma0_ij for i != j, L_ii = sum_k gamma0_ik, gamma0 the
/// Miller-Abrahams equilibrium rates of ``MillerAbrahams``) and the Coulomb matrix
/// C_ij = e^2 / r_ij (C_ii = 0, minimum image), the occupations relax as
///
///     d(delta n)/dt = A delta n,    A = -L (D^-1 + C / T).
///
/// With C = 0 this is the matrix of the paper (Eq. 23), ``RateMatrixBuilder``'s. Its spectrum:
/// with G = D^-1/2 L D^-1/2 and B = I + K, K_ij = sqrt(D_i D_j) e^2 / (T r_ij),
/// D^-1/2 A D^1/2 = -G B, so the rates Gamma = -lambda are the eigenvalues of the
/// symmetric-definite problem G B x = Gamma x (LAPACK dsygvd, itype 2). B is T D^1/2 times
/// the Hessian of the mean-field free energy in n times D^1/2, so its Cholesky factor exists
/// exactly when the solution is a local minimum (without the particle-number constraint); a
/// failure is reported as ``LinearStability/notPositiveDefinite``, never kept as a spectrum.
///
/// The matrix handed to dsygvd is ``RateMatrixBuilder``'s scaled symmetric S = -G / c (log
/// space, no underflow), so the eigenvalues are -Gamma / c and ``RateSpectrum`` sorts out the
/// zero mode, the floor and any positive eigenvalue exactly as for the paper's spectrum.
package struct EGLinearization: Sendable {
    /// ln gamma0 and ln D.
    package let rates: LogRates
    package let box: PeriodicBox
    /// e^2 in the direct term (0 gives back the paper's matrix).
    package let directCoupling: Double
    package let temperature: Double

    package init(rates: LogRates, box: PeriodicBox, directCoupling: Double, temperature: Double) {
        precondition(rates.count == box.count)
        self.rates = rates
        self.box = box
        self.directCoupling = directCoupling
        self.temperature = temperature
    }

    /// The linearisation of a solved realization; `includeDirectTerm: false` sets e^2 = 0 in
    /// the direct term only (the equilibrium itself keeps its Coulomb energies).
    package init(system: EGSystem, solution: EGMeanField.Solution, includeDirectTerm: Bool = true) {
        let p = system.parameters
        let ma = MillerAbrahams(box: system.box, energies: solution.energies,
                                chemicalPotential: solution.chemicalPotential,
                                temperature: p.temperature, localizationLength: p.localizationLength)
        self.init(rates: ma.logRates, box: system.box,
                  directCoupling: includeDirectTerm ? p.chargeSquared : 0, temperature: p.temperature)
    }

    package var count: Int { rates.count }

    /// B = I + K, K_ij = sqrt(D_i D_j) e^2 / (T r_ij), both triangles written.
    package func directTermMatrix() -> ColumnMajorMatrix {
        let n = count
        let b = ColumnMajorMatrix(count: n)
        let lnD = rates.logWeights
        let scale = directCoupling / temperature
        for j in 0..<n {
            b[j, j] = 1
            for i in (j + 1)..<Swift.max(j + 1, n) {
                let k = scale == 0 ? 0 : Foundation.exp(0.5 * (lnD[i] + lnD[j])) * scale / box.distance(i, j)
                b[i, j] = k
                b[j, i] = k
            }
        }
        return b
    }

    /// The explicit non-symmetric A / c (c = exp(logScale), ``RateMatrixBuilder``'s scale):
    /// A = A0 - L C / T with A0 = -L D^-1 the paper's matrix, every element written (for dgeev
    /// and for checks). Columns sum to zero because 1^T L = 0.
    package func explicitRateMatrix(threads: Int = 1) -> (matrix: ColumnMajorMatrix, logScale: Double) {
        let n = count
        let (a, logScale) = RateMatrixBuilder.build(rates, form: .general, threads: threads)
        guard directCoupling != 0 else { return (a, logScale) }
        // L / c and C / T.
        let l = ColumnMajorMatrix(count: n), c = ColumnMajorMatrix(count: n)
        for j in 0..<n { l[j, j] = 0; c[j, j] = 0 }
        for j in 0..<n {
            for i in (j + 1)..<Swift.max(j + 1, n) {
                let g = Foundation.exp(rates.logCoupling(i, j) - logScale)
                l[i, j] = -g; l[j, i] = -g
                l[i, i] += g; l[j, j] += g
                let cij = directCoupling / (temperature * box.distance(i, j))
                c[i, j] = cij; c[j, i] = cij
            }
        }
        LinearAlgebra.multiply(l, c, into: a, alpha: -1, beta: 1)
        return (a, logScale)
    }

    /// The generalized problem solved, with eigenvectors if asked.
    struct Solved {
        var stability: LinearStability
        var spectrum: RateSpectrum?
        /// Scaled eigenvalues -Gamma / c (ascending) and ln c.
        var scaled: [Double]
        var logScale: Double
        /// Eigenvectors x (Z^T B Z = I) when computed.
        var x: ColumnMajorMatrix?
        /// B (intact) when eigenvectors were computed.
        var b: ColumnMajorMatrix?
    }

    func solve(vectors: Bool, threads: Int) throws -> Solved {
        let (s, logScale) = RateMatrixBuilder.build(rates, form: .symmetric, threads: threads)
        let b = directTermMatrix()
        let keep = vectors ? ColumnMajorMatrix(copying: b) : nil
        switch try LinearAlgebra.generalized(itype: 2, s, b, vectors: vectors) {
        case .notPositiveDefinite:
            return Solved(stability: .notPositiveDefinite, spectrum: nil, scaled: [], logScale: logScale, x: nil, b: nil)
        case .solved(let w):
            let spectrum = RateSpectrum(scaledEigenvalues: w, logScale: logScale, routine: .dsyevd)
            return Solved(stability: spectrum.positive > 0 ? .positiveEigenvalue : .localMinimum,
                          spectrum: spectrum, scaled: w, logScale: logScale, x: vectors ? s : nil, b: keep)
        }
    }

    /// The rates of A with the direct term: LAPACK dsygvd (itype 2) on (S, B), sorted out by
    /// ``RateSpectrum``. `spectrum` is nil when B has no Cholesky factor (a saddle); a
    /// positive eigenvalue sets ``LinearStability/positiveEigenvalue`` (the spectrum is kept
    /// for inspection, its `positive` count says how many). (The ``RateSpectrum`` routine is
    /// labelled dsyevd: dsygvd runs dsyevd on the Cholesky-transformed matrix.)
    package func spectrum(threads: Int = 1) throws -> (stability: LinearStability, spectrum: RateSpectrum?) {
        let s = try solve(vectors: false, threads: threads)
        return (s.stability, s.spectrum)
    }

    /// Relaxation modes (``RelaxationMode``) of the resolvable rates, slowest first, and the
    /// aging weights of each for the site-potential perturbation `potential` (delta phi_i),
    /// nil for a saddle.
    ///
    /// Symmetric representation: z_k = B^1/2 x_k, the orthonormal eigenvectors of the
    /// symmetric B^1/2 G B^1/2 (B^1/2 the symmetric square root, from dsyevd of B), which is
    /// independent of the site order and is today's symmetric eigenvector at e^2 = 0. The
    /// physical occupation pattern of the mode is D^1/2 x_k.
    ///
    /// Weight (docs/linear-dynamics.md): the energy response O = -sum_i delta phi_i delta n_i
    /// to delta phi switched on for t_w and off for t is sum_k w_k (1 - e^{-Gamma_k t_w})
    /// e^{-Gamma_k t} with w_k = (x_k . D^1/2 delta phi)^2 / T = (z_k . B^-1/2 D^1/2 delta phi)^2 / T.
    package func modes(potential: [Double]? = nil, threads: Int = 1) throws -> (stability: LinearStability, modes: [RelaxationMode])? {
        let s = try solveWithModes(potential: potential, threads: threads)
        guard let modes = s.modes else { return nil }
        return (s.stability, modes)
    }

    /// One dsygvd solve with eigenvectors: the stability, the spectrum (nil for a saddle) and
    /// the modes of ``modes(potential:threads:)`` (nil for a saddle).
    package func solveWithModes(potential: [Double]? = nil, threads: Int = 1) throws
        -> (stability: LinearStability, spectrum: RateSpectrum?, modes: [RelaxationMode]?)
    {
        let n = count
        let s = try solve(vectors: true, threads: threads)
        guard let spectrum = s.spectrum, let x = s.x, let b = s.b else { return (s.stability, nil, nil) }
        // B^1/2 = Q diag(sqrt w) Q^T; with no direct term B = I and z = x.
        let z: ColumnMajorMatrix
        if directCoupling == 0 {
            z = x
        } else {
            let q = ColumnMajorMatrix(copying: b)
            let w = try LinearAlgebra.symmetricEigen(q, vectors: true)
            let qs = ColumnMajorMatrix(copying: q)
            for k in 0..<n {
                let r = w[k] > 0 ? w[k].squareRoot() : 0
                for i in 0..<n { qs[i, k] *= r }
            }
            let half = ColumnMajorMatrix(count: n)
            cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(n), Int32(n), 1,
                        qs.baseAddress, Int32(n), q.baseAddress, Int32(n), 0, half.baseAddress, Int32(n))
            z = ColumnMajorMatrix(count: n)
            LinearAlgebra.multiply(half, x, into: z)
        }
        let lnD = rates.logWeights
        let p: [Double]? = potential.map { phi in
            (0..<n).map { Foundation.exp(0.5 * lnD[$0]) * phi[$0] / temperature.squareRoot() }
        }
        let floorScaled = Double(n) * Double.ulpOfOne * s.scaled.reduce(0) { Swift.max($0, abs($1)) }
        var out = [RelaxationMode]()
        for k in 0..<n {
            let l = s.scaled[k]
            guard l < -floorScaled else { continue }
            let rate = Foundation.exp(Foundation.log(-l) + s.logScale)
            let v = (0..<n).map { z[$0, k] }
            var weight: Double? = nil
            if let p {
                var dot = 0.0
                for i in 0..<n { dot += x[i, k] * p[i] }
                weight = dot * dot
            }
            out.append(RelaxationMode(rate: rate, vector: v, box: box, weight: weight))
        }
        out.sort { $0.lnRate < $1.lnRate }
        return (s.stability, spectrum, out)
    }
}
