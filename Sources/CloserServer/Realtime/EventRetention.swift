import CloserCore
import Foundation
import Logging
import ServiceLifecycle

/// Prunes each rep's event log to the configured count and age, periodically. A client whose
/// offset falls before what is kept gets `resync` and reloads over REST.
final class EventRetention: Service, Sendable {
    private let database: Database
    private let keep: Int
    private let maxAge: Duration
    private let interval: Duration
    private let logger: Logger

    init(database: Database, keep: Int, maxAge: Duration, interval: Duration = .seconds(600), logger: Logger) {
        self.database = database
        self.keep = keep
        self.maxAge = maxAge
        self.interval = interval
        self.logger = logger
    }

    func run() async throws {
        await database.migrated.wait()
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.pruneAll()
                try await Task.sleep(for: self.interval)
            }
        }
    }

    func pruneAll() async {
        do {
            let users = try await database.read { db in try await UserStore(db: db).all() }
            let cutoff = Date().addingTimeInterval(-maxAge.timeInterval)
            for user in users {
                try await database.write { db in
                    try await EventLogStore(db: db).prune(userId: user.id, keep: keep, olderThan: cutoff)
                }
            }
        } catch {
            logger.error("event log pruning failed", metadata: ["error": "\(error)"])
        }
    }
}
