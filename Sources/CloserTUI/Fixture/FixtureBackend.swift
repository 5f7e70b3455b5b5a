import CloserCore
import Dispatch
import Foundation
import Synchronization

/// An `InboxBackend` over an in-memory `FixtureInbox`, for `closer --fixture` and tests: every
/// command works (sending, drafts, status changes) without a server. Nothing is persisted.
public final class FixtureBackend: InboxBackend {
    private struct State {
        var inbox: FixtureInbox
        var sink: (@Sendable (InboxEvent) -> Void)?
        var nextMessage = 1
    }

    private let state: Mutex<State>
    private let queue = DispatchQueue(label: "closer.fixture")
    /// Delay before a sent message turns from queued to sent, to show the states.
    private let deliveryDelay: TimeInterval
    private let pageSize: Int

    public init(inbox: FixtureInbox, deliveryDelay: TimeInterval = 0.3, pageSize: Int = 200) {
        state = Mutex(State(inbox: inbox))
        self.deliveryDelay = deliveryDelay
        self.pageSize = pageSize
    }

    public func start(sink: @escaping @Sendable (InboxEvent) -> Void) {
        let inbox = state.withLock { state in
            state.sink = sink
            return state.inbox
        }
        sink(.session(rep: inbox.rep, server: "fixture"))
        sink(.connection(.local))
        sink(.leads(inbox.leads))
        sink(.drafts(inbox.drafts))
        sink(.stats(inbox.stats))
        sink(.analytics(inbox.analytics))
        sink(.activity(inbox.activity, live: false))
    }

    public func perform(_ command: InboxCommand) {
        switch command {
        case .loadThread(let leadId, let before):
            let (messages, hasMore) = state.withLock { state -> ([Message], Bool) in
                let all = state.inbox.thread(for: leadId)
                let end = before.flatMap { id in all.firstIndex { $0.id == id } } ?? all.count
                let start = max(0, end - pageSize)
                return (Array(all[start..<end]), start > 0)
            }
            emit(.thread(leadId: leadId, messages: messages, hasMore: hasMore, replacing: before == nil))
        case .saveDraft(let edit):
            emit(.draftSaved(leadId: edit.leadId, savedAt: Date(), synced: true))
        case .discardDraft:
            break
        case .send(let outgoing):
            send(outgoing)
        case .retry(let clientId):
            let failed = state.withLock { state in
                state.inbox.threads.values.joined().first { $0.clientId == clientId }
            }
            if let failed {
                send(OutgoingMessage(leadId: failed.leadId, body: failed.body, subject: failed.subject, channel: failed.channel, clientId: clientId))
            }
        case .withdraw(let clientId):
            state.withLock { state in
                for leadId in state.inbox.threads.keys { state.inbox.threads[leadId]?.removeAll { $0.clientId == clientId && $0.status == .failed } }
            }
        case .forgetDraftCopy:
            break
        case .markRead(let leadId):
            let lead = updateLead(leadId) { $0.unreadCount = 0 }
            if let lead { emit(.leadUpserted(lead)) }
        case .setStatus(let leadId, let status):
            let lead = updateLead(leadId) { $0.status = status }
            if let lead { emit(.leadUpserted(lead)) }
        case .refresh:
            let leads = state.withLock { $0.inbox.leads }
            emit(.leads(leads))
        }
    }

    public func flush(timeout: Double) {}

    public func stop() {
        state.withLock { $0.sink = nil }
    }

    private func send(_ outgoing: OutgoingMessage) {
        let now = Date()
        let queued = Message(id: "local:\(outgoing.clientId)", leadId: outgoing.leadId, body: outgoing.body, subject: outgoing.subject,
                             channel: outgoing.channel, direction: .outbound, status: .queued, clientId: outgoing.clientId, createdAt: now)
        emit(.messageUpserted(queued))
        queue.asyncAfter(deadline: .now() + deliveryDelay) { [self] in
            let sent = state.withLock { state -> Message in
                state.nextMessage += 1
                var message = queued
                message.id = String(format: "40000000-0000-4000-8000-%012d", state.nextMessage)
                message.status = .sent
                message.trackingId = outgoing.channel == .email ? String(format: "%032x", state.nextMessage) : nil
                var thread = state.inbox.thread(for: outgoing.leadId)
                thread.removeAll { $0.clientId == outgoing.clientId }
                thread.append(message)
                state.inbox.threads[outgoing.leadId] = thread
                return message
            }
            emit(.messageUpserted(sent))
            if let lead = updateLead(outgoing.leadId, { lead in
                lead.lastMessage = sent
                lead.lastActivityAt = sent.createdAt
                if lead.status == .new { lead.status = .contacted }
            }) {
                emit(.leadUpserted(lead))
            }
        }
    }

    private func updateLead(_ id: String, _ change: (inout Lead) -> Void) -> Lead? {
        state.withLock { state in
            guard let index = state.inbox.leads.firstIndex(where: { $0.id == id }) else { return nil }
            change(&state.inbox.leads[index])
            return state.inbox.leads[index]
        }
    }

    private func emit(_ event: InboxEvent) {
        let sink = state.withLock { $0.sink }
        sink?(event)
    }
}
