import Foundation

extension EGExperiment: MeanFieldExperiment {
    /// The electron glass.
    public static let model = GlassModel.eg

    /// The realization index `realization` belongs to.
    public static func index(of realization: EGRealizationResult) -> Int { realization.outcome.index }

    /// The parameters and the OpenBLAS threads in use (they change the last bits).
    public var configuration: EGConfiguration {
        EGConfiguration(parameters: parameters, blasThreads: resolvedBLASThreads)
    }

    /// Rebuilds the experiment of a run.json (resume, merge), with the OpenBLAS threads it
    /// was run with, so the rebuilt realizations give the same bits.
    public init(configuration: EGConfiguration, settings: RunSettings) {
        self.init(parameters: configuration.parameters, settings: settings)
        blasThreads = configuration.blasThreads
    }
}

/// What determines an electron-glass realization: the parameters and the OpenBLAS threads
/// inside it. Written as one object (the parameters' keys and `blasThreads`).
public struct EGConfiguration: Codable, Sendable, Equatable {
    /// The model's parameters.
    public var parameters: EGParameters
    /// OpenBLAS threads inside one realization.
    public var blasThreads: Int

    /// The configuration of `parameters` with `blasThreads`.
    public init(parameters: EGParameters, blasThreads: Int) {
        self.parameters = parameters
        self.blasThreads = blasThreads
    }

    enum CodingKeys: String, CodingKey { case blasThreads }

    /// Reads one object: the parameters' keys and `blasThreads` side by side.
    public init(from decoder: any Decoder) throws {
        parameters = try EGParameters(from: decoder)
        blasThreads = try decoder.container(keyedBy: CodingKeys.self).decode(Int.self, forKey: .blasThreads)
    }

    /// Writes one object: the parameters' keys and `blasThreads` side by side.
    public func encode(to encoder: any Encoder) throws {
        try parameters.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(blasThreads, forKey: .blasThreads)
    }
}

extension EGRealizationResult: BinaryRecord {
    /// Writes the outcome, mu, the filling error and the optional spectrum, nearest-neighbour
    /// distances and site table.
    public func encode(into w: inout BinaryWriter) {
        outcome.encode(into: &w)
        w.write(chemicalPotential)
        w.write(fillingError)
        w.writeOptional(spectrum) { w, s in s.encode(into: &w) }
        w.writeOptional(nearestNeighbourDistances) { w, d in w.write(d) }
        w.writeOptional(sites) { w, s in s.encode(into: &w) }
        // Written only when present, so default runs keep their old ledger format.
        if let linear { linear.encode(into: &w) }
    }

    /// Reads what ``encode(into:)`` wrote.
    public init(from r: inout BinaryReader) throws {
        self.init(outcome: try RealizationOutcome(from: &r), chemicalPotential: try r.readDouble(),
                  fillingError: try r.readDouble(), spectrum: try r.readOptional { try RateSpectrum(from: &$0) },
                  nearestNeighbourDistances: try r.readOptional { try $0.readDoubles() },
                  sites: try r.readOptional { try EGSiteTable(from: &$0) })
        if !r.isAtEnd { linear = try LinearOutcome(from: &r) }
    }
}

extension RateSpectrum: BinaryRecord {
    /// Writes the rates, the floor, the mode counts, the imaginary part and the routine's name;
    /// for dgejsv then the relative error bound, the unresolved count and their bound (the
    /// records of dsyevd and dgeev are unchanged).
    public func encode(into w: inout BinaryWriter) {
        w.write(rates); w.write(largestRate); w.write(floor); w.write(zeroEigenvalues)
        w.write(belowFloor); w.write(positive); w.write(largestImaginaryPart); w.write(routine.rawValue)
        if routine == .dgejsv {
            w.writeOptional(relativeErrorBound) { w, b in w.write(b) }; w.write(unresolved); w.write(unresolvedBound)
        }
    }

    /// Reads what ``encode(into:)`` wrote; throws when the routine's name is unknown.
    public init(from r: inout BinaryReader) throws {
        rates = try r.readDoubles()
        largestRate = try r.readDouble()
        floor = try r.readDouble()
        zeroEigenvalues = try r.readInt()
        belowFloor = try r.readInt()
        positive = try r.readInt()
        largestImaginaryPart = try r.readDouble()
        let name = try r.readString()
        guard let routine = Eigenvalues.Routine(rawValue: name) else {
            throw GlassDynamicsError.io("checkpoint record names an unknown LAPACK routine \(name)")
        }
        self.routine = routine
        if routine == .dgejsv {
            relativeErrorBound = try r.readOptional { try $0.readDouble() }
            unresolved = try r.readInt()
            unresolvedBound = try r.readDouble()
        }
    }
}

extension EGSiteTable: BinaryRecord {
    /// Writes the realization index and the per-site columns.
    public func encode(into w: inout BinaryWriter) {
        w.write(realization); w.write(coordinates); w.write(bareEnergies)
        w.write(energiesFromMu); w.write(occupations); w.write(converged)
    }

    /// Reads what ``encode(into:)`` wrote.
    public init(from r: inout BinaryReader) throws {
        realization = try r.readInt()
        coordinates = try r.readDoubles()
        bareEnergies = try r.readDoubles()
        energiesFromMu = try r.readDoubles()
        occupations = try r.readDoubles()
        converged = try r.readBool()
    }
}
