import CloserCore
@testable import CloserServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import Testing

/// Delivery through real outside parts: SMTP with STARTTLS and AUTH, transient and permanent SMTP
/// failures, and the signed outbound webhook for the other channels.
@Suite("Delivery")
struct DeliveryTests {
    @Test("STARTTLS with AUTH against a real SMTP server; a wrong password fails the message with the server's reason")
    func startTLSAndAuth() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("closer-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let tls = try SMTPSink.makeCertificate(in: directory)
        try await SMTPSink.run(auth: "rita:s3cret pass", tls: tls) { sink in
            for (password, delivered) in [("s3cret pass", true), ("wrong", false)] {
                try await TestServer.run(.sqlite, configure: { configuration in
                    configuration.mail.smtpURL = sink.url
                    configuration.mail.smtpUser = "rita"
                    configuration.mail.smtpPassword = password
                    configuration.mail.caFile = tls.certificate
                }) { server in
                    let rep = try await server.makeRep()
                    let lead = try await server.createLead(rep)
                    let message = try await server.send(rep, to: lead, body: "Over TLS")
                    if delivered {
                        let sent = try await server.waitForMessage(rep, message.id) { $0.status == .sent }
                        #expect(sent.status == .sent, "\(sent.failureReason ?? "")")
                        let received = await sink.waitForMessages(1).first?.received
                        #expect(received?.parsed.text?.contains("Over TLS") == true)
                        #expect(received?.tls == true)
                    } else {
                        let failed = try await server.waitForMessage(rep, message.id) { $0.status == .failed }
                        #expect(failed.failureReason?.contains("535") == true || failed.failureReason?.lowercased().contains("login") == true,
                                "\(failed.failureReason ?? "")")
                    }
                }
            }
            #expect(sink.received().count == 1)
        }
    }

    @Test("SMTPS (TLS from the first byte) with AUTH; a certificate the server cannot verify fails the message and sends nothing")
    func smtpsAndAuth() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("closer-smtps-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let tls = try SMTPSink.makeCertificate(in: directory)
        try await SMTPSink.run(auth: "rita:s3cret pass", tls: tls, implicitTLS: true) { sink in
            #expect(sink.url.hasPrefix("smtps://"))
            for trusted in [true, false] {
                try await TestServer.run(.sqlite, configure: { configuration in
                    configuration.mail.smtpURL = sink.url
                    configuration.mail.smtpUser = "rita"
                    configuration.mail.smtpPassword = "s3cret pass"
                    // Untrusted: the system's CAs only, which never signed this self-signed one.
                    configuration.mail.caFile = trusted ? tls.certificate : nil
                }) { server in
                    let rep = try await server.makeRep()
                    let lead = try await server.createLead(rep)
                    let message = try await server.send(rep, to: lead, body: "Over SMTPS")
                    if trusted {
                        let sent = try await server.waitForMessage(rep, message.id) { $0.status == .sent }
                        #expect(sent.status == .sent, "\(sent.failureReason ?? "")")
                        let received = await sink.waitForMessages(1).first?.received
                        #expect(received?.parsed.text?.contains("Over SMTPS") == true)
                        #expect(received?.tls == true)
                        #expect(received?.rcptTos == ["dana@northwind.example"])
                    } else {
                        let failed = try await server.waitForMessage(rep, message.id) { $0.status == .failed }
                        #expect(failed.status == .failed)
                        #expect(failed.failureReason?.lowercased().contains("certificate") == true, "\(failed.failureReason ?? "")")
                    }
                }
            }
            #expect(sink.received().count == 1)
        }
    }

    @Test("a transient SMTP failure (451) is retried and delivered once; a permanent one (550) fails with the reason and tells the client")
    func smtpFailures() async throws {
        try await SMTPSink.run(failFirst: (2, 451)) { flaky in
            try await TestServer.run(.sqlite, configure: { configuration in
                configuration.mail.smtpURL = flaky.url
                configuration.mail.firstRetryDelay = .milliseconds(100)
            }) { server in
                let rep = try await server.makeRep()
                let lead = try await server.createLead(rep)
                let message = try await server.send(rep, to: lead, body: "Try, try again")
                // The first attempt's 451 leaves it queued for a retry (the answer to the send may
                // come before that attempt settles on a loaded machine).
                let retrying = try await server.waitForMessage(rep, message.id) { $0.failureReason != nil || $0.status != .queued }
                #expect(retrying.status == .queued)
                #expect(retrying.failureReason?.contains("451") == true)
                let sent = try await server.waitForMessage(rep, message.id, timeout: .seconds(20)) { $0.status == .sent }
                #expect(sent.status == .sent)
                #expect(flaky.received().count == 1)
            }
        }

        try await SMTPSink.run(failFirst: (100, 550)) { refusing in
            try await TestServer.run(.sqlite, configure: { $0.mail.smtpURL = refusing.url }) { server in
                let rep = try await server.makeRep()
                let lead = try await server.createLead(rep)
                let socket = try await RawSocket.connect(port: server.client.port!)
                #expect(await socket.handshake(auth: ["token": .string(rep.token)]).answer?.type == .connect)
                let message = try await server.send(rep, to: lead, body: "Never arrives")
                let event = try #require(await socket.nextEvent(named: "messages_updated") { $0["message"]?["status"]?.stringValue == "failed" })
                #expect(event.payload["message"]?["failureReason"]?.stringValue?.contains("550") == true)
                let failed = try await server.waitForMessage(rep, message.id) { $0.status == .failed }
                #expect(failed.failureReason?.contains("550") == true)
                #expect(refusing.received().isEmpty)
            }
        }
    }

    @Test("sms through the outbound webhook: signed JSON POST, retried after a 500, delivered once")
    func outboundWebhook() async throws {
        let receiver = try await WebhookReceiver.start(failFirst: 1)
        do {
            try await deliverSMS(through: receiver)
        } catch {
            await receiver.stop()
            throw error
        }
        await receiver.stop()
    }

    private func deliverSMS(through receiver: WebhookReceiver) async throws {
        try await TestServer.run(.sqlite, configure: { configuration in
            configuration.outboundWebhooks[.sms] = receiver.url
            configuration.outboundWebhookSecret = "outbound-secret"
            configuration.mail.firstRetryDelay = .milliseconds(100)
        }) { server in
            let rep = try await server.makeRep()
            let lead = try await server.createLead(rep, name: "Liam O'Connor", email: nil, phone: "+14155550100")
            let message = try await server.send(rep, to: lead, body: "It is $49 a month 👍", subject: nil, channel: .sms)
            let sent = try await server.waitForMessage(rep, message.id, timeout: .seconds(20)) { $0.status == .sent }
            #expect(sent.status == .sent)
            let requests = receiver.requests
            #expect(requests.count == 2, "one 500, then the delivery")
            let last = try #require(requests.last)
            #expect(throws: Never.self) {
                try WebhookSignature.verify(body: last.body, timestamp: last.timestamp, signature: last.signature, secret: "outbound-secret")
            }
            let payload = try CloserJSON.decoder().decode(WebhookChannelProvider.Payload.self, from: last.body)
            #expect(payload.id == message.id)
            #expect(payload.to.phone == "+14155550100")
            #expect(payload.body == "It is $49 a month 👍")
        }
    }
}

/// An integrator's endpoint on a loopback port: records each POST, answers 500 to the first few.
final class WebhookReceiver: Sendable {
    struct Received: Sendable {
        let body: Data
        let timestamp: String?
        let signature: String?
    }

    private let state = Mutex<[Received]>([])
    private let group = Mutex<ServiceGroup?>(nil)
    private let task = Mutex<Task<Void, any Error>?>(nil)
    private let port = Atomic<Int>(0)

    var url: String { "http://127.0.0.1:\(port.load(ordering: .acquiring))/hooks/sms" }
    var requests: [Received] { state.withLock { $0 } }

    static func start(failFirst: Int) async throws -> WebhookReceiver {
        let receiver = WebhookReceiver()
        let router = Router()
        router.post("hooks/sms") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let count = receiver.state.withLock { requests in
                requests.append(Received(body: Data(body.readableBytesView), timestamp: request.headers[.closerTimestamp],
                                         signature: request.headers[.closerSignature]))
                return requests.count
            }
            return Response(status: count <= failFirst ? .internalServerError : .accepted)
        }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "webhook-receiver")
        logger.logLevel = .critical
        let application = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                                      onServerRunning: { channel in
                                          continuation.yield(channel.localAddress?.port ?? 0)
                                          continuation.finish()
                                      }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [application], logger: logger))
        receiver.group.withLock { $0 = group }
        receiver.task.withLock { $0 = Task { try await group.run() } }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw TestStoreError(description: "the webhook receiver did not start") }
        receiver.port.store(port, ordering: .releasing)
        return receiver
    }

    func stop() async {
        await group.withLock { $0 }?.triggerGracefulShutdown()
        _ = await task.withLock { $0 }?.result
    }
}
