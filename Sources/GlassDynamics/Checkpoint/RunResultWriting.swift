/// A finished run's outputs, as every model writes them.
public protocol RunResultWriting: Sendable {
    /// Writes summary.json and the data files into the folder, each atomically.
    func write(to out: OutputDirectory) throws
}

extension TLSRunResult: RunResultWriting {}
