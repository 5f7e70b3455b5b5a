import CloserClient
import CloserCore
import CloserTUI
import Foundation
import Logging
import Synchronization

/// Send -> drawn: client A's `perform(.send)` until the first frame of client B (same rep, the
/// lead's thread open) that shows the message; interleaved one for one with the baseline, a bare
/// `POST /api/messages/:leadId` through `APIClient`, whose round trip is timed (and whose message
/// is also waited for on B's screen, so both kinds of send leave the same work behind them).
struct RealtimeBench {
    let options: BenchArguments

    struct Result: Codable {
        var mode = "realtime"
        var sends: Int
        var warmup: Int
        var gapMilliseconds: Int
        var channel: String
        var samples: [Samples]
        /// Sends whose message never reached B's screen within the timeout, by kind.
        var timeouts: [String: Int]
        var framesPresented: Int
        var threadMessagesAtEnd: Int
        var screenAtEnd: [String]
    }

    func run() async throws {
        let server = try options.string("server")
        let email = try options.string("email")
        let password = try options.secret("password-file")
        let output = try options.string("out")
        let workdir = try options.string("workdir")
        let sends = try options.int("sends", default: 1_000)
        let warmup = try options.int("warmup", default: 20)
        let gapMilliseconds = try options.int("gap-ms", default: 20)
        let gap = Duration.milliseconds(gapMilliseconds)
        let timeout = Duration.seconds(try options.int("timeout-s", default: 5))

        let http = CurlHTTPClient()
        var api = APIClient(baseURL: server, http: http)
        // Two devices of one rep: two sign-ins, two tokens.
        let tokenA = try await api.login(email: email, password: password).token
        let tokenB = try await api.login(email: email, password: password).token
        api.token = tokenA
        let lead = try await api.createLead(CreateLeadRequest(name: "Sync Bench Lead", phone: "+1 415 555 0100"))

        var logger = Logger(label: "closer-bench-sync")
        logger.logLevel = .error
        let sender = SyncEngine(server: server, token: tokenA, cache: try ClientCache(path: workdir + "/client-a.sqlite"), logger: logger)
        let senderOnline = Atomic<Bool>(false)
        sender.start { event in
            if case .connection(let status) = event { senderOnline.store(status == .online, ordering: .releasing) }
        }
        let watch = ScreenWatch()
        let drawing = try DrawingClient(
            engine: SyncEngine(server: server, token: tokenB, cache: try ClientCache(path: workdir + "/client-b.sqlite"), logger: logger),
            size: Size(width: 200, height: 50), leadId: lead.id, watch: watch)
        drawing.start()
        defer {
            drawing.stop()
            sender.stop()
        }

        let deadline = ContinuousClock.now + .seconds(20)
        while !(senderOnline.load(ordering: .acquiring) && drawing.isReady) {
            guard ContinuousClock.now < deadline else { throw BenchFailure("the two clients were not online with the thread open within 20 s") }
            try await Task.sleep(for: .milliseconds(20))
        }
        // The thread is open and live: a first message must reach B's screen.
        let marker = "sync-bench marker \(Self.nonce())"
        watch.expect(marker)
        try await api.send(leadId: lead.id, SendMessageRequest(body: marker, channel: .sms, clientId: "marker-\(Self.nonce())"))
        guard await watch.wait(timeout: .seconds(10)).drawnAt != nil else { throw BenchFailure("the marker message never reached B's screen") }
        progress("clients online, thread open on B; \(warmup) warm-up sends of each kind, then \(sends)")

        var drawn = Samples(name: "send.drawn", what: "A perform(.send) -> first frame on B showing the message")
        var perform = Samples(name: "send.perform", what: "A perform(.send) returning (outbox write, local echo, task spawned)")
        var toEvent = Samples(name: "send.event", what: "A perform(.send) -> B's engine emits the message (socket, decode, cache write)")
        var eventToFrame = Samples(name: "send.event-to-frame", what: "B's engine emits the message -> frame presented")
        var rest = Samples(name: "rest.roundtrip", what: "bare POST /api/messages/:leadId (APIClient.send) round trip")
        var restDrawn = Samples(name: "rest.drawn", what: "bare POST sent -> first frame on B showing the message")
        var timeouts = ["send": 0, "rest": 0]
        let channel = Channel.sms

        for index in -warmup..<sends {
            let measured = index >= 0
            let body = "sync-bench e\(index) \(Self.nonce())"
            watch.expect(body)
            let sentAt = ContinuousClock.now
            sender.perform(.send(OutgoingMessage(leadId: lead.id, body: body, subject: nil, channel: channel, clientId: "bench-e-\(Self.nonce())")))
            let returnedAt = ContinuousClock.now
            let outcome = await watch.wait(timeout: timeout)
            if measured {
                perform.milliseconds.append(sentAt.milliseconds(to: returnedAt))
                if let drawnAt = outcome.drawnAt {
                    drawn.milliseconds.append(sentAt.milliseconds(to: drawnAt))
                    if let eventAt = outcome.eventAt {
                        toEvent.milliseconds.append(sentAt.milliseconds(to: eventAt))
                        eventToFrame.milliseconds.append(eventAt.milliseconds(to: drawnAt))
                    }
                } else {
                    timeouts["send", default: 0] += 1
                }
            }
            try await Task.sleep(for: gap)

            let restBody = "sync-bench r\(index) \(Self.nonce())"
            watch.expect(restBody)
            let postedAt = ContinuousClock.now
            try await api.send(leadId: lead.id, SendMessageRequest(body: restBody, channel: channel, clientId: "bench-r-\(Self.nonce())"))
            let answeredAt = ContinuousClock.now
            let restOutcome = await watch.wait(timeout: timeout)
            if measured {
                rest.milliseconds.append(postedAt.milliseconds(to: answeredAt))
                if let drawnAt = restOutcome.drawnAt {
                    restDrawn.milliseconds.append(postedAt.milliseconds(to: drawnAt))
                } else {
                    timeouts["rest", default: 0] += 1
                }
            }
            try await Task.sleep(for: gap)
            if measured, (index + 1) % 250 == 0 { progress("\(index + 1)/\(sends) sends") }
        }

        let samples = [drawn, perform, toEvent, eventToFrame, rest, restDrawn]
        for sample in samples { progress(sample.summary) }
        try writeJSON(Result(sends: sends, warmup: warmup, gapMilliseconds: gapMilliseconds,
                             channel: channel.rawValue, samples: samples, timeouts: timeouts, framesPresented: drawing.frames,
                             threadMessagesAtEnd: drawing.threadMessages, screenAtEnd: drawing.screenLines), to: output)
        if timeouts.values.contains(where: { $0 > 0 }) { throw BenchFailure("messages that never reached B's screen: \(timeouts)") }
    }

    /// A short random suffix: bodies and client ids are unique across runs on one server.
    static func nonce() -> String {
        String(UInt32.random(in: .min ... .max), radix: 36)
    }
}
