import Foundation
import GlassDynamics

/// What a finished run of either model offers to figures and sweeps: the core result plus the
/// metrics only that model measures.
package protocol ModelRunResult: RunResult {
    /// Metrics only this model measures (the Coulomb gap, Appendix A's NN law), given the
    /// common ones already measured.
    func modelMetrics(given common: [Metric: Measurement]) -> [Metric: Measurement]
}

extension TLSRunResult: ModelRunResult {
    package func modelMetrics(given common: [Metric: Measurement]) -> [Metric: Measurement] { [:] }
}

extension EGRunResult: ModelRunResult {
    package func modelMetrics(given common: [Metric: Measurement]) -> [Metric: Measurement] {
        var m = [Metric: Measurement]()
        let p = experiment.parameters
        if p.rateModel == .bare, let med = common[.medianLnGamma], med.value.isFinite {
            // Appendix A's scaling: x = -ln(Gamma/2) in units of the mean NN spacing.
            let x = Measurement(log(2) - med.value, error: med.error)
            let scale = Foundation.pow(Double(p.sites - 1) / Foundation.pow(p.boxSide, Double(EGParameters.dimension)),
                                       1 / Double(EGParameters.dimension))
            m[.medianX] = x
            m[.scaledMedianX] = Measurement(x.value * scale, error: x.error * scale)
        }
        if let g = coulombGap {
            m[.esSlope] = Measurement(g.slopePerArea, error: g.slopePerAreaError)
        }
        if let nn = nearestNeighbour {
            if nn.fast.samples > 0 { m[.nnFastKS] = Measurement(nn.fast.statistic) }
            if nn.slow.samples > 0 { m[.nnSlowKS] = Measurement(nn.slow.statistic) }
        }
        return m
    }
}

/// One point of a figure or a sweep: a model with all its parameters. Running it is the same
/// work as the model's own command with these parameters; nothing here depends on which model.
package struct ModelPoint: Sendable, Equatable {
    /// The model's parameters.
    package var parameters: any MeanFieldParameters

    package init(_ parameters: any MeanFieldParameters) { self.parameters = parameters }

    package static func == (a: ModelPoint, b: ModelPoint) -> Bool { a.key == b.key }

    package var model: GlassModel { type(of: parameters).model }

    /// Reads one of the varied parameters.
    package func value(of v: SweepVariable) throws -> Double {
        guard let x = parameters.value(of: v) else {
            throw ParameterError(.variable, "\(Parameter.variable) \(v.rawValue): \(v.symbol) is not a parameter of the \(model.title)")
        }
        return x
    }

    /// The same point with one parameter set (W/J sets W = ratio * J).
    package func setting(_ v: SweepVariable, to x: Double) throws -> ModelPoint {
        var p = parameters
        try p.set(v, to: x)
        return ModelPoint(p)
    }

    /// The alternative choices REPORT.md reruns a disputed sign with.
    package func with(convention: MeanFieldConvention) -> ModelPoint {
        var p = parameters
        p.convention = convention
        return ModelPoint(p)
    }

    package func with(box: BoxConvention) -> ModelPoint {
        var p = parameters
        p.box = box
        return ModelPoint(p)
    }

    package var convention: MeanFieldConvention { parameters.convention }
    package var box: BoxConvention { parameters.box }
    package var sites: Int { parameters.sites }
    package var temperature: Double { parameters.temperature }

    /// Side of the periodic box and its dimension.
    package var geometry: (side: Double, dimension: Int) { (parameters.boxSide, type(of: parameters).dimension) }

    /// Every check of the model's own command (before any work).
    package func validate(settings: RunSettings) throws {
        func check<P: MeanFieldParameters>(_ p: P) throws { try p.experiment(settings: settings).validate() }
        try check(parameters)
    }

    /// Runs the point (validate first). With a `checkpoint` folder the realizations go through
    /// that folder's ledger like the model's own command (`resume` reuses an earlier ledger
    /// there); an interruption throws ``GlassDynamicsError/interrupted(_:)``. `blasThreads`
    /// is the electron glass's OpenBLAS threads inside one realization (as its command's).
    package func run(settings: RunSettings, checkpoint: URL? = nil, resume: Bool = false,
                     interrupt: InterruptFlag? = nil, blasThreads: Int = 1) throws -> any ModelRunResult {
        func go<P: MeanFieldParameters>(_ p: P) throws -> any RunResult {
            var experiment = p.experiment(settings: settings)
            if var eg = experiment as? EGExperiment {
                eg.blasThreads = blasThreads
                if let tuned = eg as? P.Experiment { experiment = tuned }
            }
            var c = Campaign(experiment: experiment)
            c.folder = checkpoint
            c.resume = resume && checkpoint.map {
                FileManager.default.fileExists(atPath: $0.appendingPathComponent(RunManifestHeader.fileName).path)
            } ?? false
            c.interrupt = interrupt
            switch try c.execute() {
            case .finished(let result): return result
            case .shardFinished, .interrupted(_, _):
                throw GlassDynamicsError.interrupted("interrupted during one point; its folder is resumable")
            }
        }
        let result = try go(parameters)
        guard let modelResult = result as? any ModelRunResult else {
            throw GlassDynamicsError.invalidInput("\(model.title): no figure metrics are registered for this model")
        }
        return modelResult
    }

    /// A text identifying the point's physics (for reusing a run across figures).
    package var key: String {
        let json = (try? JSONFormat.encode(parameters)).map { String(decoding: $0, as: UTF8.self) } ?? "\(parameters)"
        return model.rawValue + " " + json
    }
}
