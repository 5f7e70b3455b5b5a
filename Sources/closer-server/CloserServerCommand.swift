import ArgumentParser
import CloserServer
import Foundation
import Logging

/// `closer-server`: the messaging server. The executable only parses arguments; the server lives
/// in the CloserServer library.
@main
struct CloserServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "closer-server",
        abstract: "The Closer messaging server: REST API, Socket.IO events, email tracking.",
        discussion: """
            Data lives in SQLite under $XDG_DATA_HOME/closer-server/ unless --database names another store.
            Environment: LOG_LEVEL (trace, debug, info, notice, warning, error) overrides --log-level.
            """,
        subcommands: [Serve.self, Migrate.self, UserCommand.self, SeedDemo.self],
        defaultSubcommand: Serve.self
    )
}

/// Options every subcommand that touches the database shares.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("sqlite:PATH or postgres://user:pass@host:port/db.", discussion: "Default: sqlite:$XDG_DATA_HOME/closer-server/closer.sqlite", valueName: "url"))
    var database: String?

    func url() throws -> DatabaseURL {
        guard let database else { return DatabaseURL.defaultSQLite() }
        do {
            return try DatabaseURL(parsing: database)
        } catch {
            throw ValidationError(error.description)
        }
    }
}

func makeLogger(level: Logger.Level = .info) -> Logger {
    var logger = Logger(label: "closer-server")
    logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? level
    return logger
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
