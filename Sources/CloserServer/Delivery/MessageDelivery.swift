import CloserCore
import Foundation
import Logging
import ServiceLifecycle

/// Hands queued outbound messages to their channel's provider, and retries transient failures
/// with exponential backoff until they are sent or fail for good. Nothing is dropped: a message
/// stays `queued` in the database until an attempt settles it, across restarts.
final class MessageDelivery: Service, Sendable {
    private let providers: [Channel: any ChannelProvider]
    private let database: Database
    private let committer: ChangeCommitter
    private let logger: Logger
    private let pollInterval: Duration
    /// After this many attempts a retryable failure becomes final.
    let maxAttempts: Int
    let baseBackoff: Duration

    init(providers: [Channel: any ChannelProvider], database: Database, committer: ChangeCommitter, logger: Logger,
         pollInterval: Duration = .seconds(2), maxAttempts: Int = 8, baseBackoff: Duration = .seconds(5)) {
        self.providers = providers
        self.database = database
        self.committer = committer
        self.logger = logger
        self.pollInterval = pollInterval
        self.maxAttempts = maxAttempts
        self.baseBackoff = baseBackoff
    }

    /// Attempts delivery now, waiting at most `patience` for the outcome; a slow channel keeps
    /// going in the background and reports through `messages_updated`.
    func deliverSoon(messageId: String, patience: Duration = .seconds(2)) async {
        await firstAnswer(within: patience, fallback: (), cancelLateWork: false) {
            await self.attempt(messageId: messageId)
        }
    }

    /// Claims the message and makes one delivery attempt, recording the outcome.
    func attempt(messageId: String) async {
        let now = Date()
        do {
            guard let claim = try await database.write({ db in
                try await MessageStore(db: db).claimForDelivery(id: messageId, at: now, leaseUntil: now.addingTimeInterval(120))
            }) else { return }
            guard let (lead, rep, links) = try await database.read({ db -> (Lead, User, [TrackingStore.Link])? in
                guard let lead = try await LeadStore(db: db).find(id: claim.message.leadId, userId: claim.userId),
                      let rep = try await UserStore(db: db).find(id: claim.userId)
                else { return nil }
                return (lead, rep, try await TrackingStore(db: db).links(messageId: claim.message.id))
            }) else { return }
            let provider = providers[claim.message.channel]
            let tokens = Dictionary(links.map { ($0.url, $0.token) }, uniquingKeysWith: { first, _ in first })
            let outcome = await provider?.deliver(OutboundMessage(message: claim.message, lead: lead, rep: rep, linkTokens: tokens))
                ?? .failed(reason: "no provider for \(claim.message.channel.rawValue)", retryable: false)
            try await record(outcome, for: claim.message, lead: lead, userId: claim.userId, previousAttempts: claim.attempts)
        } catch {
            logger.error("delivery attempt failed to record; it will be retried", metadata: ["message": "\(messageId)", "error": "\(error)"])
        }
    }

    private func record(_ outcome: DeliveryOutcome, for message: Message, lead: Lead, userId: String, previousAttempts: Int) async throws {
        var updated = message
        var retryAt: Date?
        switch outcome {
        case .sent:
            updated.status = .sent
            updated.failureReason = nil
        case .failed(let reason, let retryable) where retryable && previousAttempts + 1 < maxAttempts:
            updated.status = .queued
            updated.failureReason = "retrying: \(reason)"
            let backoff = baseBackoff * (1 << min(previousAttempts, 10))
            retryAt = Date().addingTimeInterval(min(backoff.timeInterval, 1800))
            logger.warning("delivery failed, will retry", metadata: ["message": "\(message.id)", "reason": "\(reason)"])
        case .failed(let reason, _):
            updated.status = .failed
            updated.failureReason = reason
            logger.warning("delivery failed", metadata: ["message": "\(message.id)", "reason": "\(reason)"])
        }
        try await committer.commit(userId: userId) { db, events in
            try await MessageStore(db: db).updateDelivery(id: message.id, status: updated.status, failureReason: updated.failureReason, retryAt: retryAt)
            events.append(.messagesUpdated(MessagesUpdated(action: .update, message: updated)))
            if updated.status == .failed {
                let activity = try await ActivityStore(db: db).append(
                    userId: userId, kind: .messageFailed, lead: lead, actor: "system",
                    summary: "Message to \(lead.name) failed: \(updated.failureReason ?? "unknown reason")",
                    data: ["messageId": .string(message.id)], at: Date()
                )
                events.append(.activityUpdated(ActivityUpdated(activity: activity)))
            }
        }
    }

    /// Polls for due messages (retries, and anything left queued by a restart) until shutdown.
    func run() async throws {
        await database.migrated.wait()
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.deliverDue()
                try await Task.sleep(for: self.pollInterval)
            }
        }
    }

    private func deliverDue() async {
        do {
            let due = try await database.read { db in try await MessageStore(db: db).dueForDelivery(at: Date(), limit: 20) }
            for id in due { await attempt(messageId: id) }
        } catch {
            logger.error("could not look for queued messages", metadata: ["error": "\(error)"])
        }
    }
}
