import ArgumentParser
import CloserServer
import Hummingbird
import Logging

/// `closer-server serve`: run the server until SIGINT or SIGTERM, then finish in-flight requests.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server (the default command).")

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one).") var port = 8080
    @OptionGroup var database: DatabaseOptions
    @Option(name: .customLong("public-url"), help: "Base URL recipients reach this server at, for tracking links and pixels.")
    var publicURL: String?
    @Option(name: .customLong("max-body-bytes"), help: "Largest request body accepted; larger ones get 413.")
    var maxBodyBytes = 1 << 20
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        var configuration = ServerConfiguration(database: try database.url())
        configuration.host = host
        configuration.port = port
        configuration.publicURL = publicURL
        configuration.maxBodyBytes = maxBodyBytes
        configuration.logLevel = logLevel
        let (application, _) = try await buildApplication(configuration, logger: makeLogger(level: logLevel))
        try await application.runService()
    }
}
