import CloserCore
import Foundation
import SQLKit

/// The one way data changes: a transaction that also appends the events the change causes to the
/// rep's log, then (after commit) hands those events to the hub for live delivery.
///
/// Logging the events in the same transaction as the change is what makes replay exact: an event
/// exists if and only if its change committed.
struct ChangeCommitter: Sendable {
    let database: Database
    let hub: EventHub

    /// Runs `body` in a transaction; the events it appends are logged with it and published after.
    func commit<T: Sendable>(userId: String, _ body: (StoreDatabase, inout [ServerEvent]) async throws -> T) async throws -> T {
        let (result, logged) = try await database.write { db -> (T, [LoggedEvent]) in
            var events: [ServerEvent] = []
            let result = try await body(db, &events)
            let logged = try await EventLogStore(db: db).append(userId: userId, events: events, at: Date())
            return (result, logged)
        }
        await hub.publish(userId: userId, events: logged)
        return result
    }

    /// For a change made by one statement that logs its own events (a data-modifying CTE on
    /// PostgreSQL): runs `body`, which returns its result and the events it logged, outside an
    /// explicit transaction (one statement is one), then publishes the events.
    func commitLogged<T: Sendable>(userId: String, _ body: (StoreDatabase) async throws -> (T, [LoggedEvent])) async throws -> T {
        let (result, logged) = try await database.writeOneStatement(body)
        await hub.publish(userId: userId, events: logged)
        return result
    }
}
