/// The version written into every summary.
public enum GlassDynamicsVersion {
    public static let string = "0.1.0"
}
