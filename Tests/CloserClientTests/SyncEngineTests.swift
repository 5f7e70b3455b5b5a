import CloserClient
import CloserCore
@testable import CloserServer
import Foundation
import SQLKit
import Synchronization
import Testing

/// The sync engine against the real server: cache first, drafts and the outbox through
/// disconnections, conflicts between two devices, and an expired session.
@Suite("Sync engine")
struct SyncEngineTests {
    @Test("the inbox comes from the cache at once, and is still readable with the server down")
    func cacheFirst() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ClientTestServer.start(directory: directory)
        let (_, api) = try await server.signedInRep()
        let lead = try await api.createLead(CreateLeadRequest(name: "Dana Kim", email: "dana@northwind.example"))
        try await api.send(leadId: lead.id, SendMessageRequest(body: "Hello Dana", subject: "Hi", channel: .email, clientId: "c-1"))
        let cachePath = directory.path + "/client/cache.sqlite"

        let first = try Self.engine(server, api: api, cachePath: cachePath)
        let seen = EventCollector()
        first.start(sink: seen.record)
        #expect(await seen.wait { $0.contains { if case .leads(let leads) = $0 { leads.map(\.id) == [lead.id] } else { false } } })
        first.perform(.loadThread(leadId: lead.id, before: nil))
        #expect(await seen.wait { $0.contains { if case .thread(_, let messages, _, _) = $0 { messages.map(\.body) == ["Hello Dana"] } else { false } } })
        first.stop()
        await server.stop()

        // The server is gone; a new start shows the same inbox from the cache, before any network.
        let second = try Self.engine(server, api: api, cachePath: cachePath)
        let offline = EventCollector()
        second.start(sink: offline.record)
        let immediately = offline.events
        #expect(immediately.contains { if case .leads(let leads) = $0 { leads.map(\.name) == ["Dana Kim"] } else { false } })
        second.perform(.loadThread(leadId: lead.id, before: nil))
        #expect(offline.events.contains { if case .thread(_, let messages, _, _) = $0 { messages.map(\.body) == ["Hello Dana"] } else { false } })
        second.stop()
        #expect(try Self.mode(of: cachePath) == 0o600)
    }

    @Test("a draft is in the cache when perform returns, then on the server once acknowledged")
    func draftSync() async throws {
        try await ClientTestServer.run { server in
            let (_, api) = try await server.signedInRep()
            let lead = try await api.createLead(CreateLeadRequest(name: "Dana Kim", email: "dana@northwind.example"))
            let cachePath = try Self.temporaryDirectory().path + "/cache.sqlite"
            let cache = try ClientCache(path: cachePath)
            let engine = SyncEngine(server: server.baseURL, token: try #require(api.token), cache: cache, http: server.http)
            let seen = EventCollector()
            engine.start(sink: seen.record)
            engine.perform(.saveDraft(DraftEdit(leadId: lead.id, content: "Hi Dana, about Q3", subject: "Q3", channel: .email)))
            #expect(try cache.draft(leadId: lead.id)?.content == "Hi Dana, about Q3")
            #expect(seen.events.contains { if case .draftSaved(lead.id, _, false) = $0 { true } else { false } })
            #expect(await seen.wait { $0.contains { if case .draftSaved(lead.id, _, true) = $0 { true } else { false } } })
            #expect(try await api.draft(leadId: lead.id)?.content == "Hi Dana, about Q3")
            #expect(try cache.draft(leadId: lead.id)?.dirty == false)
            // Its own drafts_updated echo is not mistaken for another device's edit.
            try await Task.sleep(for: .milliseconds(300))
            #expect(!seen.events.contains { if case .draftConflict = $0 { true } else { false } })
            #expect(!seen.events.contains { if case .draftReplaced = $0 { true } else { false } })
            engine.stop()
        }
    }

    @Test("offline: messages queue and drafts wait; after the server returns each message is stored once and drafts are pushed")
    func offlineThenBack() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ClientTestServer.start(directory: directory)
        let (_, api) = try await server.signedInRep()
        let lead = try await api.createLead(CreateLeadRequest(name: "Dana Kim", email: "dana@northwind.example"))
        let port = server.port
        await server.stop()

        let cache = try ClientCache(path: directory.path + "/client/cache.sqlite")
        var options = SyncEngine.Options()
        options.socketBackoff.first = .milliseconds(200)
        options.socketBackoff.limit = .milliseconds(500)
        let engine = SyncEngine(server: "http://127.0.0.1:\(port)", token: try #require(api.token), cache: cache, options: options)
        let seen = EventCollector()
        engine.start(sink: seen.record)
        engine.perform(.send(OutgoingMessage(leadId: lead.id, body: "first, written on a train", subject: "Q3", channel: .email, clientId: "train-1")))
        engine.perform(.send(OutgoingMessage(leadId: lead.id, body: "second", subject: "Q3", channel: .email, clientId: "train-2")))
        engine.perform(.saveDraft(DraftEdit(leadId: lead.id, content: "third, still typing", subject: "Q3", channel: .email)))
        #expect(seen.events.contains { if case .messageUpserted(let m) = $0 { m.id == "local:train-1" && m.status == .queued } else { false } })
        try await Task.sleep(for: .milliseconds(500))
        #expect(try cache.outbox().map(\.message.clientId) == ["train-1", "train-2"])
        #expect(try cache.draft(leadId: lead.id)?.dirty == true)

        let back = try await ClientTestServer.start(directory: directory, port: port)
        #expect(await seen.wait { $0.contains { if case .messageUpserted(let m) = $0 { m.clientId == "train-2" && !m.id.hasPrefix("local:") } else { false } } })
        #expect(await seen.wait { $0.contains { if case .draftSaved(lead.id, _, true) = $0 { true } else { false } } })
        let thread = try await api.thread(leadId: lead.id)
        #expect(thread.messages.map(\.body) == ["first, written on a train", "second"])
        // The server's own event can show the stored message before the send's answer is back.
        #expect(await seen.wait { _ in (try? cache.outbox().isEmpty) == true })
        #expect(try await api.draft(leadId: lead.id)?.content == "third, still typing")
        engine.stop()
        await back.stop()
    }

    @Test("a server stopped mid-session and restarted: drafts pushed, the outbox delivered once, missed events replayed")
    func serverRestartMidSession() async throws {
        let away = try await ServerAway.begin()
        defer { away.remove() }
        let (api, lead, cache, engine, seen) = (away.api, away.lead, away.cache, away.engine, away.seen)
        engine.perform(.send(OutgoingMessage(leadId: lead.id, body: "written while the server was down", subject: "Q3", channel: .email, clientId: "down-1")))
        engine.perform(.saveDraft(DraftEdit(leadId: lead.id, content: "and a follow-up, half typed", subject: "Q3", channel: .email)))

        // Another device of the rep sends while this client is away: on the same database, through
        // a port the client does not know, so it cannot reconnect early however slow the machine.
        let (colleague, back) = try await away.whileAway { api in
            let sent = try await api.send(leadId: lead.id, SendMessageRequest(body: "sent from the phone", subject: "Q3", channel: .email, clientId: "phone-1"))
            _ = try await api.updateLead(id: lead.id, UpdateLeadRequest(status: .meetingBooked))
            return sent
        }

        #expect(await seen.wait { $0.contains { if case .messageUpserted(let m) = $0 { m.id == colleague.id } else { false } } })
        // Its notification arrives as history (one summary toast), not as news with a bell, and
        // the end of the replay is announced after it, so the UI can sum it up.
        #expect(await seen.wait { $0.contains { if case .notification(let n, true) = $0 { n.kind == .meetingBooked } else { false } } })
        #expect(!seen.events.contains { if case .notification(_, false) = $0 { true } else { false } })
        #expect(await seen.wait { $0.contains(.replayFinished) })
        let replayed = seen.events.firstIndex { if case .notification(_, true) = $0 { true } else { false } }
        #expect(try #require(replayed) < seen.events.firstIndex(of: .replayFinished)!)
        #expect(await seen.wait { $0.contains { if case .messageUpserted(let m) = $0 { m.clientId == "down-1" && !m.id.hasPrefix("local:") } else { false } } })
        #expect(await seen.wait { $0.contains { if case .draftSaved(lead.id, _, true) = $0 { true } else { false } } })
        let thread = try await api.thread(leadId: lead.id)
        #expect(thread.messages.filter { $0.clientId == "down-1" }.count == 1)
        #expect(try await api.draft(leadId: lead.id)?.content == "and a follow-up, half typed")
        // The server's own event can show the stored message before the send's answer is back.
        #expect(await seen.wait { _ in (try? cache.outbox().isEmpty) == true })
        // The replayed event moved the stored offset up to the server's.
        let serverOffset = try await api.me().eventOffset
        #expect(await seen.wait { _ in ((try? cache.lastOffset()) ?? 0) >= serverOffset })
        engine.stop()
        await back.stop()
    }

    @Test("a reconnect the server's log no longer reaches back to (resync) reloads the lists, the open thread and its draft")
    func resyncReloads() async throws {
        let away = try await ServerAway.begin()
        defer { away.remove() }
        let (user, api, lead, cache, engine, seen) = (away.user, away.api, away.lead, away.cache, away.engine, away.seen)
        // While this client is away: a reply lands and another device writes a draft, and then the
        // log is pruned past both, so they cannot be replayed.
        let ((missed, current), back) = try await away.whileAway { api, server in
            let missed = try await api.send(leadId: lead.id, SendMessageRequest(body: "sent while you were away", subject: "Q3", channel: .email, clientId: "away-1"))
            _ = try await api.saveDraft(leadId: lead.id, SaveDraftRequest(content: "the tablet's draft", subject: nil, channel: .email, baseVersion: 0, savedAt: Date()))
            let current = try await api.me().eventOffset
            try await server.components.database.write { db in
                try await EventLogStore(db: db).prune(userId: user.id, keep: 0, olderThan: Date().addingTimeInterval(60))
            }
            return (missed, current)
        }
        #expect(try await api.events(after: 0).resync)

        #expect(await seen.wait { $0.contains { if case .thread(lead.id, let messages, _, true) = $0 { messages.contains { $0.id == missed.id } } else { false } } })
        #expect(await seen.wait { $0.contains { if case .draftReplaced(let draft) = $0 { draft.content == "the tablet's draft" } else { false } } })
        #expect(try cache.thread(leadId: lead.id).contains { $0.id == missed.id })
        #expect(await seen.wait { _ in (try? cache.lastOffset()) == current })
        engine.stop()
        await back.stop()
    }

    @Test("a send whose answer was lost is delivered exactly once when the outbox runs again")
    func exactlyOnceAfterLostAnswer() async throws {
        try await ClientTestServer.run { server in
            let (_, api) = try await server.signedInRep()
            let lead = try await api.createLead(CreateLeadRequest(name: "Dana Kim", email: "dana@northwind.example"))
            let cache = try ClientCache(path: try Self.temporaryDirectory().path + "/cache.sqlite")
            // The client queued it, the server stored it, and the client died before the answer.
            let message = OutgoingMessage(leadId: lead.id, body: "sent just before the crash", subject: "Q3", channel: .email, clientId: "crash-1")
            try cache.enqueue(message, at: Date())
            try await api.send(leadId: lead.id, SendMessageRequest(body: message.body, subject: message.subject, channel: .email, clientId: "crash-1"))

            let engine = SyncEngine(server: server.baseURL, token: try #require(api.token), cache: cache, http: server.http)
            let seen = EventCollector()
            engine.start(sink: seen.record)
            #expect(await seen.wait { $0.contains { if case .messageUpserted(let m) = $0 { m.clientId == "crash-1" && !m.id.hasPrefix("local:") } else { false } } })
            #expect(try await api.thread(leadId: lead.id).messages.filter { $0.clientId == "crash-1" }.count == 1)
            #expect(try cache.outbox().isEmpty)
            engine.stop()
        }
    }

    @Test("two devices of one rep: unsynced local text is never replaced; the other version is kept to recover")
    func conflict() async throws {
        try await ClientTestServer.run { server in
            let (_, api) = try await server.signedInRep()
            let lead = try await api.createLead(CreateLeadRequest(name: "Dana Kim", email: "dana@northwind.example"))
            let laptop = try ClientCache(path: try Self.temporaryDirectory().path + "/laptop.sqlite")
            let desktop = try ClientCache(path: try Self.temporaryDirectory().path + "/desktop.sqlite")
            let laptopEngine = SyncEngine(server: server.baseURL, token: try #require(api.token), cache: laptop, http: server.http)
            let desktopEngine = SyncEngine(server: server.baseURL, token: try #require(api.token), cache: desktop, http: server.http)
            let onLaptop = EventCollector()
            let onDesktop = EventCollector()
            laptopEngine.start(sink: onLaptop.record)
            desktopEngine.start(sink: onDesktop.record)
            #expect(await onLaptop.wait { $0.contains(.connection(.online)) })
            #expect(await onDesktop.wait { $0.contains(.connection(.online)) })

            // A clean desktop follows the laptop's draft.
            laptopEngine.perform(.saveDraft(DraftEdit(leadId: lead.id, content: "from the laptop", subject: nil, channel: .email)))
            #expect(await onDesktop.wait { $0.contains { if case .draftReplaced(let d) = $0 { d.content == "from the laptop" } else { false } } })
            #expect(try desktop.draft(leadId: lead.id)?.content == "from the laptop")

            // The desktop has typed (cached, not yet pushed) when the laptop saves again: a conflict.
            try desktop.saveDraftLocally(DraftEdit(leadId: lead.id, content: "desktop typing", subject: nil, channel: .email), at: Date())
            laptopEngine.perform(.saveDraft(DraftEdit(leadId: lead.id, content: "laptop again", subject: nil, channel: .email)))
            #expect(await onDesktop.wait { $0.contains { if case .draftConflict(_, let theirs) = $0 { theirs.content == "laptop again" } else { false } } })
            #expect(try desktop.draft(leadId: lead.id)?.content == "desktop typing")
            #expect(try desktop.conflictingDrafts().map(\.content).contains("laptop again"))

            // The desktop's next save wins upstream, based on the version it has seen.
            desktopEngine.perform(.saveDraft(DraftEdit(leadId: lead.id, content: "desktop typing, done", subject: nil, channel: .email)))
            #expect(await onDesktop.wait { $0.contains { if case .draftSaved(lead.id, _, true) = $0 { true } else { false } } })
            #expect(try await api.draft(leadId: lead.id)?.content == "desktop typing, done")
            laptopEngine.stop()
            desktopEngine.stop()
        }
    }

    @Test("a 401 mid-session says the session expired and keeps every draft")
    func expiredSession() async throws {
        try await ClientTestServer.run { server in
            let (_, api) = try await server.signedInRep()
            let lead = try await api.createLead(CreateLeadRequest(name: "Dana Kim", email: "dana@northwind.example"))
            let cache = try ClientCache(path: try Self.temporaryDirectory().path + "/cache.sqlite")
            let engine = SyncEngine(server: server.baseURL, token: try #require(api.token), cache: cache, http: server.http)
            let seen = EventCollector()
            engine.start(sink: seen.record)
            #expect(await seen.wait { $0.contains(.connection(.online)) })
            try await api.logout()
            engine.perform(.saveDraft(DraftEdit(leadId: lead.id, content: "typed after the token died", subject: nil, channel: .email)))
            #expect(await seen.wait { $0.contains(.sessionExpired) })
            #expect(try cache.draft(leadId: lead.id)?.content == "typed after the token died")
            engine.stop()
        }
    }

    @Test("closed, then opened again: what happened meanwhile is replayed, its notifications as history ending in a summary")
    func replayAfterRestart() async throws {
        try await ClientTestServer.run { server in
            let (_, api) = try await server.signedInRep()
            let lead = try await api.createLead(CreateLeadRequest(name: "Dana Kim", email: "dana@northwind.example"))
            let cachePath = try Self.temporaryDirectory().path + "/cache.sqlite"
            let first = try Self.engine(server, api: api, cachePath: cachePath)
            let before = EventCollector()
            first.start(sink: before.record)
            #expect(await before.wait { $0.contains(.connection(.online)) })
            first.stop()

            // While closer is closed: the lead books a meeting, and converts.
            _ = try await api.updateLead(id: lead.id, UpdateLeadRequest(status: .meetingBooked))
            _ = try await api.updateLead(id: lead.id, UpdateLeadRequest(status: .converted))

            let second = try Self.engine(server, api: api, cachePath: cachePath)
            let after = EventCollector()
            second.start(sink: after.record)
            #expect(await after.wait { $0.contains(.replayFinished) })
            let kinds = after.events.compactMap { if case .notification(let n, true) = $0 { n.kind } else { nil } }
            #expect(kinds == [.meetingBooked, .leadConverted])
            #expect(!after.events.contains { if case .notification(_, false) = $0 { true } else { false } })
            second.stop()
        }
    }

    @Test("started while the server is down: the inbox, the rep and the KPIs load once it is back, without a restart")
    func startOffline() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ClientTestServer.start(directory: directory)
        let (user, api) = try await server.signedInRep()
        let lead = try await api.createLead(CreateLeadRequest(name: "Dana Kim", email: "dana@northwind.example"))
        let port = server.port
        await server.stop()

        var options = SyncEngine.Options()
        options.socketBackoff.first = .milliseconds(200)
        options.socketBackoff.limit = .milliseconds(500)
        let engine = SyncEngine(server: "http://127.0.0.1:\(port)", token: try #require(api.token),
                                cache: try ClientCache(path: directory.path + "/client/cache.sqlite"), options: options)
        let seen = EventCollector()
        engine.start(sink: seen.record)
        #expect(await seen.wait { $0.contains { if case .connection(.offline) = $0 { true } else { false } } })
        #expect(!seen.events.contains { if case .leads = $0 { true } else { false } })

        let back = try await ClientTestServer.start(directory: directory, port: port)
        #expect(await seen.wait { $0.contains { if case .leads(let leads) = $0 { leads.map(\.id) == [lead.id] } else { false } } })
        #expect(seen.events.contains { if case .session(let rep, _) = $0 { rep.id == user.id } else { false } })
        #expect(await seen.wait { $0.contains { if case .stats = $0 { true } else { false } } })
        engine.stop()
        await back.stop()
    }

    @Test("a server failing every send: the message waits as queued with the reason, is retried with backoff, then shows failed, and e takes it back")
    func failingServer() async throws {
        try await ClientTestServer.run { server in
            let (_, api) = try await server.signedInRep()
            let lead = try await api.createLead(CreateLeadRequest(name: "Dana Kim", email: "dana@northwind.example"))
            let cache = try ClientCache(path: try Self.temporaryDirectory().path + "/cache.sqlite")
            var options = SyncEngine.Options()
            options.maxSendAttempts = 3
            options.outboxRetry.first = .milliseconds(100)
            options.outboxRetry.limit = .milliseconds(200)
            let engine = SyncEngine(server: server.baseURL, token: try #require(api.token), cache: cache, http: server.http, options: options)
            let seen = EventCollector()
            engine.start(sink: seen.record)
            #expect(await seen.wait { $0.contains(.connection(.online)) })

            // The server's database refuses every new message: each send answers 500.
            try await server.components.database.write { db in
                try await db.raw("CREATE TRIGGER refuse_messages BEFORE INSERT ON messages BEGIN SELECT RAISE(ABORT, 'disk on fire'); END").run()
            }
            engine.perform(.send(OutgoingMessage(leadId: lead.id, body: "will not go", subject: "Q3", channel: .email, clientId: "fail-1")))
            #expect(await seen.wait { $0.contains { if case .messageUpserted(let m) = $0 { m.clientId == "fail-1" && m.status == .queued && m.failureReason != nil } else { false } } })
            // No new send, no reconnect: the retries alone take it to failed.
            #expect(await seen.wait { $0.contains { if case .messageUpserted(let m) = $0 { m.clientId == "fail-1" && m.status == .failed } else { false } } })
            #expect(try cache.outbox().first?.attempts == 3)
            #expect(try cache.outbox().first?.failedReason?.contains("500") == true)

            // `e`: the rep takes it back to edit; it leaves the outbox and is never sent.
            engine.perform(.withdraw(clientId: "fail-1"))
            #expect(try cache.outbox().isEmpty)

            // The server recovers: the next message goes out at once.
            try await server.components.database.write { db in try await db.raw("DROP TRIGGER refuse_messages").run() }
            engine.perform(.send(OutgoingMessage(leadId: lead.id, body: "edited and sent", subject: "Q3", channel: .email, clientId: "fail-2")))
            #expect(await seen.wait { $0.contains { if case .messageUpserted(let m) = $0 { m.clientId == "fail-2" && !m.id.hasPrefix("local:") } else { false } } })
            #expect(try await api.thread(leadId: lead.id).messages.map(\.body) == ["edited and sent"])
            engine.stop()
        }
    }

    @Test("a message queued while the server is unreachable never counts as failing: it waits, however many tries it takes")
    func unreachableNeverFails() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let cache = try ClientCache(path: directory.path + "/cache.sqlite")
        var options = SyncEngine.Options()
        options.maxSendAttempts = 2
        options.outboxRetry.first = .milliseconds(50)
        options.outboxRetry.limit = .milliseconds(50)
        let engine = SyncEngine(server: "http://127.0.0.1:\(try FreePort.find())", token: "clo_x", cache: cache, options: options)
        let seen = EventCollector()
        engine.start(sink: seen.record)
        engine.perform(.send(OutgoingMessage(leadId: "00000000-0000-4000-8000-000000000001", body: "on a train", subject: nil, channel: .sms, clientId: "train-9")))
        // Many rounds at 50 ms, all of them unable to connect.
        try await Task.sleep(for: .milliseconds(600))
        #expect(!seen.events.contains { if case .messageUpserted(let m) = $0 { m.status == .failed } else { false } })
        #expect(try cache.outbox().map(\.failedReason) == [nil])
        engine.stop()
    }

    @Test("a large cache paints its newest leads first, then the whole list, and never after the server's")
    func largeCachePreview() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let cache = try ClientCache(path: directory.path + "/cache.sqlite")
        let now = Date()
        let leads = (0..<1_000).map { index in
            Lead(id: String(format: "10000000-0000-4000-8000-%012d", index), name: "Lead \(index)", email: "l\(index)@example.com",
                 createdAt: now.addingTimeInterval(-86_400), lastActivityAt: now.addingTimeInterval(-Double(index)))
        }
        try cache.replaceLeads(leads)
        let engine = SyncEngine(server: "http://127.0.0.1:\(try FreePort.find())", token: "clo_x", cache: cache)
        let seen = EventCollector()
        engine.start(sink: seen.record)
        // The preview is there when start returns: the first frame does not wait for 1,000 decodes.
        guard case .leadsPreview(let top, let total)? = seen.events.first(where: { if case .leadsPreview = $0 { true } else { false } }) else {
            Issue.record("no preview: \(seen.events)")
            return
        }
        #expect(total == 1_000)
        #expect(top.map(\.id) == Array(leads.prefix(SyncEngine.previewLeadCount)).map(\.id))
        #expect(await seen.wait { $0.contains { if case .leads(let all) = $0 { all.count == 1_000 } else { false } } })
        engine.stop()
    }

    // MARK: Helpers

    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("closer-sync-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    static func engine(_ server: ClientTestServer, api: APIClient, cachePath: String) throws -> SyncEngine {
        SyncEngine(server: server.baseURL, token: api.token ?? "", cache: try ClientCache(path: cachePath), http: server.http)
    }

    static func mode(of path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }
}

/// A client online with a lead's thread open, whose server has then stopped: where the restart and
/// resync tests begin. Changes made "while the client is away" go through `whileAway`, on another
/// port, so no timing decides whether the client sees them live or replayed.
struct ServerAway {
    let directory: URL
    let port: Int
    let user: User
    let api: APIClient
    let lead: Lead
    let cache: ClientCache
    let engine: SyncEngine
    let seen: EventCollector

    static func begin() async throws -> ServerAway {
        let directory = try SyncEngineTests.temporaryDirectory()
        let server = try await ClientTestServer.start(directory: directory)
        let (user, api) = try await server.signedInRep()
        let lead = try await api.createLead(CreateLeadRequest(name: "Dana Kim", email: "dana@northwind.example"))
        let cache = try ClientCache(path: directory.path + "/client/cache.sqlite")
        var options = SyncEngine.Options()
        options.socketBackoff.first = .seconds(3)
        options.socketBackoff.limit = .seconds(3)
        let engine = SyncEngine(server: server.baseURL, token: try #require(api.token), cache: cache, http: server.http, options: options)
        let seen = EventCollector()
        engine.start(sink: seen.record)
        #expect(await seen.wait { $0.contains(.connection(.online)) })
        engine.perform(.loadThread(leadId: lead.id, before: nil))
        #expect(await seen.wait { $0.contains { if case .thread(lead.id, _, _, _) = $0 { true } else { false } } })
        await server.stop()
        #expect(await seen.wait { $0.contains { if case .connection(.offline) = $0 { true } else { false } } })
        return ServerAway(directory: directory, port: server.port, user: user, api: api, lead: lead, cache: cache, engine: engine, seen: seen)
    }

    /// The same server (database and port) started again.
    func restart() async throws -> ClientTestServer {
        try await ClientTestServer.start(directory: directory, port: port)
    }

    /// Runs `changes` against the server's database through another port (the client cannot
    /// reach it there, so it stays away for as long as the changes take), then restarts the server
    /// where the client expects it.
    func whileAway<T: Sendable>(_ changes: (APIClient, ClientTestServer) async throws -> T) async throws -> (T, ClientTestServer) {
        let side = try await ClientTestServer.start(directory: directory)
        let result: T
        do {
            result = try await changes(APIClient(baseURL: side.baseURL, token: api.token ?? "", http: side.http), side)
        } catch {
            await side.stop()
            throw error
        }
        await side.stop()
        return (result, try await restart())
    }

    func whileAway<T: Sendable>(_ changes: (APIClient) async throws -> T) async throws -> (T, ClientTestServer) {
        try await whileAway { api, _ in try await changes(api) }
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Everything a backend reported, in order.
final class EventCollector: Sendable {
    private let state = Mutex<[InboxEvent]>([])

    var events: [InboxEvent] { state.withLock { $0 } }

    @Sendable func record(_ event: InboxEvent) {
        state.withLock { $0.append(event) }
    }

    /// Polls until `condition` holds (true) or 30 seconds pass (false). The ceiling is generous:
    /// a passing test returns as soon as the condition holds, and a loaded one-core machine has
    /// been seen to take over 10 s to decode a 1,000-lead cache beside the rest of the suite.
    func wait(_ condition: ([InboxEvent]) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if condition(events) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition(events)
    }
}
