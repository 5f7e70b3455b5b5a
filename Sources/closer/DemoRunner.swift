import CloserClient
import CloserCore
import CloserServer
import CloserTUI
import Foundation
import Logging

/// `closer --demo`: closer-server in process on a free loopback port with its own SQLite database
/// under `$XDG_DATA_HOME/closer/demo/`, signed in automatically, the simulator running, and the
/// real sync engine and terminal client on top. Drafts and the cache live in the same folder, so
/// they survive a restart; `--demo-reset` starts over.
enum DemoRunner {
    static func run(reset: Bool, speed: Double, config: ClientConfig, themeName: String?, ascii: Bool, environment: [String: String]) async throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw DemoError("the demo is a terminal application: run it in a terminal (or in tmux)")
        }
        guard speed > 0, speed <= 100 else { throw DemoError("--demo-speed takes a number above 0 (up to 100)") }
        let directory = XDGDirectories.dataHome(environment, home: environment["HOME"] ?? NSHomeDirectory()) + "/closer/demo"
        let clientDirectory = directory + "/client"
        if reset { try? FileManager.default.removeItem(atPath: clientDirectory) }
        try FileManager.default.createDirectory(atPath: clientDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])

        // The terminal belongs to the client: the server logs nothing on it.
        var logger = Logger(label: "closer-demo") { _ in SwiftLogNoOpLogHandler() }
        logger.logLevel = .critical
        let server = try await DemoServer.start(directory: directory, reset: reset, speed: speed, logger: logger)
        do {
            let cache = try ClientCache(path: clientDirectory + "/cache.sqlite")
            let backend = SyncEngine(server: server.baseURL, token: server.token, cache: cache)
            try await TerminalRunner.run(backend: backend, config: config, themeName: themeName, ascii: ascii, environment: environment)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
        print("closer: the demo's emails are in \(server.spoolDirectory); its data is in \(directory) (--demo-reset starts over)")
    }

    struct DemoError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
