/// A value a caller sets: a model parameter, a run setting or an option of a sweep or a
/// reproduction. Errors name parameters by this identity, so a front end can say them in its
/// own words (the command-line tool maps each to its flag) while a Swift caller reads the
/// property name (``name``).
public enum Parameter: String, Sendable, Hashable, CaseIterable, Codable {
    // MARK: Both models
    case sites, disorder, interaction, temperature, box, density, convention, anneal
    case initialHalfWidth, tolerance, maxIterations
    // MARK: TLS glass
    case delta0Min, delta0Max, ratePrefactor, sz, storage, cutoff
    // MARK: Electron glass
    case localizationLength, computeSpectrum, rateModel, eigensolver, blasThreads, coulombPrecision
    // MARK: Exact linear dynamics (both models)
    case rateMatrix, modes, waitingTimes, perturbationStrength
    // MARK: Kinetic Monte Carlo (both models)
    case kmcProtocol, kmcStart, simulatedTime, equilibrationTime, minimumTime, pointsPerDecade
    case samples, trajectories, maxEvents, pairCutoff, canonicalEvents, checkpointSeconds
    // MARK: Run settings and the campaign
    case realizations, seed, threads, outputFolder, force, resume, shard
    // MARK: Sweeps and the reproduction
    case model, variable, values, fixRatio, fixSum, figures, alternativesBudget

    /// The Swift property name, used when nobody supplies another.
    public var name: String { rawValue }
}

/// A value refused before any work, with a message that names the parameters involved.
///
/// The message is kept as pieces (text and parameter names), so ``description`` reads
/// `temperature must be positive, got -1` for a Swift caller and the command-line tool renders
/// the same error as `--t must be positive, got -1` with ``render(naming:)``.
public struct ParameterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The parameter at fault.
    public var parameter: Parameter
    /// The message: text with the names of parameters in it.
    public var message: Message

    /// An error about `parameter`; `message` usually begins with its name.
    public init(_ parameter: Parameter, _ message: Message) {
        self.parameter = parameter
        self.message = message
    }

    /// The message with parameters named by their Swift property names.
    public var description: String { render { $0.name } }

    /// The message with each parameter named by `naming` (a flag, a key, a label).
    public func render(naming: (Parameter) -> String) -> String {
        message.pieces.map { piece in
            switch piece {
            case .text(let s): return s
            case .parameter(let p): return naming(p)
            }
        }.joined()
    }

    /// Text interleaved with parameter names, written as a string literal with interpolations:
    /// `"\(Parameter.delta0Min) must be below \(Parameter.delta0Max)"`.
    public struct Message: Sendable, Equatable, ExpressibleByStringInterpolation {
        /// One piece of the message.
        public enum Piece: Sendable, Equatable {
            /// Literal text.
            case text(String)
            /// A parameter, named by whoever renders the message.
            case parameter(Parameter)
        }

        /// The pieces in reading order.
        public var pieces: [Piece]

        /// A message of plain text, naming no parameter.
        public init(stringLiteral value: String) { pieces = [.text(value)] }
        /// A message of these pieces.
        public init(pieces: [Piece]) { self.pieces = pieces }
        /// The two messages one after the other.
        public static func + (a: Message, b: Message) -> Message {
            var joined = Interpolation(literalCapacity: 0, interpolationCount: 0)
            for piece in a.pieces + b.pieces {
                switch piece {
                case .text(let t): joined.appendText(t)
                case .parameter(let p): joined.appendInterpolation(p)
                }
            }
            return Message(stringInterpolation: joined)
        }
        /// The message a string literal with interpolations builds.
        public init(stringInterpolation: Interpolation) { pieces = stringInterpolation.pieces }

        /// Builds a ``Message``: literals and values become text, parameters stay names.
        public struct Interpolation: StringInterpolationProtocol {
            var pieces: [Piece] = []
            /// An empty message (the capacity hints are not used).
            public init(literalCapacity: Int, interpolationCount: Int) {}
            /// Appends the literal text.
            public mutating func appendLiteral(_ literal: String) { appendText(literal) }
            /// Appends a parameter as a name, rendered by ``ParameterError/render(naming:)``.
            public mutating func appendInterpolation(_ p: Parameter) { pieces.append(.parameter(p)) }
            /// Appends any other value as text, as plain string interpolation would write it.
            public mutating func appendInterpolation<T>(_ value: T) { appendText("\(value)") }

            /// Adjacent text joins into one piece, so equal messages compare equal however
            /// they were written.
            mutating func appendText(_ text: String) {
                guard !text.isEmpty else { return }
                if case .text(let last)? = pieces.last {
                    pieces[pieces.count - 1] = .text(last + text)
                } else {
                    pieces.append(.text(text))
                }
            }
        }
    }
}

// MARK: - The common refusals

extension ParameterError {
    /// `p must be a finite number, got v`.
    public static func notFinite(_ p: Parameter, _ v: Double) -> ParameterError {
        ParameterError(p, "\(p) must be a finite number, got \(v)")
    }
    /// `p must be positive, got v`.
    public static func notPositive(_ p: Parameter, _ v: Double) -> ParameterError {
        ParameterError(p, "\(p) must be positive, got \(v)")
    }
    /// `p must be non-negative, got v`.
    public static func negative(_ p: Parameter, _ v: Double) -> ParameterError {
        ParameterError(p, "\(p) must be non-negative, got \(v)")
    }
    /// `p must be at least m, got v`.
    public static func below(_ p: Parameter, minimum m: Int, _ v: Int) -> ParameterError {
        ParameterError(p, "\(p) must be at least \(m), got \(v)")
    }
}
