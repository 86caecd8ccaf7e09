/// Errors a user can act on; each prints as one line.
public enum GlassDynamicsError: Error, CustomStringConvertible, Equatable, Sendable {
    case invalidInput(String)
    case io(String)
    case tooLarge(String)
    /// SIGINT stopped a run before it finished; the folder is resumable.
    case interrupted(String)

    public var description: String {
        switch self {
        case .invalidInput(let s): return s
        case .io(let s): return s
        case .tooLarge(let s): return s
        case .interrupted(let s): return s
        }
    }
}
