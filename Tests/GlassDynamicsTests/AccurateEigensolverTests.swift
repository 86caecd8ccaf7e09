import Foundation
import Testing
import GlassDynamics

/// `--eigensolver accurate` inside ``EGExperiment``: the realization keeps the modes dsyevd
/// drops and agrees with dsyevd where dsyevd resolves them; its spectrum record round-trips.
@Suite struct AccurateEigensolverTests {
    static func experiment(_ solver: EGEigensolver, n: Int = 300, t: Double = 0.05, seed: UInt64 = 11,
                           bare: Bool = false) -> EGExperiment {
        var p = EGParameters()
        p.sites = n
        p.temperature = t
        p.box = .poisson
        p.eigensolver = solver
        if bare { p.rateModel = .bare }
        var s = RunSettings()
        s.realizations = 1
        s.threads = 2
        s.seed = seed
        s.quiet = true
        return EGExperiment(parameters: p, settings: s)
    }

    /// N = 300, T = 0.05, `--box poisson` (seed 11, realization 0): dsyevd loses modes below its
    /// floor, the accurate solver resolves all N - 1 and agrees with dsyevd to 1e-8 relative on
    /// every mode dsyevd resolves to that accuracy, i.e. where its own absolute error, the floor
    /// N eps max|lambda|, is below 1e-8 Gamma; below that, within dsyevd's floor.
    @Test func keepsTheModesDsyevdDropsAndAgreesWhereItResolves() throws {
        let n = 300
        let sym = try Self.experiment(.symmetric).realization(0, innerThreads: 2)
        let acc = try Self.experiment(.accurate).realization(0, innerThreads: 2)
        #expect(sym.outcome.solver.converged && acc.outcome.solver.converged)
        #expect(sym.outcome.energies == acc.outcome.energies)
        let s = try #require(sym.spectrum), a = try #require(acc.spectrum)
        #expect(s.routine == .dsyevd && a.routine == .dgejsv)
        #expect(s.belowFloor > 0)
        #expect(a.unresolved == 0 && a.unresolvedBound == 0)
        #expect(a.rates.count == n - 1 && acc.outcome.rates == a.rates)
        #expect(s.rates.count == n - 1 - s.belowFloor)
        let bound = try #require(a.relativeErrorBound)
        #expect(bound > 0 && bound < 1e-8)
        // The modes dsyevd dropped are the slowest ones: the accurate ones below its floor.
        let dropped = a.rates.count - s.rates.count
        #expect(a.rates[..<dropped].allSatisfy { $0 <= s.floor * (1 + 1e-8) })
        var worstResolved = 0.0, resolved = 0, worstNearFloor = 0.0
        for (k, g) in s.rates.enumerated() {
            let x = a.rates[k + dropped]
            let rel = abs(g - x) / x
            if s.floor <= 1e-8 * x {
                resolved += 1
                worstResolved = max(worstResolved, rel)
            } else {
                worstNearFloor = max(worstNearFloor, abs(g - x) / s.floor)
            }
        }
        print("accurate eigensolver N=\(n) T=0.05: dsyevd below floor \(s.belowFloor), floor \(s.floor); accurate \(a.rates.count) rates, slowest \(a.rates[0]), bound \(bound); dsyevd resolves \(resolved) of its \(s.rates.count) to 1e-8, worst \(worstResolved); near the floor worst |difference| / floor \(worstNearFloor)")
        // 106 of dsyevd's 286 rates lie 1e8 above its floor here (the rest of the spectrum is
        // within 8 decades of it).
        #expect(resolved >= 100)
        #expect(worstResolved < 1e-8)
        #expect(worstNearFloor < 1)
        #expect(abs(a.largestRate / s.largestRate - 1) < 1e-8)
    }

    /// The bare Appendix A matrix works too: all N - 1 rates.
    @Test func bareMatrix() throws {
        let r = try Self.experiment(.accurate, n: 200, t: 0.1, seed: 4, bare: true).realization(0, innerThreads: 2)
        let a = try #require(r.spectrum)
        #expect(a.rates.count == 199 && a.unresolved == 0)
        #expect(try #require(a.relativeErrorBound) < 1e-8)
        #expect(r.nearestNeighbourDistances?.count == 200)
    }

    /// The checkpoint record of a dgejsv spectrum carries the bound and the unresolved count
    /// bit for bit; a dsyevd record is what it always was (no extra bytes).
    @Test func spectrumRecordRoundTrips() throws {
        let acc = try #require(try Self.experiment(.accurate, n: 100).realization(0).spectrum)
        var w = BinaryWriter()
        var s = acc
        s.unresolved = 3
        s.unresolvedBound = 1e-300
        s.encode(into: &w)
        var r = BinaryReader(w.bytes)
        let back = try RateSpectrum(from: &r)
        #expect(r.isAtEnd)
        #expect(back.routine == .dgejsv && back.rates.map(\.bitPattern) == s.rates.map(\.bitPattern))
        #expect(back.relativeErrorBound?.bitPattern == s.relativeErrorBound?.bitPattern)
        #expect(back.unresolved == 3 && back.unresolvedBound == 1e-300)

        let sym = try #require(try Self.experiment(.symmetric, n: 100).realization(0).spectrum)
        var w2 = BinaryWriter()
        sym.encode(into: &w2)
        // As before: the rates (count, values), largestRate, floor, three counts, the imaginary
        // part (6 words) and the routine's name (length, "dsyevd").
        #expect(w2.bytes.count == 8 + 8 * sym.rates.count + 6 * 8 + 8 + 6)
        var r2 = BinaryReader(w2.bytes)
        let back2 = try RateSpectrum(from: &r2)
        #expect(r2.isAtEnd && back2.relativeErrorBound == nil && back2.unresolved == 0)
    }
}
