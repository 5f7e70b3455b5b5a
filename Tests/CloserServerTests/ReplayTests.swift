import CloserCore
@testable import CloserServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import PostgresNIO
import SQLKit
import Testing

@Suite("Never lose an event: replay, resync, restarts, two instances")
struct ReplayTests {
    /// The offsets of every event frame read until nothing arrives for `quiet`.
    static func offsets(from socket: RawSocket, quiet: Duration = .milliseconds(700)) async -> [Int] {
        var offsets: [Int] = []
        while let event = await socket.nextEvent(timeout: quiet) {
            if let offset = event.payload["offset"]?.intValue { offsets.append(offset) }
        }
        return offsets
    }

    @Test("a client that reconnects with its offset gets every missed event in order, then live ones", arguments: TestStore.available)
    func replayAfterReconnect(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            let lead = try await server.createLead(rep)
            let first = try await RawSocket.connect(port: server.client.port!)
            let ack = await first.handshake(auth: ["token": .string(rep.token)]).answer
            let offset = try #require(ack?.data?["offset"]?.intValue)
            first.close()

            // While away: a colleague's reply on another device, a draft, a status change.
            try await server.send(rep, to: lead, body: "sent from the phone")
            _ = try await server.request(.post, "/api/drafts/\(lead.id)", token: rep.token, json: SaveDraftRequest(content: "half", channel: .email))
            _ = try await server.request(.patch, "/api/leads/\(lead.id)", token: rep.token, json: UpdateLeadRequest(status: .qualified))
            let current = try server.decode(MeResponse.self, try await server.request(.get, "/api/me", token: rep.token)).eventOffset

            let again = try await RawSocket.connect(port: server.client.port!)
            _ = await again.handshake(auth: ["token": .string(rep.token), "offset": .number(Double(offset))])
            let replayed = await Self.offsets(from: again)
            #expect(Array(replayed.prefix(current - offset)) == Array((offset + 1)...current))

            _ = try await server.request(.post, "/api/drafts/\(lead.id)", token: rep.token, json: SaveDraftRequest(content: "live", channel: .email))
            let live = await again.nextEvent(named: "drafts_updated")
            #expect((live?.payload["offset"]?.intValue ?? 0) > current)
            #expect(live?.payload["draft"]?["content"]?.stringValue == "live")
        }
    }

    @Test("no gap and no duplicate at the seam between replay and live events", arguments: TestStore.available)
    func seam(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            let lead = try await server.createLead(rep)
            for index in 0..<10 {
                _ = try await server.request(.post, "/api/drafts/\(lead.id)", token: rep.token, json: SaveDraftRequest(content: "before \(index)", channel: .email))
            }
            // Writes keep coming while the client connects and replays.
            let writer = Task {
                for index in 0..<40 {
                    _ = try await server.request(.post, "/api/drafts/\(lead.id)", token: rep.token, json: SaveDraftRequest(content: "during \(index)", channel: .email))
                }
            }
            let socket = try await RawSocket.connect(port: server.client.port!)
            _ = await socket.handshake(auth: ["token": .string(rep.token), "offset": 3])
            try await writer.value
            let current = try server.decode(MeResponse.self, try await server.request(.get, "/api/me", token: rep.token)).eventOffset
            let received = await Self.offsets(from: socket)
            #expect(received == Array(4...current))
        }
    }

    @Test("an offset the log no longer holds gets resync, then live events", arguments: TestStore.available)
    func resync(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            for index in 0..<8 { _ = try await server.createLead(rep, name: "Lead \(index)", email: "l\(index)@example.com") }
            try await server.database.write { db in
                try await EventLogStore(db: db).prune(userId: rep.user.id, keep: 2, olderThan: .distantPast)
            }
            let socket = try await RawSocket.connect(port: server.client.port!)
            _ = await socket.handshake(auth: ["token": .string(rep.token), "offset": 1])
            let resync = await socket.nextEvent()
            #expect(resync?.name == "resync")
            #expect(resync?.payload["requestedOffset"]?.intValue == 1)
            _ = try await server.createLead(rep, name: "After", email: "after@example.com")
            #expect(await socket.nextEvent(named: "leads_updated")?.payload["lead"]?["name"]?.stringValue == "After")
        }
    }

    @Test("a reconnect across a server restart replays what happened meanwhile")
    func acrossRestart() async throws {
        let (url, cleanup) = try await TestStore.sqlite.makeDatabase()
        defer { Task { await cleanup() } }
        let first = try await LiveServer.start(url)
        let admin = UserAdministration(database: first.database, bcryptCost: 4)
        _ = try await admin.addUser(email: "rita@closer.example", name: "Rita Rep", password: "correct horse battery")
        let api = try await RESTClient(baseURL: first.baseURL).login(email: "rita@closer.example", password: "correct horse battery")
        let lead = try await api.createLead()
        let socket = try await RawSocket.connect(port: first.port)
        let offset = try #require(await socket.handshake(auth: ["token": .string(api.token!)]).answer?.data?["offset"]?.intValue)
        await first.stop()
        #expect(await socket.waitForClose(timeout: .seconds(5)))

        let second = try await LiveServer.start(url)
        let api2 = RESTClient(baseURL: second.baseURL, token: api.token)
        let message = try await api2.send(to: lead.id, body: "sent while the client was away")
        let reconnected = try await RawSocket.connect(port: second.port)
        _ = await reconnected.handshake(auth: ["token": .string(api.token!), "offset": .number(Double(offset))])
        var seen: [String] = []
        while let event = await reconnected.nextEvent(timeout: .milliseconds(700)) {
            if event.name == "messages_updated" { seen.append(event.payload["message"]?["id"]?.stringValue ?? "") }
        }
        #expect(seen.first == message.id)
        await second.stop()
    }

    @Test("two instances on one PostgreSQL: a message sent through B reaches a client of A, across a restart of B",
          .enabled(if: TestStore.postgresAdminURL != nil))
    func twoInstances() async throws {
        let (url, cleanup) = try await TestStore.postgres.makeDatabase()
        let a = try await LiveServer.start(url)
        var b = try await LiveServer.start(url)
        _ = try await UserAdministration(database: a.database, bcryptCost: 4).addUser(email: "rita@closer.example", name: "Rita Rep", password: "correct horse battery")
        let viaA = try await RESTClient(baseURL: a.baseURL).login(email: "rita@closer.example", password: "correct horse battery")
        let viaB = RESTClient(baseURL: b.baseURL, token: viaA.token)
        let lead = try await viaB.createLead()

        let socket = try await RawSocket.connect(port: a.port)
        _ = await socket.handshake(auth: ["token": .string(viaA.token!)])
        let first = try await viaB.send(to: lead.id, body: "through B")
        #expect(await socket.messageEvent(id: first.id) != nil)

        await b.stop()
        b = try await LiveServer.start(url)
        let second = try await RESTClient(baseURL: b.baseURL, token: viaA.token).send(to: lead.id, body: "through the new B")
        #expect(await socket.messageEvent(id: second.id) != nil)

        // A's LISTEN connection dies: it reconnects and catches up from the log.
        try await Self.terminateListeners(url)
        let third = try await RESTClient(baseURL: b.baseURL, token: viaA.token).send(to: lead.id, body: "while A was not listening")
        #expect(await socket.messageEvent(id: third.id, timeout: .seconds(15)) != nil)

        await a.stop()
        await b.stop()
        await cleanup()
    }

    /// Kills every backend that is LISTENing, as a network blip or a failover would.
    static func terminateListeners(_ url: DatabaseURL) async throws {
        guard case .postgres(let host, let port, let user, let password, let database) = url else { return }
        let configuration = PostgresConnection.Configuration(host: host, port: port, username: user, password: password, database: database, tls: .disable)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 99, logger: Logger(label: "terminator"))
        try await connection.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()", logger: Logger(label: "terminator"))
        try await connection.close()
    }
}
