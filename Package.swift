// swift-tools-version:6.0
import PackageDescription

// The layers, each depending only on those above it:
//
//   CLAPACK            LAPACKE + CBLAS from Debian's OpenBLAS (system library)
//   CGlassKernels      the hot pair and matrix kernels in C, per instruction set (SSE2, AVX2,
//                      AVX-512), the path chosen at run time (`GLASSDYN_SIMD` forces one)
//   GlassDynamics      the physics: random streams, geometry, models, solvers, observables,
//                      experiments, the campaign (checkpoint, resume, shards, merge), output
//   GlassReproduction  the paper: figures, verdicts, Table I, sweeps, the report
//   GlassBenchmarks    timing and memory of the engines, the NumPy reference, the cutoff study
//   GlassDynamicsCLI   `glassdyn`'s commands: argument parsing, flag names, printing
//   glassdyn           the executable (one line: run the CLI)
//
// Targets share implementation details through Swift's `package` access; `public` is the API a
// library user needs, each declaration with a `///` comment.

let package = Package(
    name: "GlassDynamics",
    products: [
        .library(name: "GlassDynamics", targets: ["GlassDynamics"]),
        .library(name: "GlassReproduction", targets: ["GlassReproduction"]),
        .executable(name: "glassdyn", targets: ["glassdyn"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    ],
    targets: [
        // MARK: - System libraries

        .systemLibrary(name: "CLAPACK", path: "Sources/CLAPACK"),

        // MARK: - C kernels (one source, one variant per instruction set, chosen at run time)

        .target(name: "CGlassKernels", path: "Sources/CGlassKernels"),

        // MARK: - Public API

        .target(
            name: "GlassDynamics",
            dependencies: ["CLAPACK", "CGlassKernels"],
            path: "Sources/GlassDynamics"
        ),
        .target(
            name: "GlassReproduction",
            dependencies: ["GlassDynamics"],
            path: "Sources/GlassReproduction"
        ),

        // MARK: - Benchmarks (apart from the libraries)

        .target(
            name: "GlassBenchmarks",
            dependencies: ["GlassDynamics"],
            path: "Sources/GlassBenchmarks"
        ),

        // MARK: - Command-line tool

        .target(
            name: "GlassDynamicsCLI",
            dependencies: [
                "GlassDynamics",
                "GlassReproduction",
                "GlassBenchmarks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/GlassDynamicsCLI"
        ),
        .executableTarget(
            name: "glassdyn",
            dependencies: ["GlassDynamicsCLI"],
            path: "Sources/glassdyn"
        ),

        // MARK: - Tests

        .target(
            name: "GlassDynamicsTestSupport",
            dependencies: ["GlassDynamics"],
            path: "Tests/GlassDynamicsTestSupport"
        ),
        .testTarget(
            name: "GlassDynamicsTests",
            dependencies: ["GlassDynamics", "GlassDynamicsTestSupport"],
            path: "Tests/GlassDynamicsTests"
        ),
        .testTarget(
            name: "GlassReproductionTests",
            dependencies: ["GlassReproduction", "GlassDynamicsTestSupport"],
            path: "Tests/GlassReproductionTests"
        ),
        .testTarget(
            name: "GlassDynamicsCLITests",
            dependencies: ["GlassDynamicsCLI", "GlassBenchmarks", "GlassDynamicsTestSupport"],
            path: "Tests/GlassDynamicsCLITests"
        ),
    ]
)
