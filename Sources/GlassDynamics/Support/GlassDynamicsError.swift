/// Errors about files and runs (as opposed to a value a caller set, ``ParameterError``); each
/// reads as one line.
public enum GlassDynamicsError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Input that cannot be used: a folder that is not a run folder, shards that do not match.
    case invalidInput(String)
    /// A file that cannot be read or written.
    case io(String)
    /// A run stopped (SIGINT) before it finished; the folder is resumable.
    case interrupted(String)

    /// The one-line message.
    public var description: String {
        switch self {
        case .invalidInput(let s), .io(let s), .interrupted(let s): return s
        }
    }
}
