import CloserCore
import Foundation
import Logging
import Synchronization

/// Hands committed events to the subscribers (sockets) of their rep on this instance, in offset
/// order, with no gap.
///
/// Events arrive in two ways: in hand, right after a local commit, or as a bare "rep R has events
/// up to offset N" (a PostgreSQL notification from another instance). Either way the hub delivers
/// every offset after the last one it delivered for that rep, reading any it does not hold from
/// the log. A per-rep lane keeps deliveries for one rep in order while reps proceed in parallel.
public final class EventHub: Sendable {
    /// Identifies one subscription, for `unsubscribe`.
    public struct SubscriptionID: Hashable, Sendable {
        fileprivate let value: UInt64
    }

    public typealias Deliver = @Sendable ([EncodedEvent]) -> Void

    private struct RepState {
        var delivered: Int
        var subscribers: [UInt64: Deliver] = [:]
    }

    private struct State {
        var reps: [String: RepState] = [:]
        /// Reps whose first subscriber is reading its start offset: events committed meanwhile
        /// must wait for the subscription rather than be skipped as having no one to go to.
        var subscribing: [String: Int] = [:]
        /// A rep's lane, while anyone is in it or waiting for it; see `inLane`.
        var lanes: [String: Lane] = [:]
        var nextID: UInt64 = 0
    }

    private struct Lane {
        let lane = AsyncSerialLane()
        /// Callers in the lane or waiting for it.
        var users = 0
    }

    private let database: Database
    private let logger: Logger
    private let state = Mutex(State())
    /// Called after events that change KPIs reach a rep with subscribers.
    private let onStatsAffected: Mutex<(@Sendable (String) -> Void)?> = Mutex(nil)

    init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// Sets who hears about KPI-changing events (the stats broadcaster).
    func onStatsAffected(_ handler: @escaping @Sendable (String) -> Void) {
        onStatsAffected.withLock { $0 = handler }
    }

    /// Registers `deliver` for every event of the rep committed from now on, in order. Returns the
    /// subscription and the offset from which live delivery starts: the subscriber replays from
    /// the log up to at least that offset, then drops live events it has already replayed.
    public func subscribe(userId: String, deliver: @escaping Deliver) async throws -> (SubscriptionID, startOffset: Int) {
        state.withLock { $0.subscribing[userId, default: 0] += 1 }
        defer {
            state.withLock { state in
                state.subscribing[userId, default: 1] -= 1
                if state.subscribing[userId] == 0 { state.subscribing[userId] = nil }
            }
        }
        return try await inLane(userId) {
            let existing = state.withLock { $0.reps[userId]?.delivered }
            let start: Int
            if let existing {
                start = existing
            } else {
                start = try await database.read { db in try await EventLogStore(db: db).bounds(userId: userId).current }
            }
            let id = state.withLock { state -> UInt64 in
                state.nextID += 1
                var rep = state.reps[userId] ?? RepState(delivered: start)
                rep.subscribers[state.nextID] = deliver
                state.reps[userId] = rep
                return state.nextID
            }
            return (SubscriptionID(value: id), start)
        }
    }

    /// Every rep with subscribers here, for catching up after a lost PostgreSQL listener.
    func subscribedUsers() -> [String] {
        state.withLock { Array($0.reps.keys) }
    }

    public func unsubscribe(userId: String, _ id: SubscriptionID) {
        state.withLock { state in
            state.reps[userId]?.subscribers[id.value] = nil
            if state.reps[userId]?.subscribers.isEmpty == true {
                state.reps[userId] = nil
            }
        }
    }

    /// How many subscribers this instance holds for the rep.
    public func subscriberCount(userId: String) -> Int {
        state.withLock { $0.reps[userId]?.subscribers.count ?? 0 }
    }

    /// Reps the hub keeps anything for: a delivery state (while they have subscribers) or a lane
    /// (while a delivery or subscription runs). Both go once a rep's last socket has.
    var retainedReps: Int {
        state.withLock { Set($0.reps.keys).union($0.lanes.keys).count }
    }

    /// Delivers events just committed on this instance.
    func publish(userId: String, events: [LoggedEvent]) async {
        guard let last = events.last?.offset else { return }
        await advance(userId: userId, to: last, known: events)
    }

    /// Delivers everything for the rep up to `offset`, reading from the log what is not in `known`.
    func advance(userId: String, to offset: Int, known: [LoggedEvent] = []) async {
        // A rep nobody here listens to (or is about to) has nothing to deliver.
        guard state.withLock({ $0.reps[userId] != nil || $0.subscribing[userId] != nil }) else { return }
        do {
            try await inLane(userId) {
                // (A subscription that failed leaves no rep state: nothing to do then either.)
                guard let delivered = state.withLock({ $0.reps[userId]?.delivered }), offset > delivered else { return }
                var batch = known.filter { $0.offset > delivered && $0.offset <= offset }
                if batch.first?.offset != delivered + 1 || batch.last?.offset != offset || batch.count != offset - delivered {
                    batch = try await database.read { db in
                        try await EventLogStore(db: db).events(userId: userId, after: delivered, limit: offset - delivered)
                    }
                }
                guard let reached = batch.last?.offset else { return }
                let subscribers = state.withLock { state -> [Deliver] in
                    state.reps[userId]?.delivered = reached
                    return state.reps[userId].map { Array($0.subscribers.values) } ?? []
                }
                let encoded = batch.map(EncodedEvent.init)
                for deliver in subscribers { deliver(encoded) }
                // Opens and clicks change the KPIs without changing a message (after the first).
                if batch.contains(where: { $0.name == .messagesUpdated || $0.name == .leadsUpdated || $0.name == .notification }) {
                    onStatsAffected.withLock { $0 }?(userId)
                }
            }
        } catch {
            logger.error("event delivery for a rep failed; their clients will catch up on reconnect", metadata: ["error": "\(error)"])
        }
    }

    /// Runs `body` in the rep's lane, after whatever entered it before.
    ///
    /// A lane orders work only while there is work: the offsets it protects live in `reps`. So it
    /// exists only while someone is in it or waiting for it, and every use goes through here,
    /// where the count is kept. A server that has seen thousands of reps holds lanes for the few
    /// with a delivery under way, not one for every rep since it started.
    private func inLane<T>(_ userId: String, _ body: () async throws -> T) async throws -> T {
        let lane = state.withLock { state in
            state.lanes[userId, default: Lane()].users += 1
            return state.lanes[userId]!.lane
        }
        defer {
            state.withLock { state in
                state.lanes[userId]?.users -= 1
                if state.lanes[userId]?.users == 0 { state.lanes[userId] = nil }
            }
        }
        return try await lane.run(body)
    }
}
