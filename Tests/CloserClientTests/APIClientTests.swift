import CloserClient
import CloserCore
import Foundation
import Testing

/// Every REST call the client makes, against the real server over libcurl.
@Suite("API client over libcurl")
struct APIClientTests {
    @Test("sign in, see yourself, sign out; the old token is refused afterwards")
    func session() async throws {
        try await ClientTestServer.run { server in
            let (user, api) = try await server.signedInRep()
            let me = try await api.me()
            #expect(me.user.id == user.id)
            #expect(me.eventOffset == 0)
            try await api.logout()
            await #expect(throws: APIClientError.self) { try await api.me() }
            do {
                _ = try await api.me()
            } catch APIClientError.unauthorized {
            } catch {
                Issue.record("expected unauthorized, got \(error)")
            }
        }
    }

    @Test("a wrong password is unauthorized and says nothing more")
    func wrongPassword() async throws {
        try await ClientTestServer.run { server in
            _ = try await server.signedInRep(name: "Wes Wrong")
            let api = APIClient(baseURL: server.baseURL, http: server.http)
            do {
                _ = try await api.login(email: "nobody@closer.example", password: "nope")
                Issue.record("login succeeded")
            } catch APIClientError.unauthorized {}
        }
    }

    @Test("leads: create, show, filter, search, page and patch")
    func leads() async throws {
        try await ClientTestServer.run { server in
            let (_, api) = try await server.signedInRep()
            let dana = try await api.createLead(CreateLeadRequest(name: "Dana Kim", email: "dana@northwind.example"))
            let omar = try await api.createLead(CreateLeadRequest(name: "Omar Haddad", instagram: "omar.h", status: .qualified, valueCents: 120_000))
            #expect(try await api.lead(id: dana.id) == dana)
            #expect(try await api.leads().leads.map(\.id).sorted() == [dana.id, omar.id].sorted())
            #expect(try await api.leads(status: .qualified).leads.map(\.id) == [omar.id])
            #expect(try await api.leads(query: "northwind").leads.map(\.id) == [dana.id])
            // A query with characters that mean something in a URL still arrives as typed.
            #expect(try await api.leads(query: "a&b=c #?").leads.isEmpty)
            let first = try await api.leads(limit: 1)
            let cursor = try #require(first.nextCursor)
            let second = try await api.leads(cursor: cursor, limit: 1)
            #expect(Set(first.leads.map(\.id) + second.leads.map(\.id)) == [dana.id, omar.id])
            let won = try await api.updateLead(id: dana.id, UpdateLeadRequest(status: .converted, valueCents: 50_000))
            #expect(won.status == .converted)
            #expect(won.valueCents == 50_000)
        }
    }

    @Test("the server's validation message and field come through")
    func validation() async throws {
        try await ClientTestServer.run { server in
            let (_, api) = try await server.signedInRep()
            do {
                _ = try await api.createLead(CreateLeadRequest(name: "", email: "dana@northwind.example"))
                Issue.record("an empty name was accepted")
            } catch APIClientError.server(let status, let detail) {
                #expect((400..<500).contains(status))
                #expect(detail.field == "name")
                #expect(!detail.message.isEmpty)
            }
            do {
                _ = try await api.lead(id: UUID().uuidString.lowercased())
                Issue.record("a missing lead was found")
            } catch APIClientError.server(let status, _) {
                #expect(status == 404)
            }
        }
    }

    @Test("messages: send once per clientId, read the thread in pages, mark read")
    func messages() async throws {
        try await ClientTestServer.run { server in
            let (_, api) = try await server.signedInRep()
            let lead = try await api.createLead(CreateLeadRequest(name: "Dana Kim", email: "dana@northwind.example"))
            let request = SendMessageRequest(body: "Hello Dana", subject: "Proposal", channel: .email, clientId: "seed-1")
            let sent = try await api.send(leadId: lead.id, request)
            let again = try await api.send(leadId: lead.id, request)
            #expect(again.id == sent.id)
            for index in 2...5 {
                try await api.send(leadId: lead.id, SendMessageRequest(body: "Follow-up \(index)", subject: "Re", channel: .email, clientId: "seed-\(index)"))
            }
            let latest = try await api.thread(leadId: lead.id, limit: 3)
            #expect(latest.messages.map(\.body) == ["Follow-up 3", "Follow-up 4", "Follow-up 5"])
            #expect(latest.hasMore)
            let older = try await api.thread(leadId: lead.id, before: latest.messages[0].id, limit: 3)
            #expect(older.messages.map(\.body) == ["Hello Dana", "Follow-up 2"])
            #expect(!older.hasMore)
            #expect(try await api.markRead(leadId: lead.id).updated == 0)
        }
    }

    @Test("a POST without a body never reads stdin, where the terminal's keystrokes are")
    func bodilessPostLeavesStdinAlone() async throws {
        try await ClientTestServer.run { server in
            let (_, api) = try await server.signedInRep()
            let lead = try await api.createLead(CreateLeadRequest(name: "Dana Kim", email: "dana@northwind.example"))
            // Stand in for the terminal: a pipe with a keystroke waiting, on fd 0.
            var fds: [Int32] = [-1, -1]
            #expect(pipe(&fds) == 0)
            let savedStdin = dup(STDIN_FILENO)
            dup2(fds[0], STDIN_FILENO)
            defer {
                dup2(savedStdin, STDIN_FILENO)
                close(savedStdin)
                close(fds[0])
                close(fds[1])
            }
            #expect(write(fds[1], "q", 1) == 1)
            // libcurl's default body source is stdin: it would take the "q" and then wait for more,
            // until this timeout fails the request (long enough for a loaded CI machine to answer).
            var configuration = HTTPClientConfiguration()
            configuration.totalTimeout = .seconds(15)
            let impatient = APIClient(baseURL: server.baseURL, token: api.token, http: CurlHTTPClient(configuration: configuration))
            #expect(try await impatient.markRead(leadId: lead.id).updated == 0)
            _ = fcntl(fds[0], F_SETFL, O_NONBLOCK)
            var byte: UInt8 = 0
            #expect(read(fds[0], &byte, 1) == 1 && byte == UInt8(ascii: "q"), "the keystroke was consumed by an HTTP request")
        }
    }

    @Test("drafts: none, save, conflict with the current version, delete")
    func drafts() async throws {
        try await ClientTestServer.run { server in
            let (_, api) = try await server.signedInRep()
            let lead = try await api.createLead(CreateLeadRequest(name: "Dana Kim", email: "dana@northwind.example"))
            #expect(try await api.draft(leadId: lead.id) == nil)
            let first = try await api.saveDraft(leadId: lead.id, SaveDraftRequest(content: "Hi Dana", subject: nil, channel: .email, baseVersion: nil, savedAt: nil))
            let second = try await api.saveDraft(leadId: lead.id, SaveDraftRequest(content: "Hi Dana,", subject: nil, channel: .email, baseVersion: first.version, savedAt: nil))
            #expect(second.version > first.version)
            do {
                _ = try await api.saveDraft(leadId: lead.id, SaveDraftRequest(content: "stale", subject: nil, channel: .email, baseVersion: first.version, savedAt: nil))
                Issue.record("a stale save was accepted")
            } catch APIClientError.draftConflict(let current) {
                #expect(current.content == "Hi Dana,")
                #expect(current.version == second.version)
            }
            #expect(try await api.draft(leadId: lead.id)?.content == "Hi Dana,")
            try await api.deleteDraft(leadId: lead.id)
            #expect(try await api.draft(leadId: lead.id) == nil)
        }
    }

    @Test("dashboard and the event log follow what happened")
    func dashboardAndEvents() async throws {
        try await ClientTestServer.run { server in
            let (_, api) = try await server.signedInRep()
            let lead = try await api.createLead(CreateLeadRequest(name: "Dana Kim", email: "dana@northwind.example"))
            try await api.send(leadId: lead.id, SendMessageRequest(body: "Hello", subject: "Hi", channel: .email, clientId: "c-1"))
            #expect(try await api.stats().activityCounts.today.sent == 1)
            #expect(try await api.analytics().data.last?.sent == 1)
            #expect(try await api.activity().activities.isEmpty == false)
            let events = try await api.events(after: 0)
            #expect(!events.resync)
            #expect(events.events.map(\.offset) == Array(1...events.currentOffset))
            #expect(try await api.events(after: events.currentOffset).events.isEmpty)
        }
    }

    @Test("an unreachable server is a transport error that says so")
    func unreachable() async throws {
        // A port that was just free: nothing listens there.
        let port = try FreePort.find()
        let api = APIClient(baseURL: "http://127.0.0.1:\(port)", token: "clo_x", http: CurlHTTPClient())
        do {
            _ = try await api.me()
            Issue.record("reached a server that does not exist")
        } catch APIClientError.transport(let error) {
            #expect(error.isUnreachable)
            #expect(error.message.contains("onnect"))
        }
    }

    @Test("a request cancelled while the server says nothing ends at once")
    func cancellation() async throws {
        let silent = try SilentServer()
        let http = CurlHTTPClient()
        let task = Task { try await http.send(HTTPRequestSpec(method: "GET", url: "http://127.0.0.1:\(silent.port)/")) }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        let started = ContinuousClock.now
        await #expect(throws: CancellationError.self) { try await task.value }
        // Not a speed claim: without cancellation it would run to the 30 s total timeout; any
        // time well short of that (on however loaded a machine) shows cancellation ended it.
        #expect(ContinuousClock.now - started < .seconds(20))
    }
}
