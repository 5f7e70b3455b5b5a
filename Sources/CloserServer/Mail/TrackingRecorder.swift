import CloserCore
import Foundation
import Logging
import SQLKit
import ServiceLifecycle
import Synchronization

/// Records opens and clicks off the request path. The pixel and the redirect answer at once;
/// hits are written in batches, one transaction per rep per batch: the writer takes whatever has
/// arrived, writes it, and meanwhile the next hits gather for the next batch (group commit). A
/// lone open is written at once (the rep's toast must not wait for a timer), and a burst of opens
/// (a newsletter, a scanner) costs a handful of commits instead of one each, with one notification
/// per message per batch ("opened 3 times"), not a storm of bells.
///
/// On graceful shutdown whatever is pending is written before the service ends. A hard crash can
/// lose the hits of the batch being gathered; the recipient has had their GIF or redirect either way.
final class TrackingRecorder: Service, Sendable {
    struct Hit: Sendable {
        enum Target: Sendable {
            case open(trackingId: String)
            case click(link: TrackingStore.Link)
        }

        let target: Target
        let isHead: Bool
        let ip: String?
        let userAgent: String?
        let at: Date
    }

    private let database: Database
    private let committer: ChangeCommitter
    private let classifier: TrafficClassifier
    private let logger: Logger
    private struct Queue {
        var hits: [Hit] = []
        /// Hits refused since the last write because the queue was full.
        var dropped = 0
    }

    private let queue = Mutex(Queue())
    /// At most this many hits wait to be written (on the order of 100 MB). A flood beyond what the
    /// database can take is shed here, counted and logged, instead of growing the server's memory
    /// until it dies; the recipient still gets their GIF or redirect.
    private let maxPending: Int
    private let wake: AsyncStream<Void>.Continuation
    private let wakes: AsyncStream<Void>

    init(database: Database, committer: ChangeCommitter, classifier: TrafficClassifier, logger: Logger, maxPending: Int = 250_000) {
        self.database = database
        self.committer = committer
        self.classifier = classifier
        self.logger = logger
        self.maxPending = maxPending
        (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues a hit; never blocks the request.
    func record(_ hit: Hit) {
        let first = queue.withLock { queue -> Bool in
            guard queue.hits.count < maxPending else {
                queue.dropped += 1
                return false
            }
            queue.hits.append(hit)
            return queue.hits.count == 1
        }
        if first { wake.yield() }
    }

    /// Hits waiting to be written.
    var pendingCount: Int { queue.withLock { $0.hits.count } }

    func run() async throws {
        await database.migrated.wait()
        // A graceful shutdown ends the loop after the batch being written, never in the middle of
        // one (cancelling it lost the whole batch); then whatever is left is written too.
        await withGracefulShutdownHandler {
            for await _ in self.wakes {
                await self.writePending()
            }
        } onGracefulShutdown: {
            self.wake.finish()
        }
        while await writePending() {}
    }

    /// Writes what is queued as one batch. Returns whether there was anything to write.
    @discardableResult
    func writePending() async -> Bool {
        let (hits, dropped) = queue.withLock { queue in
            defer { queue = Queue() }
            return (queue.hits, queue.dropped)
        }
        if dropped > 0 {
            logger.warning("tracking hits arrive faster than they can be written; some were not recorded",
                           metadata: ["dropped": "\(dropped)", "queueLimit": "\(maxPending)"])
        }
        guard !hits.isEmpty else { return false }
        do {
            try await write(hits)
        } catch {
            logger.error("could not record tracking hits", metadata: ["count": "\(hits.count)", "error": "\(error)"])
        }
        return true
    }

    /// One message's hits in this batch, resolved.
    private struct Resolved {
        let message: Message
        let userId: String
        var hits: [(Hit, linkId: String?)]
    }

    private func write(_ hits: [Hit]) async throws {
        // Resolve every hit to its message; unknown pixels (old, forged, typo'd) are dropped here.
        var byMessage: [String: Resolved] = [:]
        try await database.read { db in
            let store = MessageStore(db: db)
            var openCache: [String: (Message, String)?] = [:]
            for hit in hits {
                let found: (message: Message, userId: String)?
                var linkId: String?
                switch hit.target {
                case .open(let trackingId):
                    if let cached = openCache[trackingId] {
                        found = cached.map { (message: $0.0, userId: $0.1) }
                    } else {
                        found = try await store.find(trackingId: trackingId)
                        openCache[trackingId] = found.map { ($0.message, $0.userId) }
                    }
                case .click(let link):
                    linkId = link.id
                    if let known = byMessage[link.messageId] {
                        found = (known.message, known.userId)
                    } else {
                        found = try await store.findWithOwner(id: link.messageId)
                    }
                }
                guard let found else { continue }
                byMessage[found.message.id, default: Resolved(message: found.message, userId: found.userId, hits: [])].hits.append((hit, linkId))
            }
        }
        for userId in Set(byMessage.values.map(\.userId)).sorted() {
            let messages = byMessage.values.filter { $0.userId == userId }.sorted { $0.message.id < $1.message.id }
            try await committer.commit(userId: userId) { db, events in
                for resolved in messages {
                    events += try await self.record(resolved, db: db)
                }
            }
        }
    }

    /// Writes one message's hits and returns the events they cause.
    private func record(_ resolved: Resolved, db: StoreDatabase) async throws -> [ServerEvent] {
        let tracking = TrackingStore(db: db)
        var message = resolved.message
        var humanOpens = 0
        var humanClicks = 0
        var firstOpen: Date?
        var firstClick: Date?
        var rows: [TrackingStore.EventRow] = []
        rows.reserveCapacity(resolved.hits.count)
        for (hit, linkId) in resolved.hits {
            let kind: TrackingStore.Kind = if case .open = hit.target { .open } else { .click }
            let verdict = classifier.classify(isHead: hit.isHead, userAgent: hit.userAgent, sentAt: message.createdAt, at: hit.at)
            let machine = verdict != .human
            rows.append(TrackingStore.EventRow(messageId: message.id, userId: resolved.userId, kind: kind, linkId: linkId, ip: hit.ip,
                                               userAgent: hit.userAgent.map { String($0.prefix(512)) }, machine: machine, at: hit.at))
            guard !machine else { continue }
            switch kind {
            case .open:
                humanOpens += 1
                if message.openedAt == nil, firstOpen == nil, try await tracking.markFirst(.open, messageId: message.id, at: hit.at) { firstOpen = hit.at }
            case .click:
                humanClicks += 1
                if message.clickedAt == nil, firstClick == nil, try await tracking.markFirst(.click, messageId: message.id, at: hit.at) { firstClick = hit.at }
            }
        }
        try await tracking.recordEvents(rows)
        var events: [ServerEvent] = []
        if firstOpen != nil || firstClick != nil {
            message.openedAt = message.openedAt ?? firstOpen.map { Date(millis: $0.millis) }
            // A click implies the email was opened, even when the pixel was blocked.
            if firstClick != nil, message.openedAt == nil, let at = firstClick,
               try await tracking.markFirst(.open, messageId: message.id, at: at) {
                message.openedAt = Date(millis: at.millis)
            }
            message.clickedAt = message.clickedAt ?? firstClick.map { Date(millis: $0.millis) }
            events.append(.messagesUpdated(MessagesUpdated(action: .update, message: message)))
        }
        guard humanOpens > 0 || humanClicks > 0,
              let lead = try await LeadStore(db: db).find(id: message.leadId, userId: resolved.userId) else { return events }
        let what = message.subject.map { "“\($0)”" } ?? "your email"
        let now = resolved.hits.last?.0.at ?? Date()
        if humanOpens > 0 {
            events += try await notify(.emailOpened, activity: .emailOpened, text: "\(lead.name) opened \(what)", count: humanOpens,
                                       lead: lead, message: message, userId: resolved.userId, at: now, db: db)
        }
        if humanClicks > 0 {
            events += try await notify(.linkClicked, activity: .linkClicked, text: "\(lead.name) clicked a link in \(what)", count: humanClicks,
                                       lead: lead, message: message, userId: resolved.userId, at: now, db: db)
        }
        return events
    }

    /// One notification and one activity entry for `count` human hits of a kind in this batch.
    private func notify(_ kind: NotificationKind, activity activityKind: ActivityKind, text: String, count: Int, lead: Lead, message: Message,
                        userId: String, at now: Date, db: StoreDatabase) async throws -> [ServerEvent] {
        let text = count > 1 ? "\(text) (\(count) times)" : text
        let activity = try await ActivityStore(db: db).append(
            userId: userId, kind: activityKind, lead: lead, actor: lead.name, summary: text,
            data: ["messageId": .string(message.id), "count": .number(Double(count))], at: now
        )
        return [
            .notification(ServerNotification(kind: kind, leadId: lead.id, leadName: lead.name, messageId: message.id, text: text, at: now)),
            .activityUpdated(ActivityUpdated(activity: activity)),
        ]
    }
}
