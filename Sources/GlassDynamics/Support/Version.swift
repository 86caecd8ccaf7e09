/// The version written into every summary.
public enum GlassDynamicsVersion {
    /// The package version, written as `version` in every summary.json.
    public static let string = "0.1.0"
}
