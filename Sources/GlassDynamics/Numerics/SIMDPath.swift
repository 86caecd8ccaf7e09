import CGlassKernels
import Foundation

/// The instruction set the hot kernels run on (the TLS pair kernel, the stored matrix's
/// column updates and K m), chosen once per process at run time, as NumPy does: the widest
/// path this CPU runs, unless `GLASSDYN_SIMD` names another.
///
/// Why: the portable binary targets baseline x86-64 (SSE2), yet most CPUs have AVX2 or
/// AVX-512. The kernels are C (target `CGlassKernels`) compiled once per instruction set from
/// one source, with no fused multiply-add and the same operation order on every lane, so every
/// path gives the same bits (tested path against path and against the Swift reference kernel);
/// only the speed differs.
public enum SIMDPath: String, CaseIterable, Sendable, Codable {
    /// 128-bit SSE2, every x86-64 CPU (on other architectures: the compiler's baseline).
    case sse2
    /// 256-bit AVX2 (without FMA, whose rounding would differ).
    case avx2
    /// AVX-512 F/VL/DQ (256-bit vectors, 32 registers).
    case avx512

    /// The environment variable that forces a path (`sse2`, `avx2` or `avx512`).
    public static let environmentVariable = "GLASSDYN_SIMD"

    var code: Int32 {
        switch self {
        case .sse2: Int32(GLASS_SIMD_SSE2)
        case .avx2: Int32(GLASS_SIMD_AVX2)
        case .avx512: Int32(GLASS_SIMD_AVX512)
        }
    }

    /// Whether this CPU (and operating system) runs the path.
    public var isSupported: Bool { glass_simd_supported(code) != 0 }

    /// The paths this CPU runs, narrowest first.
    public static var supported: [SIMDPath] { allCases.filter(\.isSupported) }

    /// The widest path this CPU runs.
    public static var best: SIMDPath { supported.last ?? .sse2 }

    /// The path named by `GLASSDYN_SIMD` in `environment` (the best one when unset or empty);
    /// throws for an unknown name or a path this CPU does not run.
    public static func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SIMDPath {
        guard let text = environment[environmentVariable]?.trimmingCharacters(in: .whitespaces).lowercased(),
              !text.isEmpty else { return best }
        guard let path = SIMDPath(rawValue: text) else {
            throw GlassDynamicsError.invalidInput(
                "\(environmentVariable) must be one of \(allCases.map(\.rawValue).joined(separator: ", ")), got '\(text)'")
        }
        guard path.isSupported else {
            throw GlassDynamicsError.invalidInput(
                "\(environmentVariable)=\(text): this CPU runs only \(supported.map(\.rawValue).joined(separator: ", "))")
        }
        return path
    }

    /// The path of this process, resolved once (the best one if `GLASSDYN_SIMD` is invalid;
    /// the command line refuses an invalid value before any work).
    public static let current: SIMDPath = (try? resolve()) ?? best

    /// The C kernels of the path.
    package var kernels: glass_kernels { glass_simd_kernels(code)!.pointee }
}
