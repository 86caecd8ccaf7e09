import Foundation
import Testing
import GlassDynamics

/// ``AccurateSlowModes``: every rate, down to the slowest mode, against a high-precision
/// reference, against dsyevd where dsyevd is accurate, the exact exclusion of the conservation
/// mode, and the N = 2 closed form.
///
/// The reference (test target only) is double-double arithmetic (106-bit significand,
/// eps_dd = 2^-104 = 4.9e-32): Householder tridiagonalisation of M = D^-1/2 L D^-1/2 and
/// Sturm-count bisection, each eigenvalue with an absolute error of order N eps_dd ||M||,
/// 1e16 times smaller than dsyevd's. The matrix is defined from doubles exactly as a
/// reversible chain: m_ij = fl(exp(ln G_ij - (ln D_i + ln D_j)/2 - ln c)) and
/// w_i = fl(exp((ln D_i - max ln D)/2)), with M_ij = -m_ij and the diagonal
/// M_jj = sum_i m_ij w_i / w_j formed in double-double, so its zero mode is exact to
/// double-double rounding. (Why not mpmath in a subprocess: 2 minutes for one N = 200 matrix
/// at 128 bits, and a Python dependency for `swift test`; the double-double reference was
/// checked once against mpmath at 256 bits, docs/slow-modes.md.) Its own absolute error is
/// estimated from its computed zero mode as 100 |lambda_0| (the mpmath check found 30); a mode
/// is compared only where that error is below 1e-3 of the stated bound, and the tests require
/// every mode, each below-floor one included, to be compared.
@Suite struct AccurateSlowModesTests {
    /// A solved realization (`--box poisson`, W = J = 1, xi = 0.1).
    static func logRates(n: Int, t: Double, seed: UInt64, realization: Int = 0) -> LogRates {
        var p = EGParameters()
        p.sites = n
        p.temperature = t
        p.box = .poisson
        let system = EGSystem(parameters: p, seed: seed, realization: realization)
        let solution = EGMeanField.solve(system, couplings: system.denseCouplings(threads: 2))
        #expect(solution.report.converged)
        return MillerAbrahams(box: system.box, energies: solution.energies,
                              chemicalPotential: solution.chemicalPotential,
                              temperature: t, localizationLength: p.localizationLength).logRates
    }

    /// Today's method: dsyevd and RateSpectrum's floor.
    static func dsyevd(_ rates: LogRates) throws -> RateSpectrum {
        let (matrix, logScale) = RateMatrixBuilder.build(rates, form: .symmetric, threads: 2)
        return RateSpectrum(scaledEigenvalues: try Eigenvalues.symmetric(matrix), logScale: logScale, routine: .dsyevd)
    }

    /// The reference rates (all N - 1, ascending, conservation mode removed) in units of
    /// Gamma0, and the reference's absolute error estimate in the same units.
    static func reference(_ rates: LogRates) -> (rates: [Double], absoluteError: Double) {
        let n = rates.count
        let lnD = rates.logWeights
        // ln c as in the builder: max_(i != j) ln G_ij - min(ln D_i, ln D_j).
        var lnc = -Double.infinity
        for j in 0..<n { for i in (j + 1)..<n { lnc = max(lnc, rates.logCoupling(i, j) - min(lnD[i], lnD[j])) } }
        let lnDmax = lnD.max()!
        let w = lnD.map { exp(0.5 * ($0 - lnDmax)) }
        var m = [DD](repeating: DD(0), count: n * n)
        for j in 0..<n {
            for i in (j + 1)..<n {
                let x = exp(rates.logCoupling(i, j) - 0.5 * (lnD[i] + lnD[j]) - lnc)
                m[i + j * n] = DD(-x)
                m[j + i * n] = DD(-x)
            }
        }
        for j in 0..<n {
            var s = DD(0)
            for i in 0..<n where i != j { s = s + DD(-m[i + j * n].hi) * DD(w[i]) / DD(w[j]) }
            m[j + j * n] = s
        }
        if let dir = ProcessInfo.processInfo.environment["ACCURATE_SLOW_MODES_DUMP"] {
            // For the one-off check of this reference against mpmath (docs/slow-modes.md):
            // the exact doubles m_ij (lower triangle), w_i and ln c.
            var text = "\(n) \(lnc)\n" + w.map { "\($0)" }.joined(separator: " ") + "\n"
            for j in 0..<n { for i in (j + 1)..<n { text += "\(-m[i + j * n].hi) " } }
            try? text.write(toFile: "\(dir)/matrix-\(n).txt", atomically: true, encoding: .utf8)
        }
        let (d, e) = DDReference.tridiagonalize(&m, n: n)
        var lambda = DDReference.bisectAll(d: d, e: e)
        lambda.sort()
        // The computed zero mode measures the reference's absolute error; against mpmath at
        // 256 bits (N = 250) the largest absolute error, on the slowest mode, was 30 times
        // |lambda_0|: the estimate is 100 |lambda_0|.
        let zero = abs(lambda[0])
        let c = exp(lnc)
        return (Array(lambda.dropFirst()).map { $0 * c }, 100 * max(zero, 1e-300) * c)
    }

    /// Realizations with modes below dsyevd's floor: every mode against the reference.
    @Test(arguments: [(300, 0.05, UInt64(11)), (250, 0.03, UInt64(5))])
    func everySlowModeMatchesTheReference(n: Int, t: Double, seed: UInt64) throws {
        let rates = Self.logRates(n: n, t: t, seed: seed)
        let old = try Self.dsyevd(rates)
        let clock = ContinuousClock.now
        let result = try AccurateSlowModes.rates(rates, threads: 2)
        let elapsed = ContinuousClock.now - clock
        let ref = Self.reference(rates)
        #expect(result.unresolved == 0)
        #expect(result.rates.count == n - 1)
        #expect(old.belowFloor > 0)   // a case today's method cannot do
        var worst = 0.0, worstOld = 0.0, compared = 0
        for (k, g) in ref.rates.enumerated() {
            guard ref.absoluteError < 1e-3 * result.relativeErrorBound * g else { continue }
            compared += 1
            worst = max(worst, abs(result.rates[k] - g) / g)
        }
        // dsyevd's error on the modes it kept (the lowest ones it kept are the worst).
        let dropped = ref.rates.count - old.rates.count
        for (k, g) in old.rates.enumerated() { worstOld = max(worstOld, abs(g - ref.rates[k + dropped]) / ref.rates[k + dropped]) }
        print("AccurateSlowModes N=\(n) T=\(t) seed=\(seed): below floor \(old.belowFloor), ln Gamma_min ref \(log(ref.rates[0])), accurate \(log(result.rates[0])); compared \(compared) of \(n - 1); worst rel error \(worst), bound \(result.relativeErrorBound), SCONDA \(result.conditionEstimate); dsyevd worst on kept modes \(worstOld); ref abs error \(ref.absoluteError); time \(elapsed)")
        if let dir = ProcessInfo.processInfo.environment["ACCURATE_SLOW_MODES_DUMP"] {
            let text = ref.rates.map { "\($0)" }.joined(separator: " ") + "\n" + result.rates.map { "\($0)" }.joined(separator: " ") + "\n"
            try? text.write(toFile: "\(dir)/rates-\(n).txt", atomically: true, encoding: .utf8)
        }
        // Every mode is compared, including every one below dsyevd's floor.
        #expect(compared == n - 1)
        #expect(worst <= result.relativeErrorBound)
        #expect(result.relativeErrorBound < 1e-8)
    }

    /// A well-conditioned case (T = 1, xi = 0.5: every rate within a few decades of the
    /// fastest): the same rates as dsyevd to 1e-10 relative.
    @Test func equalsDsyevdWhenWellConditioned() throws {
        var p = EGParameters()
        p.sites = 200
        p.temperature = 1
        p.localizationLength = 0.5
        p.box = .poisson
        let system = EGSystem(parameters: p, seed: 7, realization: 0)
        let solution = EGMeanField.solve(system, couplings: system.denseCouplings(threads: 2))
        let rates = MillerAbrahams(box: system.box, energies: solution.energies,
                                   chemicalPotential: solution.chemicalPotential,
                                   temperature: 1, localizationLength: 0.5).logRates
        let old = try Self.dsyevd(rates)
        let new = try AccurateSlowModes.rates(rates)
        #expect(old.belowFloor == 0 && old.rates.count == 199)
        #expect(new.rates.count == 199 && new.unresolved == 0)
        #expect(old.rates.first! > 1e-6 * old.rates.last!)
        var worst = 0.0
        for k in 0..<199 { worst = max(worst, abs(new.rates[k] - old.rates[k]) / old.rates[k]) }
        #expect(worst < 1e-10)
    }

    /// The bare Appendix A matrix (D = 1, G_ij = exp(-r_ij / xi)): every mode against the
    /// reference.
    @Test func bareAppendixAMatchesTheReference() throws {
        var p = EGParameters()
        p.sites = 200
        p.box = .poisson
        let system = EGSystem(parameters: p, seed: 4, realization: 0)
        let rates = LogRates.bare(box: system.box, localizationLength: 0.1)
        let result = try AccurateSlowModes.rates(rates)
        let ref = Self.reference(rates)
        #expect(result.rates.count == 199 && result.unresolved == 0)
        var worst = 0.0
        for (k, g) in ref.rates.enumerated() {
            #expect(ref.absoluteError < 1e-3 * result.relativeErrorBound * g)
            worst = max(worst, abs(result.rates[k] - g) / g)
        }
        print("AccurateSlowModes bare N=200: worst rel error \(worst), bound \(result.relativeErrorBound), below dsyevd floor \(try Self.dsyevd(rates).belowFloor)")
        #expect(worst <= result.relativeErrorBound)
    }

    /// The conservation mode is removed by the factorization itself: N - 1 columns, and the
    /// same count and values whatever the thread split.
    @Test func zeroModeIsExcludedExactly() throws {
        // N = 250: the first 58 steps take the threaded path (trailing block >= 192).
        let rates = Self.logRates(n: 250, t: 0.1, seed: 2)
        let one = try AccurateSlowModes.rates(rates, threads: 1)
        let two = try AccurateSlowModes.rates(rates, threads: 3)
        #expect(one.rates.count == 249 && one.unresolved == 0 && one.eliminationSteps == 249)
        #expect(one.rates == two.rates)
        #expect(one.rates.allSatisfy { $0 > 0 })
        // The factor: the elimination leaves exactly one column sum, and it is exactly 0.
        let (matrix, _) = RateMatrixBuilder.build(rates, form: .general)
        let f = AccurateSlowModes.eliminate(matrix)
        #expect(f.steps == 249 && f.remainingTrace == 0)
        #expect(Set(f.permutation) == Set(0..<250))
    }

    /// The blocked elimination (panels of 32, DGEMM) and the rank-1 one give the same rates
    /// to rounding, on a realization with modes below dsyevd's floor; so do narrow panels.
    @Test func blockedEqualsRankOne() throws {
        let rates = Self.logRates(n: 300, t: 0.05, seed: 11)
        func run(_ block: Int) throws -> AccurateSlowModes.Result {
            let (m, ln) = RateMatrixBuilder.build(rates, form: .general)
            return try AccurateSlowModes.rates(columnForm: m, logScale: ln, threads: 2, block: block)
        }
        let plain = try run(1)
        for block in [2, 7, 32, 64] {
            let r = try run(block)
            #expect(r.rates.count == 299 && r.unresolved == 0)
            var worst = 0.0
            for k in 0..<299 { worst = max(worst, abs(r.rates[k] - plain.rates[k]) / plain.rates[k]) }
            #expect(worst < 1e-13, "block \(block): \(worst)")
        }
    }

    /// N = 2: A = [[-g/D0, g/D1], [g/D0, -g/D1]], eigenvalues 0 and -g (1/D0 + 1/D1).
    @Test func twoSitesAnalytic() throws {
        for (lnG, lnD0, lnD1) in [(-30.0, -2.0, -5.0), (-300.0, -1.5, -80.0), (0.0, 0.0, 0.0)] {
            let rates = LogRates(count: 2, logWeights: [lnD0, lnD1]) { _, _ in lnG }
            let r = try AccurateSlowModes.rates(rates)
            #expect(r.rates.count == 1 && r.unresolved == 0)
            let exact = exp(lnG - lnD0) + exp(lnG - lnD1)
            #expect(abs(r.rates[0] / exact - 1) < 1e-14)
        }
    }

    /// Underflowing couplings: two clusters whose only couplings are exp(-800) of the others
    /// cannot be resolved in double; the mode is counted, not returned, and bounded.
    @Test func underflowIsCountedAndBounded() throws {
        // Sites 0,1 and 2,3 strongly coupled; the clusters coupled at e^-800 (zero in double).
        let rates = LogRates(count: 4, logWeights: [0, 0, 0, 0]) { i, j in
            (i / 2 == j / 2) ? 0 : -800
        }
        let r = try AccurateSlowModes.rates(rates)
        #expect(r.rates.count == 2)
        #expect(r.unresolved == 1)
        #expect(r.unresolvedBound < 1e-280)
        for g in r.rates { #expect(abs(g - 2) < 1e-14) }
        // An isolated site (every coupling below the double range): its mode is unresolved.
        let isolated = LogRates(count: 5, logWeights: [0, -1, -2, -3, -4]) { i, j in
            (i == 4 || j == 4) ? -900 : -Double(i + j)
        }
        let q = try AccurateSlowModes.rates(isolated)
        #expect(q.rates.count == 3 && q.unresolved == 1)
        #expect(q.unresolvedBound > 0 && q.unresolvedBound < 1e-290)
    }
}

/// The measurement of docs/slow-modes.md (not a check; runs only with
/// ACCURATE_SLOW_MODES_MEASURE="T1,T2,...:realizations:N[:threads]" set): per temperature,
/// `--box poisson`, xi = 0.1, seed 1 (the CLI's default), the dsyevd rates with today's floor
/// against the accurate rates: ln Gamma_min by the plateau rule (DistributionAnalysis, each
/// set on its own range, and both on the same range), the smallest-rate quantiles, the modes
/// dsyevd drops, and the cost of each method.
@Suite struct AccurateSlowModesMeasurement {
    @Test func measure() throws {
        guard let spec = ProcessInfo.processInfo.environment["ACCURATE_SLOW_MODES_MEASURE"] else { return }
        let parts = spec.split(separator: ":").map(String.init)
        let temperatures = parts[0].split(separator: ",").map { Double($0)! }
        let realizations = parts.count > 1 ? Int(parts[1])! : 4
        let n = parts.count > 2 ? Int(parts[2])! : 1000
        let threads = parts.count > 3 ? Int(parts[3])! : 1
        BLASThreads.set(1)
        for t in temperatures {
            var p = EGParameters()
            p.sites = n
            p.temperature = t
            p.box = .poisson
            var old = [RealizationOutcome](), new = [RealizationOutcome]()
            var dropped = 0, unresolved = 0, notConverged = 0
            var tOld = 0.0, tNew = 0.0, tElim = 0.0, tSVD = 0.0, worstBound = 0.0, worstCond = 0.0
            var worstAgreement = 0.0   // max rel diff on modes dsyevd resolves to 1e-6 by its own bound
            for r in 0..<realizations {
                let system = EGSystem(parameters: p, seed: 1, realization: r)
                let solution = EGMeanField.solve(system, couplings: system.denseCouplings(threads: 2))
                if !solution.report.converged { notConverged += 1; continue }
                let rates = MillerAbrahams(box: system.box, energies: solution.energies,
                                           chemicalPotential: solution.chemicalPotential,
                                           temperature: t, localizationLength: p.localizationLength).logRates
                let (sym, lnS) = RateMatrixBuilder.build(rates, form: .symmetric, threads: threads)
                var c0 = ContinuousClock.now
                let spectrum = RateSpectrum(scaledEigenvalues: try Eigenvalues.symmetric(sym), logScale: lnS, routine: .dsyevd)
                tOld += (ContinuousClock.now - c0).seconds
                let (gen, lnG) = RateMatrixBuilder.build(rates, form: .general, threads: threads)
                c0 = ContinuousClock.now
                let accurate = try AccurateSlowModes.rates(columnForm: gen, logScale: lnG, threads: threads)
                tNew += (ContinuousClock.now - c0).seconds
                tElim += accurate.timings.elimination
                tSVD += accurate.timings.singularValues
                dropped += spectrum.belowFloor
                unresolved += accurate.unresolved
                worstBound = max(worstBound, accurate.relativeErrorBound)
                worstCond = max(worstCond, accurate.conditionEstimate)
                let e = solution.energies.map { $0 - solution.chemicalPotential }
                old.append(RealizationOutcome(index: r, energies: e, rates: spectrum.rates, solver: solution.report, timings: []))
                new.append(RealizationOutcome(index: r, energies: e, rates: accurate.rates, solver: solution.report, timings: []))
                let k0 = accurate.rates.count - spectrum.rates.count
                for (k, g) in spectrum.rates.enumerated() where g > 1e6 * spectrum.floor {
                    worstAgreement = max(worstAgreement, abs(g - accurate.rates[k + k0]) / accurate.rates[k + k0])
                }
            }
            let a = DistributionAnalysis(outcomes: old, seed: 1), b = DistributionAnalysis(outcomes: new, seed: 1)
            let lnOld = old.flatMap { $0.rates }.map { log($0) }.sorted()
            let lnNew = new.flatMap { $0.rates }.map { log($0) }.sorted()
            func q(_ x: [Double], _ f: Double) -> Double { x[min(x.count - 1, Int(f * Double(x.count)))] }
            var hOld = Histogram(lower: lnNew.first! - 1e-9, upper: lnNew.last! + 1e-9, bins: 100)
            var hNew = hOld
            for x in lnOld { hOld.add(x) }
            for x in lnNew { hNew.add(x) }
            let cOld = PlateauCutoffs(histogram: hOld), cNew = PlateauCutoffs(histogram: hNew)
            func f(_ x: Double?) -> String { x.map { String(format: "%.3f", $0) } ?? "-" }
            print("""
            MEASURE N=\(n) T=\(t) realizations=\(old.count) (not converged \(notConverged)) threads=\(threads)
              dsyevd: modes dropped below floor \(dropped) of \(old.count * (n - 1)); accurate: unresolved \(unresolved)
              ln Gamma_min plateau (own range): dsyevd \(f(a.cutoffs?.lnGammaMin)) +- \(f(a.lnGammaMinError)), accurate \(f(b.cutoffs?.lnGammaMin)) +- \(f(b.lnGammaMinError))
              ln Gamma_min plateau (common range): dsyevd \(f(cOld?.lnGammaMin)), accurate \(f(cNew?.lnGammaMin)); ln Gamma_max \(f(cOld?.lnGammaMax)) / \(f(cNew?.lnGammaMax))
              ln Gamma quantiles min/0.1%/1%/5%: dsyevd \(f(lnOld.first)) \(f(q(lnOld, 0.001))) \(f(q(lnOld, 0.01))) \(f(q(lnOld, 0.05))); accurate \(f(lnNew.first)) \(f(q(lnNew, 0.001))) \(f(q(lnNew, 0.01))) \(f(q(lnNew, 0.05)))
              max relative bound \(worstBound), max SCONDA \(worstCond); max rel diff vs dsyevd on its modes above 1e6 floor \(worstAgreement)
              time per realization: dsyevd \(String(format: "%.3f", tOld / Double(old.count))) s, accurate \(String(format: "%.3f", tNew / Double(old.count))) s (ratio \(String(format: "%.2f", tNew / tOld))): elimination \(String(format: "%.3f", tElim / Double(old.count))) s, dgejsv \(String(format: "%.3f", tSVD / Double(old.count))) s
            """)
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}

// MARK: - Double-double reference (test target only)

/// A double-double number hi + lo (|lo| <= ulp(hi) / 2): 106-bit significand.
struct DD {
    var hi: Double, lo: Double
    init(_ x: Double) { hi = x; lo = 0 }
    init(hi: Double, lo: Double) { self.hi = hi; self.lo = lo }

    static func twoSum(_ a: Double, _ b: Double) -> DD {
        let s = a + b, bb = s - a
        return DD(hi: s, lo: (a - (s - bb)) + (b - bb))
    }
    static func quick(_ a: Double, _ b: Double) -> DD {
        let s = a + b
        return DD(hi: s, lo: b - (s - a))
    }
    static func + (a: DD, b: DD) -> DD {
        var s = twoSum(a.hi, b.hi)
        let t = twoSum(a.lo, b.lo)
        s.lo += t.hi
        s = quick(s.hi, s.lo)
        s.lo += t.lo
        return quick(s.hi, s.lo)
    }
    static prefix func - (a: DD) -> DD { DD(hi: -a.hi, lo: -a.lo) }
    static func - (a: DD, b: DD) -> DD { a + (-b) }
    static func * (a: DD, b: DD) -> DD {
        let p = a.hi * b.hi
        let e = (-p).addingProduct(a.hi, b.hi)   // exact error of the product (FMA)
        return quick(p, e + (a.hi * b.lo + a.lo * b.hi))
    }
    static func / (a: DD, b: DD) -> DD {
        let q1 = a.hi / b.hi
        var r = a - b * DD(q1)
        let q2 = r.hi / b.hi
        r = r - b * DD(q2)
        let q3 = r.hi / b.hi
        return quick(q1, q2) + DD(q3)
    }
    func squareRoot() -> DD {
        if hi <= 0 { return DD(0) }
        let x = hi.squareRoot()
        let r = self - DD(x) * DD(x)
        return DD.quick(x, r.hi / (2 * x))
    }
}

enum DDReference {
    /// Householder reduction of the symmetric n x n `a` (full storage, column-major) to
    /// tridiagonal form: diagonal d, off-diagonal e. Destroys `a`.
    static func tridiagonalize(_ a: inout [DD], n: Int) -> (d: [DD], e: [DD]) {
        var d = [DD](repeating: DD(0), count: n)
        var e = [DD](repeating: DD(0), count: max(0, n - 1))
        var v = [DD](repeating: DD(0), count: n)
        var p = [DD](repeating: DD(0), count: n)
        for k in 0..<max(0, n - 2) {
            // x = a[k+1..., k]
            var norm2 = DD(0)
            for i in (k + 1)..<n { norm2 = norm2 + a[i + k * n] * a[i + k * n] }
            let norm = norm2.squareRoot()
            let x0 = a[k + 1 + k * n]
            d[k] = a[k + k * n]
            if norm.hi == 0 { e[k] = DD(0); continue }
            let alpha = x0.hi >= 0 ? -norm : norm
            for i in (k + 1)..<n { v[i] = a[i + k * n] }
            v[k + 1] = v[k + 1] - alpha
            // beta = 2 / v^T v; v^T v = 2 norm^2 - 2 alpha x0
            var vtv = DD(0)
            for i in (k + 1)..<n { vtv = vtv + v[i] * v[i] }
            if vtv.hi == 0 { e[k] = x0; continue }
            let beta = DD(2) / vtv
            // p = beta A v (trailing block)
            for i in (k + 1)..<n { p[i] = DD(0) }
            for j in (k + 1)..<n {
                let vj = v[j]
                if vj.hi == 0 { continue }
                for i in (k + 1)..<n { p[i] = p[i] + a[i + j * n] * vj }
            }
            var vtp = DD(0)
            for i in (k + 1)..<n { p[i] = beta * p[i]; vtp = vtp + v[i] * p[i] }
            let kk = DD(0.5) * beta * vtp
            for i in (k + 1)..<n { p[i] = p[i] - kk * v[i] }   // w
            for j in (k + 1)..<n {
                let vj = v[j], wj = p[j]
                for i in (k + 1)..<n { a[i + j * n] = a[i + j * n] - v[i] * wj - p[i] * vj }
            }
            e[k] = alpha
        }
        if n >= 2 {
            d[n - 2] = a[(n - 2) + (n - 2) * n]
            e[n - 2] = a[(n - 1) + (n - 2) * n]
        }
        d[n - 1] = a[(n - 1) + (n - 1) * n]
        return (d, e)
    }

    /// Number of eigenvalues below x (Sturm sequence in double-double).
    static func count(d: [DD], e2: [DD], below x: Double) -> Int {
        var c = 0
        var q = DD(0)
        let tiny = DD(1e-300)
        for i in 0..<d.count {
            q = i == 0 ? d[0] - DD(x) : d[i] - DD(x) - e2[i - 1] / q
            if q.hi == 0 { q = -tiny }
            if q.hi < 0 { c += 1 }
        }
        return c
    }

    /// Every eigenvalue by bisection to about 2 ulps, geometric for positive brackets.
    static func bisectAll(d: [DD], e: [DD]) -> [Double] {
        let n = d.count
        let e2 = e.map { $0 * $0 }
        var bound = 0.0
        for i in 0..<n {
            var r = abs(d[i].hi)
            if i > 0 { r += abs(e[i - 1].hi) }
            if i < n - 1 { r += abs(e[i].hi) }
            bound = max(bound, r)
        }
        bound *= 1.01
        var out = [Double]()
        for idx in 0..<n {
            var lo = -bound, hi = bound
            for _ in 0..<400 {
                let mid: Double
                if lo > 0 && hi > 2 * lo { mid = lo.squareRoot() * hi.squareRoot() }
                else if lo <= 0 && hi > 1e-280 && hi > -lo { mid = lo < -hi ? 0.5 * (lo + hi) : hi * 0.00390625 }
                else { mid = 0.5 * (lo + hi) }
                if !(mid > lo && mid < hi) { break }
                if count(d: d, e2: e2, below: mid) > idx { hi = mid } else { lo = mid }
                if hi - lo <= 2 * hi.ulp { break }
            }
            out.append(0.5 * (lo + hi))
        }
        return out
    }
}
