import ArgumentParser
import CloserClient
import CloserCore
import CloserTUI
import Foundation

/// `closer`: the terminal sales inbox.
@main
struct CloserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "closer",
        abstract: "A real-time sales inbox in the terminal.",
        discussion: """
            Config: $XDG_CONFIG_HOME/closer/config.toml. Themes: $XDG_CONFIG_HOME/closer/themes/.
            Sign in first with `closer login --server URL --email E`.
            Environment: CLOSER_SERVER and CLOSER_TOKEN override the stored sign-in; NO_COLOR disables
            colour; CLOSER_TRACE=FILE writes a debug trace.
            """,
        subcommands: [Login.self, Logout.self]
    )

    @Flag(help: "The live demo: a real server in process with a seeded rep, and simulated leads replying, opening and clicking.")
    var demo = false

    @Flag(name: .customLong("demo-reset"), help: "With --demo: start from fresh demo data.")
    var demoReset = false

    @Option(name: .customLong("demo-speed"), help: "With --demo: the simulator's pace (2 is twice as busy, 0.5 half).")
    var demoSpeed = 1.0

    @Flag(help: "Run on built-in sample data, without a server.")
    var fixture = false

    @Option(name: .customLong("fixture-size"), help: ArgumentHelp("With --fixture: LEADS:THREAD, a generated inbox of LEADS leads whose first thread has THREAD messages (for benchmarks).", visibility: .hidden))
    var fixtureSize: String?

    @Option(help: "The colour theme to start with (default, light, solarized-dark, high-contrast, monochrome, or your own).")
    var theme: String?

    @Flag(help: "Draw with ASCII only, whatever the locale.")
    var ascii = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let config: ClientConfig
        do {
            config = try ClientConfig.load(environment: environment)
        } catch {
            throw ValidationError(error.description)
        }
        if demo {
            try await DemoRunner.run(reset: demoReset, speed: demoSpeed, config: config, themeName: theme, ascii: ascii, environment: environment)
            return
        }
        guard fixture else {
            guard let credentials = try Credentials.load(environment: environment) else {
                throw ValidationError("""
                    not signed in: run `closer login --server URL --email YOU@EXAMPLE.COM` (or set CLOSER_SERVER and CLOSER_TOKEN);
                    `closer --fixture` shows the interface on sample data
                    """)
            }
            let cache = try ClientCache(path: credentials.cachePath(environment: environment))
            let backend = SyncEngine(server: credentials.server, token: credentials.token, cache: cache)
            try await TerminalRunner.run(backend: backend, config: config, themeName: theme, ascii: ascii, environment: environment)
            return
        }
        try await TerminalRunner.run(backend: try fixtureBackend(), config: config, themeName: theme, ascii: ascii, environment: environment)
    }

    /// The fixture inbox's backend. Built here so that the backend holds the only copy of the
    /// inbox: a local of `run()` lives as long as the app, and kept a third copy of a large
    /// fixture's lead list (2.9 MB at 10,000) once the backend and the app had each changed theirs.
    private func fixtureBackend() throws -> FixtureBackend {
        var inbox = Fixtures.inbox(now: Date())
        if let fixtureSize {
            let parts = fixtureSize.split(separator: ":").compactMap { Int($0) }
            guard parts.count == 2, parts[0] > 0, parts[1] >= 0 else { throw ValidationError("--fixture-size takes LEADS:THREAD, e.g. 10000:5000") }
            inbox = Fixtures.large(leadCount: parts[0], threadLength: parts[1], now: Date())
        }
        return FixtureBackend(inbox: inbox, pageSize: max(200, inbox.threads.values.map(\.count).max() ?? 0))
    }
}

/// Starts the terminal application on a thread of its own (it blocks in `poll`) and waits for it.
enum TerminalRunner {
    static func run(backend: any InboxBackend, config: ClientConfig, themeName: String?, ascii: Bool, environment: [String: String]) async throws {
        // `/proc/self/exe` rather than `Bundle.main`, which sets up CoreFoundation's bundle machinery
        // and parses URLs only to give the same path.
        let catalog = ThemeCatalog(environment: environment, executablePath: "/proc/self/exe")
        let name = themeName ?? config.theme
        let (theme, warning) = catalog.load(name)
        var settings = AppSettings()
        settings.keymap = config.keymap
        settings.glyphs = ascii || config.ascii ? .ascii : Glyphs.forLocale(environment: environment)
        settings.autosaveDelay = Double(config.autosaveDelayMilliseconds) / 1000
        settings.notifications = config.notifications
        settings.timeZone = .system
        settings.availableThemes = catalog.available()
        let options = TerminalApp.Options(
            settings: settings, theme: theme, themeName: warning == nil ? name : "default", themeWarning: warning,
            catalog: catalog, environment: environment, desktopNotifications: config.notifications.desktop
        )
        let app = try TerminalApp(backend: backend, options: options)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let thread = Thread {
                app.run()
                continuation.resume()
            }
            thread.name = "closer-ui"
            thread.start()
        }
    }
}
