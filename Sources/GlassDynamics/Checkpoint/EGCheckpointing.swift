import Foundation

extension EGExperiment: RealizationExperiment {
    public var label: String { "eg" }

    public static func index(of realization: EGRealizationResult) -> Int { realization.outcome.index }

    /// The resolved parameters (box side, tolerance and initial spread included) that determine
    /// every realization; written to summary.json and compared on resume and merge.
    public var manifest: JSONValue {
        let p = parameters
        return .object([
            ("model", .string("eg")),
            ("n", .integer(p.sites)), ("electrons", .integer(p.electrons)),
            ("w", .number(p.disorder)), ("j", .number(p.interaction)),
            ("t", .number(p.temperature)), ("xi", .number(p.localizationLength)),
            ("box", .string(p.box.name)), ("boxSide", .number(p.boxSide)), ("density", .number(p.density)),
            ("convention", .string(p.convention.rawValue)),
            ("fieldPrefactor", .number(EGParameters.fieldPrefactor)),
            ("anneal", p.anneal.map { .object([("high", .number($0.high)), ("steps", .integer($0.steps))]) } ?? .null),
            ("initialHalfWidth", .number(p.resolvedInitialHalfWidth)),
            ("tol", .number(p.resolvedTolerance)), ("maxIterations", .integer(p.maxIterations)),
            ("spectrum", .bool(p.computeSpectrum)),
            ("rates", .string(p.rateModel.rawValue)),
            ("eigensolver", .string(p.eigensolver.rawValue)),
            ("blasThreads", .integer(resolvedBLASThreads)),
            ("saveSites", .bool(settings.saveSites)),
        ])
    }
}

extension EGRunResult: RunResultWriting {}

extension EGRealizationResult: BinaryRecord {
    public func encode(into w: inout BinaryWriter) {
        outcome.encode(into: &w)
        w.write(chemicalPotential)
        w.write(fillingError)
        w.writeOptional(spectrum) { w, s in s.encode(into: &w) }
        w.writeOptional(nearestNeighbourDistances) { w, d in w.write(d) }
        w.writeOptional(sites) { w, s in s.encode(into: &w) }
    }

    public init(from r: inout BinaryReader) throws {
        self.init(outcome: try RealizationOutcome(from: &r), chemicalPotential: try r.readDouble(),
                  fillingError: try r.readDouble(), spectrum: try r.readOptional { try RateSpectrum(from: &$0) },
                  nearestNeighbourDistances: try r.readOptional { try $0.readDoubles() },
                  sites: try r.readOptional { try EGSiteTable(from: &$0) })
    }
}

extension RateSpectrum: BinaryRecord {
    public func encode(into w: inout BinaryWriter) {
        w.write(rates); w.write(largestRate); w.write(floor); w.write(zeroEigenvalues)
        w.write(belowFloor); w.write(positive); w.write(largestImaginaryPart); w.write(routine.rawValue)
    }

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
    }
}

extension EGSiteTable: BinaryRecord {
    public func encode(into w: inout BinaryWriter) {
        w.write(realization); w.write(coordinates); w.write(bareEnergies)
        w.write(energiesFromMu); w.write(occupations); w.write(converged)
    }

    public init(from r: inout BinaryReader) throws {
        realization = try r.readInt()
        coordinates = try r.readDoubles()
        bareEnergies = try r.readDoubles()
        energiesFromMu = try r.readDoubles()
        occupations = try r.readDoubles()
        converged = try r.readBool()
    }
}
