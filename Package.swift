// swift-tools-version:6.0
import PackageDescription

// The layers, each depending only on those above it:
//
//   CLAPACK            LAPACKE + CBLAS from Debian's OpenBLAS (system library)
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

        // MARK: - Public API

        .target(
            name: "GlassDynamics",
            dependencies: ["CLAPACK"],
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
