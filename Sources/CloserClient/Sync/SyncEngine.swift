import CloserCore
import Foundation
import Logging
import Synchronization

/// The terminal client's backend over a real server: the cache first, then REST, then live
/// Socket.IO events, with drafts and outgoing messages written locally before anything goes
/// upstream.
///
/// Every rep action is durable in the cache when `perform` returns (a local SQLite write, well
/// under the 2 ms budget); the network work happens on background tasks and reports back through
/// the sink. Events are applied in offset order, each once, and the last applied offset is kept in
/// the cache so a reconnect (or the next start) replays exactly what was missed.
public final class SyncEngine: InboxBackend {
    public struct Options: Sendable {
        /// Outbox attempts the server answered badly (5xx, 429, a timeout) before a message shows
        /// "failed" and waits for the rep. Attempts that never reached the server do not count:
        /// offline, a message waits as long as it takes.
        public var maxSendAttempts = 5
        /// The wait before the outbox tries again after a failed round: doubling from `first`
        /// up to `limit`, and back to `first` once something is delivered.
        public var outboxRetry = SocketIOClient.Backoff()
        public var socketBackoff = SocketIOClient.Backoff()
        public init() {}
    }

    private struct State {
        var sink: (@Sendable (InboxEvent) -> Void)?
        /// Background work still running, so `stop` can cancel it; each removes itself when done.
        var tasks: [UUID: Task<Void, Never>] = [:]
        var stopped = false
        var lastOffset: Int?
        /// The `savedAt` of every draft text this client pushed, per lead: their `drafts_updated`
        /// echoes are ours, not another device's.
        var pushed: [String: Set<Int64>] = [:]
        /// Threads the UI has loaded: a resync reloads them, since their missed events are gone.
        var loadedThreads: Set<String> = []
        /// The server's newest offset when the socket (re)connected: events up to it are replayed
        /// history, not news, so their notifications become one summary instead of many bells.
        var replayedThrough = 0
        /// A replay is under way: `.replayFinished` goes out once it reaches `replayedThrough`.
        var replayPending = false
        /// The lists, stats and session have not been loaded over REST yet (the server was down at
        /// start): the first time the socket is online, they are.
        var needsRefresh = true
        /// Failed outbox rounds in a row, for the retry backoff; and whether a retry is waiting.
        var outboxFailures = 0
        var outboxRetryScheduled = false
        /// The server's lead list has been shown: the cache's (older) full list must not follow it.
        var leadsFromServer = false
    }

    private let server: String
    private let api: APIClient
    private let cache: ClientCache
    private let options: Options
    private let logger: Logger
    private let state = Mutex(State())
    private let drafts: DraftPusher
    private let outbox: OutboxDeliverer

    public init(server: String, token: String, cache: ClientCache, http: CurlHTTPClient = CurlHTTPClient(),
                options: Options = Options(), logger: Logger = Logger(label: "closer.sync")) {
        self.server = server
        api = APIClient(baseURL: server, token: token, http: http)
        self.cache = cache
        self.options = options
        self.logger = logger
        drafts = DraftPusher()
        outbox = OutboxDeliverer()
    }

    // MARK: InboxBackend

    public func start(sink: @escaping @Sendable (InboxEvent) -> Void) {
        let offset = try? cache.lastOffset()
        state.withLock { state in
            state.sink = sink
            state.lastOffset = offset
        }
        emitCache()
        emit(.connection(.connecting(retryAt: nil)))
        let socket = SocketIOClient(serverURL: server, token: api.token ?? "", backoff: options.socketBackoff, logger: logger)
        spawn { [self] in
            await refresh()
            await socket.run(offset: { [self] in state.withLock { $0.lastOffset } }) { [self] update in await handle(update) }
        }
    }

    public func perform(_ command: InboxCommand) {
        switch command {
        case .loadThread(let leadId, let before):
            if before == nil, let cached = try? cache.thread(leadId: leadId), !cached.isEmpty {
                emit(.thread(leadId: leadId, messages: cached, hasMore: true, replacing: true))
            }
            spawn { [self] in await loadThread(leadId: leadId, before: before) }
        case .saveDraft(let edit):
            let savedAt = Date()
            do {
                try cache.saveDraftLocally(edit, at: savedAt)
                emit(.draftSaved(leadId: edit.leadId, savedAt: savedAt, synced: false))
            } catch {
                emit(.problem("could not save the draft locally: \(error)"))
                return
            }
            spawn { [self] in await pushDraft(leadId: edit.leadId) }
        case .discardDraft(let leadId):
            try? cache.deleteDraft(leadId: leadId)
            spawn { [self] in
                do { try await api.deleteDraft(leadId: leadId) } catch { logger.debug("draft delete not pushed: \(error)") }
            }
        case .send(let message):
            do {
                try cache.enqueue(message, at: Date())
            } catch {
                emit(.problem("could not queue the message: \(error)"))
                return
            }
            try? cache.deleteDraft(leadId: message.leadId)
            emit(.messageUpserted(localMessage(for: message, status: .queued, reason: nil)))
            spawn { [self] in await deliverOutbox() }
        case .retry(let clientId):
            try? cache.resetAttempts(clientId: clientId)
            spawn { [self] in await deliverOutbox() }
        case .withdraw(let clientId):
            do {
                try cache.withdraw(clientId: clientId)
            } catch {
                emit(.problem("could not take the message out of the outbox: \(error)"))
            }
        case .forgetDraftCopy(let copy):
            try? cache.forgetConflictingDraft(copy)
        case .markRead(let leadId):
            spawn { [self] in
                do {
                    _ = try await api.markRead(leadId: leadId)
                    let lead = try await api.lead(id: leadId)
                    try? cache.upsertLead(lead)
                    emit(.leadUpserted(lead))
                } catch { report(error) }
            }
        case .setStatus(let leadId, let status):
            spawn { [self] in
                do {
                    let lead = try await api.updateLead(id: leadId, UpdateLeadRequest(status: status))
                    try? cache.upsertLead(lead)
                    emit(.leadUpserted(lead))
                } catch { report(error) }
            }
        case .refresh:
            spawn { [self] in await refresh() }
        }
    }

    /// Drafts and outgoing messages are in the cache as soon as `perform` returns, so there is
    /// nothing left to make durable here.
    public func flush(timeout: Double) {}

    public func stop() {
        let tasks = state.withLock { state -> [Task<Void, Never>] in
            state.stopped = true
            state.sink = nil
            return Array(state.tasks.values)
        }
        for task in tasks { task.cancel() }
    }

    // MARK: Start-up and refresh

    /// How many cached leads the first paint waits for; a larger cache shows these first and the
    /// rest a moment later (decoding 10,000 leads takes longer than a first paint may).
    public static let previewLeadCount = 200

    private func emitCache() {
        let count = (try? cache.leadCount()) ?? 0
        if count > 2 * Self.previewLeadCount, let top = try? cache.leads(limit: Self.previewLeadCount) {
            emit(.leadsPreview(top, total: count))
            spawn { [self] in
                guard let leads = try? cache.leads(), !state.withLock({ $0.leadsFromServer }) else { return }
                emit(.leads(leads))
            }
        } else if count > 0, let leads = try? cache.leads() {
            emit(.leads(leads))
        }
        if let drafts = try? cache.drafts(), !drafts.isEmpty { emit(.drafts(drafts.map(\.snapshot))) }
        if let copies = try? cache.conflictingDrafts(), !copies.isEmpty { emit(.draftCopies(copies)) }
        for entry in (try? cache.outbox()) ?? [] {
            emit(.messageUpserted(localMessage(for: entry.message, status: entry.failedReason == nil ? .queued : .failed, reason: entry.failedReason)))
        }
    }

    /// Reloads everything over REST. With no offset yet (a first start) the socket starts from the
    /// server's current one; otherwise it replays from the cached offset, so what happened while
    /// closer was closed arrives as events too (drafts from other devices, and the "while you
    /// were away" summary). A resync passes `raisingOffset`: the old offset is gone from the log.
    private func refresh(raisingOffset: Bool = false) async {
        do {
            let me = try await api.me()
            emit(.session(rep: me.user, server: server))
            let leads = try await api.allLeads()
            try cache.replaceLeads(leads)
            state.withLock { $0.leadsFromServer = true }
            emit(.leads(leads))
            emit(.stats(try await api.stats()))
            emit(.analytics(try await api.analytics()))
            emit(.activity(try await api.activity().activities, live: false))
            // Everything up to here is in the REST answers: the socket replays from this offset on.
            let applied = state.withLock { state -> Int? in
                state.needsRefresh = false
                guard raisingOffset || state.lastOffset == nil else { return nil }
                state.lastOffset = max(state.lastOffset ?? 0, me.eventOffset)
                return state.lastOffset
            }
            if let applied { try cache.setLastOffset(applied) }
        } catch {
            report(error)
        }
    }

    private func loadThread(leadId: String, before: String?) async {
        do {
            let page = try await api.thread(leadId: leadId, before: before)
            try cache.upsertMessages(page.messages)
            if before == nil { state.withLock { _ = $0.loadedThreads.insert(leadId) } }
            emit(.thread(leadId: leadId, messages: page.messages, hasMore: page.hasMore, replacing: before == nil))
        } catch {
            report(error)
        }
    }

    // MARK: Live events

    private func handle(_ update: SocketIOClient.Update) async {
        switch update {
        case .status(let status):
            emit(.connection(status))
            if status == .online {
                // Back online: whatever was written meanwhile goes up now. Messages first: the
                // server deletes a lead's draft when a message to that lead arrives, and the draft
                // here may be newer typing that must survive the older queued message. On a task
                // of its own, so the socket goes on reading (and answering pings) meanwhile.
                spawn { [self] in
                    if state.withLock({ $0.needsRefresh }) { await refresh() }
                    await deliverOutbox()
                    await pushDirtyDrafts()
                }
            }
        case .connected(let offset):
            state.withLock { state in
                state.replayedThrough = offset
                // The server replays from our offset (if we sent one) up to `offset`.
                state.replayPending = state.lastOffset.map { $0 < offset } ?? false
            }
        case .unauthorized:
            emit(.sessionExpired)
        case .event(let name, let payload):
            await apply(name: name, payload: payload)
        }
    }

    private func apply(name: String, payload: JSONValue) async {
        guard let eventName = ServerEventName(rawValue: name) else { return }
        let offset = payload["offset"]?.intValue
        defer { if let offset { finishReplay(at: offset) } }
        if let offset {
            let fresh = state.withLock { state -> Bool in
                guard offset > (state.lastOffset ?? 0) else { return false }
                state.lastOffset = offset
                return true
            }
            guard fresh else { return }
        }
        // The offset is recorded after the change reached the cache: a crash in between replays
        // the event, it never skips it.
        defer { if let offset { try? cache.setLastOffset(offset) } }
        let event: ServerEvent
        do {
            event = try ServerEvent(name: eventName, payload: payload)
        } catch {
            logger.warning("undecodable \(name) event: \(error)")
            return
        }
        switch event {
        case .messagesUpdated(let update):
            try? cache.upsertMessages([update.message])
            emit(.messageUpserted(update.message))
        case .leadsUpdated(let update):
            try? cache.upsertLead(update.lead)
            emit(.leadUpserted(update.lead))
        case .draftsUpdated(let update):
            applyRemoteDraft(update)
        case .statsUpdated(let update):
            emit(.stats(update.stats))
        case .analyticsUpdated(let analytics):
            emit(.analytics(analytics))
        case .activityUpdated(let update):
            emit(.activity([update.data], live: true))
        case .notification(let notification):
            let replayed = offset.map { offset in state.withLock { offset <= $0.replayedThrough } } ?? false
            emit(.notification(notification, replayed: replayed))
        case .resync:
            state.withLock { $0.replayPending = false }
            await resync()
        }
    }

    /// The replay reached the offset the server had at CONNECT: what was missed is all applied,
    /// and the UI can sum up the notifications among it.
    private func finishReplay(at offset: Int) {
        let finished = state.withLock { state -> Bool in
            guard state.replayPending, offset >= state.replayedThrough else { return false }
            state.replayPending = false
            return true
        }
        if finished { emit(.replayFinished) }
    }

    /// Another device (or this one) saved or deleted a draft.
    private func applyRemoteDraft(_ update: DraftsUpdated) {
        guard let theirs = update.draft, update.action != .delete else {
            // A delete: only clean drafts follow it; a dirty one is newer typing here.
            // (No local row: another closer on this machine shares the cache and deleted it.)
            let local = try? cache.draft(leadId: update.leadId)
            guard local?.dirty != true else { return }
            // A replayed delete older than the draft here (saved again since) is history.
            if let local, let deleted = update.draft?.version, let base = local.baseVersion, deleted < base { return }
            try? cache.deleteDraft(leadId: update.leadId)
            let channel = update.draft?.channel ?? local?.channel ?? .email
            emit(.draftReplaced(DraftSnapshot(leadId: update.leadId, content: "", subject: nil, channel: channel, savedAt: Date(), synced: true)))
            return
        }
        if state.withLock({ $0.pushed[theirs.leadId]?.contains(theirs.savedAt.millisecondsSince1970) == true }) {
            // Our own save, echoed (perhaps before its HTTP answer): nothing changes but the version.
            try? cache.markDraftSynced(leadId: theirs.leadId, savedAt: theirs.savedAt, version: theirs.version)
            return
        }
        if let local = try? cache.draft(leadId: theirs.leadId), let base = local.baseVersion, theirs.version <= base {
            // A version this client already has, or an older one: a replay, not news.
            return
        }
        let snapshot = DraftSnapshot(leadId: theirs.leadId, content: theirs.content, subject: theirs.subject, channel: theirs.channel,
                                     savedAt: theirs.savedAt, synced: true)
        if (try? cache.acceptRemoteDraft(theirs)) == true {
            emit(.draftReplaced(snapshot))
        } else {
            try? cache.keepConflictingDraft(theirs)
            emit(.draftConflict(leadId: theirs.leadId, theirs: snapshot))
        }
    }

    /// The server's log no longer reaches back to our offset: what was missed cannot be replayed,
    /// so everything on screen is reloaded instead: the lists, every loaded thread, and the drafts
    /// of those leads (clean ones follow the server; dirty ones are newer typing and stay).
    private func resync() async {
        await refresh(raisingOffset: true)
        let threads = state.withLock { $0.loadedThreads }
        let cachedDrafts = Set(((try? cache.drafts()) ?? []).map(\.leadId))
        for leadId in threads.sorted() {
            await loadThread(leadId: leadId, before: nil)
        }
        for leadId in threads.union(cachedDrafts).sorted() {
            do {
                let draft = try await api.draft(leadId: leadId)
                if draft == nil, (try? cache.draft(leadId: leadId)) == nil { continue }
                applyRemoteDraft(DraftsUpdated(action: draft == nil ? .delete : .upsert, leadId: leadId, draft: draft))
            } catch {
                report(error, quietlyIfOffline: true)
            }
        }
    }

    // MARK: Drafts upstream

    private func pushDirtyDrafts() async {
        for draft in (try? cache.drafts()) ?? [] where draft.dirty {
            await pushDraft(leadId: draft.leadId)
        }
    }

    /// Pushes the lead's latest local text; one push per lead at a time, and a save that arrives
    /// during a push is pushed right after it.
    ///
    /// Not while a message to the lead waits in the outbox: the server deletes the sender's draft
    /// when a message arrives, so a draft pushed before it would be deleted by it (and the delete,
    /// reaching a clean local draft, would empty compose). The outbox pushes it once delivered.
    private func pushDraft(leadId: String) async {
        guard await drafts.begin(leadId) else { return }
        repeat {
            guard let draft = try? cache.draft(leadId: leadId), draft.dirty,
                  !((try? cache.outbox()) ?? []).contains(where: { $0.message.leadId == leadId && $0.failedReason == nil })
            else { continue }
            state.withLock { _ = $0.pushed[leadId, default: []].insert(draft.savedAt.millisecondsSince1970) }
            do {
                let saved = try await api.saveDraft(leadId: leadId, SaveDraftRequest(
                    content: draft.content, subject: draft.subject, channel: draft.channel, baseVersion: draft.baseVersion, savedAt: draft.savedAt))
                try cache.markDraftSynced(leadId: leadId, savedAt: draft.savedAt, version: saved.version)
                if (try? cache.draft(leadId: leadId))?.dirty == false {
                    emit(.draftSaved(leadId: leadId, savedAt: draft.savedAt, synced: true))
                }
            } catch APIClientError.draftConflict(let current) {
                // Another device saved first. Our text stays; theirs is kept to recover, and the
                // next push (based on their version) makes ours the current one.
                try? cache.keepConflictingDraft(current)
                emit(.draftConflict(leadId: leadId, theirs: DraftSnapshot(
                    leadId: leadId, content: current.content, subject: current.subject, channel: current.channel, savedAt: current.savedAt, synced: true)))
                await drafts.again(leadId)
            } catch {
                // Offline or failing: the draft stays dirty and goes up on reconnect.
                report(error, quietlyIfOffline: true)
            }
        } while await drafts.finishOrContinue(leadId)
    }

    // MARK: Outbox

    /// Sends what is queued, oldest first, one at a time. A retryable failure ends the round and
    /// schedules the next (backing off); so do the next reconnect and the next send. A message the
    /// server refuses outright, or keeps failing `maxSendAttempts` times, shows failed.
    private func deliverOutbox() async {
        guard await outbox.begin() else { return }
        var roundFailed = false
        var deliveredAny = false
        repeat {
            roundFailed = false
            for entry in (try? cache.outbox()) ?? [] where entry.failedReason == nil {
                do {
                    let stored = try await api.send(leadId: entry.message.leadId, SendMessageRequest(
                        body: entry.message.body, subject: entry.message.subject, channel: entry.message.channel, clientId: entry.message.clientId))
                    try cache.delivered(clientId: entry.message.clientId, as: stored)
                    deliveredAny = true
                    state.withLock { $0.outboxFailures = 0 }
                    emit(.messageUpserted(stored))
                } catch let error as APIClientError {
                    // Never reaching the server is being offline, not the server failing.
                    let unreachable = if case .transport(let curl) = error { curl.isUnreachable } else { false }
                    let attempts = unreachable ? entry.attempts : entry.attempts + 1
                    let failed = !error.isRetryable || attempts >= options.maxSendAttempts
                    if !unreachable {
                        try? cache.recordAttempt(clientId: entry.message.clientId, failedReason: failed ? error.description : nil)
                    }
                    if failed {
                        emit(.messageUpserted(localMessage(for: entry.message, status: .failed, reason: error.description)))
                        if case .unauthorized = error { emit(.sessionExpired) }
                    } else {
                        emit(.messageUpserted(localMessage(for: entry.message, status: .queued, reason: error.description)))
                    }
                    if error.isRetryable {
                        roundFailed = true
                        break
                    }
                } catch {
                    report(error)
                    roundFailed = true
                    break
                }
            }
        } while await outbox.finishOrContinue()
        if roundFailed { scheduleOutboxRetry() }
        // Drafts held back while their lead's message waited go up now.
        if deliveredAny { await pushDirtyDrafts() }
    }

    /// One waiting retry at a time, after a doubling delay.
    private func scheduleOutboxRetry() {
        let failures = state.withLock { state -> Int? in
            guard !state.outboxRetryScheduled else { return nil }
            state.outboxRetryScheduled = true
            state.outboxFailures += 1
            return state.outboxFailures
        }
        guard let failures else { return }
        let delay = options.outboxRetry.delay(attempt: failures)
        spawn { [self] in
            try? await Task.sleep(for: delay)
            state.withLock { $0.outboxRetryScheduled = false }
            guard !Task.isCancelled else { return }
            await deliverOutbox()
        }
    }

    private func localMessage(for message: OutgoingMessage, status: MessageStatus, reason: String?) -> Message {
        Message(id: "local:\(message.clientId)", leadId: message.leadId, body: message.body, subject: message.subject, channel: message.channel,
                direction: .outbound, status: status, failureReason: reason, isRead: true, clientId: message.clientId, createdAt: Date())
    }

    // MARK: Plumbing

    private func emit(_ event: InboxEvent) {
        state.withLock { $0.sink }?(event)
    }

    private func report(_ error: any Error, quietlyIfOffline: Bool = false) {
        if case APIClientError.unauthorized = error {
            emit(.sessionExpired)
        } else if case APIClientError.transport = error {
            if !quietlyIfOffline { logger.debug("offline: \(error)") }
        } else if !(error is CancellationError) {
            emit(.problem("\(error)"))
        }
    }

    private func spawn(_ work: @escaping @Sendable () async -> Void) {
        let id = UUID()
        state.withLock { state in
            guard !state.stopped else { return }
            // The task's last step takes the same lock, so it cannot remove itself before it is added.
            state.tasks[id] = Task { [self] in
                await work()
                _ = self.state.withLock { $0.tasks.removeValue(forKey: id) }
            }
        }
    }
}

/// One draft push per lead at a time; saves that arrive meanwhile ask for one more round.
actor DraftPusher {
    private var running: Set<String> = []
    private var pending: Set<String> = []

    func begin(_ leadId: String) -> Bool {
        if running.contains(leadId) {
            pending.insert(leadId)
            return false
        }
        running.insert(leadId)
        return true
    }

    func again(_ leadId: String) {
        pending.insert(leadId)
    }

    func finishOrContinue(_ leadId: String) -> Bool {
        if pending.remove(leadId) != nil { return true }
        running.remove(leadId)
        return false
    }
}

/// One outbox round at a time, in order; a send during a round asks for one more.
actor OutboxDeliverer {
    private var running = false
    private var pending = false

    func begin() -> Bool {
        if running {
            pending = true
            return false
        }
        running = true
        return true
    }

    func finishOrContinue() -> Bool {
        if pending {
            pending = false
            return true
        }
        running = false
        return false
    }
}
