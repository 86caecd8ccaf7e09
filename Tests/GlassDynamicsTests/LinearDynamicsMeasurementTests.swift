import Foundation
import Testing
import GlassDynamics

/// Measurements for the report of issue #11 (not assertions of correctness): run with
/// GLASSDYN_LINEAR_MEASURE=1 (N = 1000 studies), GLASSDYN_LINEAR_MEASURE=1e4 (the N = 1e4
/// dense dsyevd timing) or GLASSDYN_LINEAR_MEASURE=diag (TLS rates by every route, index by
/// index), e.g.
/// `GLASSDYN_LINEAR_MEASURE=1 swift test -c release --filter LinearDynamicsMeasurement`.
@Suite(.serialized) struct LinearDynamicsMeasurementTests {
    static let mode = ProcessInfo.processInfo.environment["GLASSDYN_LINEAR_MEASURE"]
    /// Realizations of the N = 1000 studies (GLASSDYN_LINEAR_REALIZATIONS, default 20).
    static let realizations = Int(ProcessInfo.processInfo.environment["GLASSDYN_LINEAR_REALIZATIONS"] ?? "") ?? 20

    static func json<T: Encodable>(_ x: T) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try! e.encode(x), as: UTF8.self)
    }

    @Test(.enabled(if: mode == "diag")) func diagnoseTLSRoutes() throws {
        for n in [30, 300] {
            var p = TLSParameters()
            p.sites = n; p.temperature = 0.1
            let system = TLSSystem(parameters: p, seed: 7, realization: 0)
            let (d, _) = TLSMeanField.solve(system, couplings: system.denseCouplings(threads: 2))
            let lin = TLSLinearization(system: system, equilibrium: d)
            let g = try lin.spectrum(method: .graded), s = try lin.spectrum(method: .symmetric)
            let (re, _) = try Eigenvalues.general(lin.explicitRateMatrix())
            let ge = re.map { -$0 }.sorted()
            let inv = try LinearAlgebra.inverse(lin.explicitRateMatrix())!
            let (ri, _) = try Eigenvalues.general(inv)
            let gi = ri.map { -1 / $0 }.sorted()
            print("N=\(n) splice \(g.splice) disagreement \(g.routeDisagreement)")
            for k in Array(0..<min(n, 8)) + Array(stride(from: 8, to: n, by: max(1, n / 15))) {
                print(String(format: "%4d diag %.6e graded %.9e  sym/g-1 %.2e  geev(A)/g-1 %.2e  geev(A^-1)/g-1 %.2e", k,
                             g.diagonalRates[k], g.rates[k], s.rates.count == n ? s.rates[k] / g.rates[k] - 1 : .nan,
                             ge[k] / g.rates[k] - 1, gi[k] / g.rates[k] - 1))
            }
        }
    }

    /// N = 1000 cross-checks against dgeev (GLASSDYN_LINEAR_MEASURE=check).
    @Test(.enabled(if: mode == "check")) func dgeevAtFullSize() throws {
        var p = EGParameters()
        p.sites = 1000; p.temperature = 0.1; p.localizationLength = 0.1
        let system = EGSystem(parameters: p, seed: 1, realization: 0)
        let solution = EGMeanField.solve(system, couplings: system.denseCouplings(threads: 2))
        let lin = EGLinearization(system: system, solution: solution)
        let s = try #require(try lin.spectrum(threads: 2).spectrum)
        let (a, logScale) = lin.explicitRateMatrix(threads: 2)
        var worstColumn = 0.0
        for j in 0..<1000 {
            var sum = 0.0, abssum = 0.0
            for i in 0..<1000 { sum += a[i, j]; abssum += abs(a[i, j]) }
            worstColumn = max(worstColumn, abs(sum) / abssum)
        }
        let (re, im) = try Eigenvalues.general(a)
        let g = RateSpectrum(scaledEigenvalues: re, imaginary: im, logScale: logScale, routine: .dgeev)
        var byDecade = [Int: Double]()
        for k in 0..<min(g.rates.count, s.rates.count) {
            let dec = Int((log10(s.rates[k] / s.largestRate)).rounded(.down))
            byDecade[dec] = max(byDecade[dec] ?? 0, abs(g.rates[k] / s.rates[k] - 1))
        }
        print("EG N=1000 dsygvd: \(s.rates.count) rates, zero \(s.zeroEigenvalues), below floor \(s.belowFloor), positive \(s.positive); dgeev: \(g.rates.count) rates, zero \(g.zeroEigenvalues), below floor \(g.belowFloor), positive \(g.positive), max|Im|/max|lambda| \(g.largestImaginaryPart); column sums \(worstColumn)")
        for d in byDecade.keys.sorted() { print(String(format: "  Gamma/Gmax in 1e%d: max rel diff %.2e", d, byDecade[d]!)) }

        var q = TLSParameters()
        q.sites = 1000; q.temperature = 0.1
        let tsys = TLSSystem(parameters: q, seed: 1, realization: 0)
        let (d, _) = TLSMeanField.solve(tsys, couplings: tsys.denseCouplings(threads: 2))
        let tl = TLSLinearization(system: tsys, equilibrium: d)
        let gs = try tl.spectrum(method: .graded), ss = try tl.spectrum(method: .symmetric)
        let (tre, tim) = try Eigenvalues.general(tl.explicitRateMatrix())
        let inv = try #require(try LinearAlgebra.inverse(tl.explicitRateMatrix()))
        let (ire, iim) = try Eigenvalues.general(inv)
        let direct = tre.map { -$0 }.sorted(), viaInverse = ire.map { -1 / $0 }.sorted()
        var worst = 0.0, worstSym = 0.0, worstDirect = 0.0
        for k in 0..<1000 {
            let reference = viaInverse[k] < gs.splice ? viaInverse[k] : direct[k]
            worst = max(worst, abs(reference / gs.rates[k] - 1))
            worstDirect = max(worstDirect, abs(direct[k] / gs.rates[k] - 1))
            worstSym = max(worstSym, abs(ss.rates[k] / reference - 1))
        }
        print("TLS N=1000: graded vs dgeev(A | A^-1) max rel diff \(worst); symmetric dsyevd vs it \(worstSym); dgeev(A) alone \(worstDirect); max|Im| \(tim.map(abs).max()!) / \(iim.map(abs).max()!); route disagreement \(gs.routeDisagreement); rates \(gs.rates.first!)...\(gs.rates.last!)")
    }

    @Test(.enabled(if: mode == "1" || mode == "eg")) func electronGlassDirectTerm() throws {
        var p = EGParameters()
        p.sites = 1000; p.temperature = 0.1; p.localizationLength = 0.1
        let r = try DirectTermStudy.electronGlass(parameters: p, seed: 1, realizations: 0..<Self.realizations, threads: 2)
        print("EG direct term N=1000 T=0.1 xi=0.1:\n\(Self.json(r))")
    }

    @Test(.enabled(if: mode == "1" || mode == "tls")) func tlsDirectTerm() throws {
        var p = TLSParameters()
        p.sites = 1000; p.temperature = 0.1
        for method in TLSLinearization.Method.allCases {
            let r = try DirectTermStudy.tlsGlass(parameters: p, seed: 1, realizations: 0..<Self.realizations, method: method, threads: 2)
            print("TLS direct term N=1000 T=0.1 \(method):\n\(Self.json(r))")
        }
        p.convention = .scripts
        let r = try DirectTermStudy.tlsGlass(parameters: p, seed: 1, realizations: 0..<Self.realizations, method: .graded, threads: 2)
        print("TLS direct term N=1000 T=0.1 scripts convention graded:\n\(Self.json(r))")
    }

    @Test(.enabled(if: mode == "1")) func modesOfOneRealization() throws {
        var p = EGParameters()
        p.sites = 1000; p.temperature = 0.1; p.localizationLength = 0.1
        let system = EGSystem(parameters: p, seed: 1, realization: 0)
        let solution = EGMeanField.solve(system, couplings: system.denseCouplings(threads: 2))
        var rng = LinearDynamicsRandom(seed: 5)
        let phi = (0..<p.sites).map { _ in rng.next() - 0.5 }
        let clock = ContinuousClock.now
        let eg = try #require(try EGLinearization(system: system, solution: solution).modes(potential: phi, threads: 2))
        print("EG modes N=1000 (\(ContinuousClock.now - clock)), stability \(eg.stability), \(eg.modes.count) modes")
        Self.summarize(eg.modes)
        var q = TLSParameters()
        q.sites = 1000; q.temperature = 0.1
        let tsys = TLSSystem(parameters: q, seed: 1, realization: 0)
        let (d, _) = TLSMeanField.solve(tsys, couplings: tsys.denseCouplings(threads: 2))
        let h = (0..<q.sites).map { _ in rng.next() - 0.5 }
        let c2 = ContinuousClock.now
        let tls = try #require(try TLSLinearization(system: tsys, equilibrium: d).modes(perturbation: h))
        print("TLS modes N=1000 (\(ContinuousClock.now - c2)), stability \(tls.spectrum.stability), \(tls.modes.count) modes")
        Self.summarize(tls.modes)
    }

    static func summarize(_ modes: [RelaxationMode]) {
        for m in modes.prefix(5) {
            print(String(format: "  slow: lnG %.3f PR %.2f Rg %.3f w %.3e", m.lnRate, m.participationRatio, m.gyrationRadius, m.weight ?? .nan))
        }
        let pr = modes.map(\.participationRatio).sorted(), rg = modes.map(\.gyrationRadius).sorted()
        print(String(format: "  median PR %.2f (max %.1f), median Rg %.3f (max %.2f)", pr[pr.count / 2], pr.last!, rg[rg.count / 2], rg.last!))
        let rates = modes.map(\.rate), w = modes.map { $0.weight ?? 0 }
        for (t, tw) in [(1e2, 1e3), (1e3, 1e3), (1e3, 1e2), (1e4, 1e5)] {
            print(String(format: "  O(t=%.0e; tw=%.0e) = %.4e   O/sum w = %.4f   ln(1+tw/t) = %.4f", t, tw,
                         AgingResponse.response(rates: rates, weights: w, time: t, waitingTime: tw),
                         AgingResponse.response(rates: rates, weights: w, time: t, waitingTime: tw) / w.reduce(0, +),
                         log1p(tw / t)))
        }
    }

    @Test(.enabled(if: mode == "1e4")) func tlsTenThousandDenseSpectrum() throws {
        var p = TLSParameters()
        p.sites = 10_000; p.temperature = 0.1
        let system = TLSSystem(parameters: p, seed: 1, realization: 0)
        var clock = ContinuousClock.now
        var d = [Double](), report: SolverReport? = nil
        do {
            let couplings = system.denseCouplings(threads: 2)
            (d, report) = TLSMeanField.solve(system, couplings: couplings)
        }
        print("N=1e4 solve: \(ContinuousClock.now - clock), converged \(report!.converged), peak RSS \(Double(ResourceUsage.peakResidentBytes) / 1e9) GB")
        clock = ContinuousClock.now
        let lin = TLSLinearization(system: system, equilibrium: d)
        let m = lin.symmetricMatrix(scale: lin.rates.max()!)
        let tBuild = ContinuousClock.now - clock
        clock = ContinuousClock.now
        let w = try LinearAlgebra.symmetricEigen(m, vectors: false)
        let tEig = ContinuousClock.now - clock
        print("N=1e4 build M \(tBuild), dsyevd eigenvalues only \(tEig) (OpenBLAS threads \(BLASThreads.current)), peak RSS \(Double(ResourceUsage.peakResidentBytes) / 1e9) GB, min/max scaled \(w.first!) \(w.last!)")
    }
}
