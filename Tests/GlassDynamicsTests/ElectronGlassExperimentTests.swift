import Foundation
import Testing
import GlassDynamics

/// Runs of the electron glass: reproducibility and refusal of bad input (in the library).
@Suite struct ElectronGlassExperimentTests {
    static func experiment(n: Int = 300, realizations: Int, threads: Int, seed: UInt64 = 1,
                           configure: (inout EGParameters) -> Void = { _ in }) -> EGExperiment {
        var p = EGParameters()
        p.sites = n
        configure(&p)
        var s = RunSettings()
        s.realizations = realizations
        s.threads = threads
        s.seed = seed
        s.quiet = true
        return EGExperiment(parameters: p, settings: s)
    }

    static func expectIdentical(_ a: EGRunResult, _ b: EGRunResult) {
        #expect(a.realizations.count == b.realizations.count)
        guard a.realizations.count == b.realizations.count else { return }
        for (x, y) in zip(a.realizations, b.realizations) {
            #expect(x.outcome.energies == y.outcome.energies)
            #expect(x.outcome.rates == y.outcome.rates)
            #expect(x.outcome.solver == y.outcome.solver)
            #expect(x.chemicalPotential == y.chemicalPotential)
            #expect(x.spectrum?.floor == y.spectrum?.floor)
        }
        #expect(a.analysis.dos == b.analysis.dos)
        #expect(a.analysis.lnRates == b.analysis.lnRates)
    }

    /// Realization r is the same bit for bit with 1 and 2 threads: with 3 realizations
    /// (parallel realizations, one BLAS thread each) and with a single realization (whose
    /// matrix build and OpenBLAS then use both threads).
    @Test func outcomesDoNotDependOnThreadCount() throws {
        Self.expectIdentical(try Self.experiment(realizations: 3, threads: 1).run(),
                             try Self.experiment(realizations: 3, threads: 2).run())
        Self.expectIdentical(try Self.experiment(n: 600, realizations: 1, threads: 1).run(),
                             try Self.experiment(n: 600, realizations: 1, threads: 2).run())
    }

    /// The same seed repeats a run; another seed gives another one.
    @Test func seedFixesTheRun() throws {
        let a = try Self.experiment(realizations: 2, threads: 2, seed: 7).run()
        let b = try Self.experiment(realizations: 2, threads: 2, seed: 7).run()
        let c = try Self.experiment(realizations: 2, threads: 2, seed: 8).run()
        Self.expectIdentical(a, b)
        #expect(a.outcomes[0].energies != c.outcomes[0].energies)
        // Realization 1 of a two-realization run is realization 1 of any run.
        let single = try Self.experiment(realizations: 2, threads: 1, seed: 7).realization(1)
        #expect(single.outcome.energies == a.outcomes[1].energies)
    }

    /// The general eigensolver and --no-spectrum: dgeev agrees with dsyevd through a whole
    /// run; without the spectrum there are energies and no rates.
    @Test func eigensolverChoiceAndNoSpectrum() throws {
        let sym = try Self.experiment(n: 200, realizations: 2, threads: 2).run()
        let gen = try Self.experiment(n: 200, realizations: 2, threads: 2) { $0.eigensolver = .general }.run()
        #expect(gen.experiment.routine == .dgeev && sym.experiment.routine == .dsyevd)
        try #require(sym.outcomes.count == gen.outcomes.count)
        for (x, y) in zip(sym.outcomes, gen.outcomes) {
            #expect(x.energies == y.energies)
            try #require(x.rates.count == y.rates.count)
            for (a, b) in zip(x.rates, y.rates) { #expect(abs(a / b - 1) < 1e-6) }
        }
        let none = try Self.experiment(n: 200, realizations: 2, threads: 2) { $0.computeSpectrum = false }.run()
        #expect(none.outcomes.allSatisfy { $0.rates.isEmpty && $0.energies.count == 200 })
        #expect(none.realizations.allSatisfy { $0.spectrum == nil })
    }

    /// Bad input: a one-line ParameterError naming the parameter, before any work.
    @Test(arguments: ["xi0", "xiNegative", "xiNaN", "nOdd", "nOne", "t0", "tInfinite", "wNegative", "jNegative",
                      "tol0", "maxIterations0", "densityNegative", "annealTooHot", "bareWithoutSpectrum"])
    func badInputIsRefused(_ name: String) {
        var option = Parameter.sites
        let e = Self.experiment(realizations: 1, threads: 1) { p in
            switch name {
            case "xi0": option = .localizationLength; p.localizationLength = 0
            case "xiNegative": option = .localizationLength; p.localizationLength = -0.1
            case "xiNaN": option = .localizationLength; p.localizationLength = .nan
            case "nOdd": option = .sites; p.sites = 999
            case "nOne": option = .sites; p.sites = 1
            case "t0": option = .temperature; p.temperature = 0
            case "tInfinite": option = .temperature; p.temperature = .infinity
            case "wNegative": option = .disorder; p.disorder = -1
            case "jNegative": option = .interaction; p.interaction = -1
            case "tol0": option = .tolerance; p.tolerance = 0
            case "maxIterations0": option = .maxIterations; p.maxIterations = 0
            case "densityNegative": option = .density; p.box = .density(-1)
            case "annealTooHot": option = .anneal; p.temperature = 20; p.anneal = AnnealProtocol()
            default: option = .rateModel; p.rateModel = .bare; p.computeSpectrum = false
            }
        }
        do {
            try e.validate()
            Issue.record("accepted bad \(option)")
        } catch let error as ParameterError {
            #expect(error.parameter == option, "\(error)")
            #expect(error.description.hasPrefix(option.name), "\(error)")
            #expect(!error.description.contains("\n"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    /// An odd N is refused with the reason (half filling needs N/2 electrons).
    @Test func oddSiteCountExplainsHalfFilling() throws {
        var p = EGParameters()
        p.sites = 1001
        #expect(throws: ParameterError(.sites, "\(Parameter.sites) must be even: half filling puts exactly N/2 electrons on the N sites, got 1001")) {
            try p.validate()
        }
        let error = try #require(throws: ParameterError.self) { try p.validate() }
        #expect(error.render { $0 == .sites ? "--n" : "?" } == "--n must be even: half filling puts exactly N/2 electrons on the N sites, got 1001")
    }
}
