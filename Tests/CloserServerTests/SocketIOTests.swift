import CloserCore
@testable import CloserServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@Suite("Socket.IO: handshake, auth, pings, bad packets, events")
struct SocketIOTests {
    /// A server with fast Engine.IO timers, so timeouts are testable.
    static func fastRealtime(_ configuration: inout ServerConfiguration) {
        configuration.realtime.pingInterval = .milliseconds(700)
        configuration.realtime.pingTimeout = .milliseconds(700)
        configuration.realtime.connectTimeout = .seconds(2)
        configuration.realtime.maxPayload = 10_000
    }

    @Test("open packet, CONNECT with a token, and the acknowledgement with the offset", arguments: TestStore.available)
    func handshake(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            let socket = try await RawSocket.connect(port: server.client.port!)
            let (open, answer) = await socket.handshake(auth: ["token": .string(rep.token)])
            let opened = try #require(open)
            #expect(opened.upgrades.isEmpty)
            #expect(opened.pingInterval == 25_000)
            #expect(opened.pingTimeout == 20_000)
            #expect(opened.maxPayload == 1_000_000)
            #expect(opened.sid.count >= 16)
            let ack = try #require(answer)
            #expect(ack.type == .connect)
            #expect(ack.data?["sid"]?.stringValue?.isEmpty == false)
            #expect(ack.data?["offset"]?.intValue == 0)
            socket.close()
        }
    }

    @Test("a bad token gets CONNECT_ERROR Not authorized; an unknown namespace gets CONNECT_ERROR")
    func refusals() async throws {
        try await TestServer.run(.sqlite) { server in
            let socket = try await RawSocket.connect(port: server.client.port!)
            let (_, answer) = await socket.handshake(auth: ["token": "clo_nope"])
            #expect(answer?.type == .connectError)
            #expect(answer?.data?["message"]?.stringValue == "Not authorized")
            let none = try await RawSocket.connect(port: server.client.port!)
            #expect(await none.handshake(auth: nil).answer?.type == .connectError)

            let rep = try await server.makeRep()
            let admin = try await RawSocket.connect(port: server.client.port!)
            _ = await admin.next()
            admin.send("40/admin,{\"token\":\"\(rep.token)\"}")
            let reply = await admin.next(where: { $0.hasPrefix("44") })
            #expect(reply?.hasPrefix("44/admin,") == true)
        }
    }

    @Test("a connection that sends no CONNECT in time is closed")
    func connectTimeout() async throws {
        try await TestServer.run(.sqlite, configure: Self.fastRealtime) { server in
            let socket = try await RawSocket.connect(port: server.client.port!)
            #expect(await socket.next()?.hasPrefix("0{") == true)
            #expect(await socket.waitForClose(timeout: .seconds(5)))
        }
    }

    @Test("pings arrive every pingInterval; a socket that stops answering is dropped and unsubscribed")
    func pingTimeout() async throws {
        // Fast pings, but a pong deadline with room for a loaded CI machine.
        try await TestServer.run(.sqlite, configure: {
            $0.realtime.pingInterval = .milliseconds(500)
            $0.realtime.pingTimeout = .milliseconds(4000)
        }) { server in
            let rep = try await server.makeRep()
            let answering = try await RawSocket.connect(port: server.client.port!)
            _ = await answering.handshake(auth: ["token": .string(rep.token)])
            // The answering socket pongs every ping from now to the end, whatever else the test
            // is waiting for (a socket that stops ponging here would be dropped too).
            let ponger = Task {
                var pings = 0
                while !Task.isCancelled {
                    if await answering.next(timeout: .milliseconds(200)) == "2" {
                        pings += 1
                        answering.send("3")
                    }
                }
                return pings
            }
            let start = ContinuousClock.now
            let silent = try await RawSocket.connect(port: server.client.port!)
            _ = await silent.handshake(auth: ["token": .string(rep.token)])
            #expect(server.components.hub.subscriberCount(userId: rep.user.id) == 2)

            #expect(await silent.waitForClose(timeout: .seconds(20)))
            let silentFor = ContinuousClock.now - start
            #expect(server.components.hub.subscriberCount(userId: rep.user.id) == 1)
            ponger.cancel()
            let pings = await ponger.value
            // The silent socket had a ping every 500 ms and 4 s to answer the first; meanwhile the
            // answering one got pings at that pace (at least one every second on a loaded machine).
            #expect(silentFor >= .milliseconds(4000))
            #expect(pings >= 4, "\(pings) pings in \(silentFor)")
        }
    }

    @Test("oversized, invalid and binary packets close that connection only", arguments: [
        "oversized", "unknown type", "non-array event", "binary frame", "garbage",
    ])
    func badPackets(kind: String) async throws {
        // Small packets, but the default pings: the bystander must not be dropped for not ponging
        // while the test is busy elsewhere.
        try await TestServer.run(.sqlite, configure: { $0.realtime.maxPayload = 10_000 }) { server in
            let rep = try await server.makeRep()
            let bystander = try await RawSocket.connect(port: server.client.port!)
            _ = await bystander.handshake(auth: ["token": .string(rep.token)])
            let offender = try await RawSocket.connect(port: server.client.port!)
            _ = await offender.handshake(auth: ["token": .string(rep.token)])
            switch kind {
            case "oversized": offender.send("42[\"typing\",\"" + String(repeating: "x", count: 20_000) + "\"]")
            case "unknown type": offender.send("9")
            case "non-array event": offender.send("42{\"not\":\"an array\"}")
            case "binary frame": offender.sendBinary([0x04, 0x01, 0x02])
            default: offender.send("4\u{1}\u{2}garbage")
            }
            #expect(await offender.waitForClose(timeout: .seconds(15)))

            // The server and the other socket carry on.
            let lead = try await server.createLead(rep)
            let event = await bystander.nextEvent(named: "leads_updated")
            #expect(event?.payload["lead"]?["id"]?.stringValue == lead.id)
            #expect(try await server.request(.get, "/healthz").status == .ok)
        }
    }

    @Test("client events with an ack id are acknowledged")
    func acks() async throws {
        try await TestServer.run(.sqlite) { server in
            let rep = try await server.makeRep()
            let socket = try await RawSocket.connect(port: server.client.port!)
            _ = await socket.handshake(auth: ["token": .string(rep.token)])
            socket.send("4212[\"typing\",{\"leadId\":\"x\"}]")
            #expect(await socket.next(where: { $0.hasPrefix("43") }) == "4312[]")
        }
    }

    @Test("long-polling gets a clear 400 that says websocket only")
    func pollingRefused() async throws {
        try await TestServer.run(.sqlite) { server in
            let response = try await server.request(.get, "/socket.io/?EIO=4&transport=polling")
            #expect(response.status == .badRequest)
            #expect(try server.errorDetail(response).message.contains("websocket only"))
            let old = try await server.request(.get, "/socket.io/?EIO=3&transport=polling")
            #expect(try server.errorDetail(old).message.contains("EIO=4"))
        }
    }

    @Test("events reach every device of the rep who caused them, and no one else", arguments: TestStore.available)
    func perUserRooms(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            let other = try await server.makeRep("Other Rep")
            let laptop = try await RawSocket.connect(port: server.client.port!)
            _ = await laptop.handshake(auth: ["token": .string(rep.token)])
            let phone = try await RawSocket.connect(port: server.client.port!)
            _ = await phone.handshake(auth: ["token": .string(rep.token)])
            let stranger = try await RawSocket.connect(port: server.client.port!)
            _ = await stranger.handshake(auth: ["token": .string(other.token)])

            let lead = try await server.createLead(rep)
            let message = try await server.send(rep, to: lead, body: "Hi from the laptop")
            for device in [laptop, phone] {
                let inserted = await device.nextEvent(named: "messages_updated")
                #expect(inserted?.payload["action"]?.stringValue == "INSERT")
                #expect(inserted?.payload["message"]?["id"]?.stringValue == message.id)
                #expect((inserted?.payload["offset"]?.intValue ?? 0) > 0)
                var kinds: [String] = []
                while let activity = await device.nextEvent(timeout: .seconds(2), named: "activity_updated"), kinds.count < 3 {
                    kinds.append(activity.payload["event"]?.stringValue ?? "")
                    if kinds.last == "message_sent" { break }
                }
                #expect(kinds == ["status_changed", "message_sent"])
            }
            #expect(await stranger.nextEvent(timeout: .milliseconds(500)) == nil)
        }
    }

    @Test("a socket that stops reading is dropped once its send buffer stays full; the rep's other devices go on")
    func stalledReaderDropped() async throws {
        try await TestServer.run(.sqlite, configure: { $0.realtime.outboxLimit = 20 }) { server in
            let rep = try await server.makeRep()
            let lead = try await server.createLead(rep)
            let stalled = try StalledSocket(port: server.client.port!, token: rep.token)
            let healthy = try await RawSocket.connect(port: server.client.port!)
            _ = await healthy.handshake(auth: ["token": .string(rep.token)])
            let deadline = ContinuousClock.now + .seconds(20)
            while server.components.hub.subscriberCount(userId: rep.user.id) < 2, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(server.components.hub.subscriberCount(userId: rep.user.id) == 2)

            // 50 KB drafts until the stalled socket has been let go (or far more than any buffer holds).
            let text = String(repeating: "x", count: 50_000)
            var saves = 0
            while server.components.hub.subscriberCount(userId: rep.user.id) > 1, saves < 2_000, ContinuousClock.now < deadline {
                let response = try await server.request(.post, "/api/drafts/\(lead.id)", token: rep.token,
                                                        json: SaveDraftRequest(content: text + "\(saves)", channel: .email))
                #expect(response.status == .ok)
                saves += 1
            }
            #expect(server.components.hub.subscriberCount(userId: rep.user.id) == 1)
            #expect(stalled.closedByServer(within: .seconds(10)))
            // The other device got every one of those saves, the last one included.
            let last = await healthy.nextEvent(timeout: .seconds(10), named: "drafts_updated") { payload in
                payload["draft"]?["content"]?.stringValue == text + "\(saves - 1)"
            }
            #expect(last != nil)
        }
    }

    @Test("stats_updated is coalesced to about 4 a second and ends with the final figures", arguments: TestStore.available)
    func coalescedStats(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            let socket = try await RawSocket.connect(port: server.client.port!)
            _ = await socket.handshake(auth: ["token": .string(rep.token)])
            let lead = try await server.createLead(rep)
            let start = ContinuousClock.now
            for index in 0..<20 {
                try await server.send(rep, to: lead, body: "message \(index)")
            }
            let elapsed = ContinuousClock.now - start
            var stats: [JSONValue] = []
            while let event = await socket.nextEvent(timeout: .milliseconds(1500), named: "stats_updated") {
                stats.append(event.payload)
            }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            #expect(!stats.isEmpty)
            #expect(Double(stats.count) <= seconds * 4 + 3, "\(stats.count) stats events in \(seconds) s")
            #expect(stats.last?["stats"]?["activityCounts"]?["today"]?["sent"]?.intValue == 20)
        }
    }

    @Test("the hub lets go of a rep once their last socket closes, after events reached them", arguments: TestStore.available)
    func hubForgetsDisconnectedReps(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            var sockets: [(RawSocket, TestServer.Rep)] = []
            for index in 0..<5 {
                let rep = try await server.makeRep("Rep \(index)", email: "rep\(index)@closer.example")
                let socket = try await RawSocket.connect(port: server.client.port!)
                #expect(await socket.handshake(auth: ["token": .string(rep.token)]).answer?.type == .connect)
                let lead = try await server.createLead(rep)
                let response = try await server.request(.post, "/api/drafts/\(lead.id)", token: rep.token,
                                                        json: SaveDraftRequest(content: "hello \(index)", channel: .email))
                #expect(response.status == .ok)
                #expect(await socket.nextEvent(named: "drafts_updated") != nil)
                sockets.append((socket, rep))
            }
            #expect(server.components.hub.retainedReps == 5)
            for (socket, _) in sockets { socket.close() }
            let deadline = ContinuousClock.now + .seconds(10)
            while server.components.hub.retainedReps > 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(server.components.hub.retainedReps == 0)
            #expect(sockets.allSatisfy { server.components.hub.subscriberCount(userId: $0.1.user.id) == 0 })
        }
    }
}
