import Foundation
import Logging
import PostgresNIO
import SQLKit
import ServiceLifecycle

/// Fan-out between server instances that share one PostgreSQL: each commit NOTIFYs
/// `closer_events` with "userId:offset" (never the payload: NOTIFY carries 8000 bytes at most),
/// and every instance LISTENs and reads the new events from the log for its own sockets.
///
/// The NOTIFY is part of the statement that appends the events (`EventLogStore.append`), inside
/// the writing transaction, so it is delivered exactly when the change commits.
enum PostgresFanout {
    static let channel = "closer_events"
}

/// Holds one LISTEN connection and hands notifications to the hub. When the connection drops it
/// reconnects with backoff, then catches every subscribed rep up from the log, so nothing
/// committed while it was away is missed.
final class PostgresEventListener: Service, Sendable {
    private let configuration: PostgresConnection.Configuration
    private let hub: EventHub
    private let database: Database
    private let logger: Logger

    init(host: String, port: Int, user: String, password: String?, database name: String, hub: EventHub, database: Database, logger: Logger) {
        configuration = PostgresConnection.Configuration(host: host, port: port, username: user, password: password, database: name, tls: .disable)
        self.hub = hub
        self.database = database
        self.logger = logger
    }

    func run() async throws {
        await database.migrated.wait()
        var backoff: Duration = .milliseconds(200)
        var connectionNumber = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            connectionNumber += 1
            do {
                let connection = try await PostgresConnection.connect(configuration: configuration, id: connectionNumber, logger: logger)
                backoff = .milliseconds(200)
                do {
                    try await cancelWhenGracefulShutdown {
                        try await connection.listen(on: PostgresFanout.channel) { notifications in
                            // Anything committed before LISTEN took effect is read from the log.
                            await self.catchUp()
                            for try await notification in notifications {
                                await self.handle(notification.payload)
                            }
                        }
                    }
                } catch {
                    if !Task.isCancelled { logger.warning("LISTEN connection lost; reconnecting", metadata: ["error": "\(String(reflecting: error))"]) }
                }
                try? await connection.close()
            } catch {
                logger.warning("cannot LISTEN on PostgreSQL; retrying", metadata: ["error": "\(String(reflecting: error))"])
            }
            guard !Task.isCancelled && !Task.isShuttingDownGracefully else { break }
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, .seconds(10))
        }
    }

    private func handle(_ payload: String) async {
        let parts = payload.split(separator: ":")
        guard parts.count == 2, let offset = Int(parts[1]) else { return }
        await hub.advance(userId: String(parts[0]), to: offset)
    }

    /// Brings every rep with sockets here up to the newest offset in the log.
    private func catchUp() async {
        for userId in hub.subscribedUsers() {
            guard let current = try? await database.read({ db in try await EventLogStore(db: db).bounds(userId: userId).current }) else { continue }
            await hub.advance(userId: userId, to: current)
        }
    }
}
