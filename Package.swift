// swift-tools-version:6.2
import PackageDescription

/// Settings shared by every target, so the whole package speaks one dialect.
let swiftSettings: [SwiftSetting] = [
    // Spell out existential types so the cost of `any` is visible where it is paid.
    .enableUpcomingFeature("ExistentialAny"),
    // Every file imports the modules whose members it uses, so dependencies stay honest.
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "closer",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "closer", targets: ["closer"]),
        .executable(name: "closer-server", targets: ["closer-server"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket.git", from: "1.6.2"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
    ],
    targets: [
        // C shims. Both are system libraries: the shim headers hold only typed `static inline` wrappers.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CNcursesw",
            providers: [.apt(["libncurses-dev"])]
        ),

        // A SIGWINCH handler chained in front of ncurses' own, in C: it must be async-signal-safe.
        .target(name: "CTerminalSignals"),

        // Domain types and wire formats shared by both programs; no I/O.
        .target(name: "CloserCore", swiftSettings: swiftSettings),

        // The server as a library, shared by `closer-server`, `closer --demo` and the tests.
        .target(
            name: "CloserServer",
            dependencies: [
                "CloserCore",
                "CCurl",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "closer-server",
            dependencies: [
                "CloserServer",
                "CloserCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // Everything the client does that is not drawing: HTTP over libcurl, the typed API client.
        .target(
            name: "CloserClient",
            dependencies: [
                "CloserCore",
                "CCurl",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // The terminal application: state, update, views, themes, keys; ncurses only behind `Screen`.
        .target(
            name: "CloserTUI",
            dependencies: [
                "CloserCore",
                "CNcursesw",
                "CTerminalSignals",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "closer",
            dependencies: [
                "CloserClient",
                "CloserCore",
                "CloserTUI",
                // `closer --demo` runs the real server in process.
                "CloserServer",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),

        // Benchmark drivers (run by hand; see bench/README.md). Never part of the test suite.
        .executableTarget(
            name: "closer-bench-tui",
            dependencies: ["CloserTUI", "CloserCore", "CNcursesw"],
            path: "bench/tui/Sources",
            swiftSettings: swiftSettings
        ),

        .executableTarget(
            name: "closer-bench-fanout",
            dependencies: [
                "CloserCore",
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "bench/fanout/Sources",
            swiftSettings: swiftSettings
        ),

        .executableTarget(
            name: "closer-bench-sync",
            dependencies: [
                "CloserClient",
                "CloserTUI",
                "CloserCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "bench/sync/Sources",
            swiftSettings: swiftSettings
        ),

        .testTarget(
            name: "CloserCoreTests",
            dependencies: ["CloserCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CloserTUITests",
            dependencies: ["CloserTUI", "CloserCore", "CNcursesw"],
            exclude: ["Goldens"],
            swiftSettings: swiftSettings
        ),
        // The client against the real server, in process on a loopback port.
        .testTarget(
            name: "CloserClientTests",
            dependencies: [
                "CloserClient",
                "CloserCore",
                "CloserServer",
                // The UI's debounce and the engine together: keystrokes in, writes and saves counted.
                "CloserTUI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // Fault injection: a trigger in the real server's database makes its sends fail.
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        // Drives the real binaries in tmux, against real services.
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["CloserCore"],
            exclude: ["Support/forwarding_proxy.py"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CloserServerTests",
            dependencies: [
                "CloserServer",
                "CloserCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            exclude: ["Interop"],
            swiftSettings: swiftSettings
        ),
    ]
)
