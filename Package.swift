// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "GlassDynamics",
    products: [
        .library(name: "GlassDynamics", targets: ["GlassDynamics"]),
        .executable(name: "glassdyn", targets: ["glassdyn"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // LAPACKE + CBLAS from Debian's OpenBLAS (libopenblas-dev, liblapacke-dev).
        .systemLibrary(name: "CLAPACK", path: "Sources/CLAPACK"),
        .target(
            name: "GlassDynamics",
            dependencies: ["CLAPACK"],
            path: "Sources/GlassDynamics"
        ),
        .executableTarget(
            name: "glassdyn",
            dependencies: [
                "GlassDynamics",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/glassdyn"
        ),
        .testTarget(
            name: "GlassDynamicsTests",
            dependencies: ["GlassDynamics"],
            path: "Tests/GlassDynamicsTests"
        ),
    ]
)
