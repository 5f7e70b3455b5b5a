import CCurl
import CloserCore
import Foundation
import Logging

/// Instagram, SMS and WhatsApp through an integrator's bridge (Twilio, Meta, …): the message is
/// POSTed as JSON to the channel's configured URL, signed like inbound webhooks
/// (`WebhookSignature`). A 2xx is sent; 408, 429, a 5xx or a network failure are retried; any
/// other answer is final, with the status and the start of the body as the reason.
struct WebhookChannelProvider: ChannelProvider {
    let name = "webhook"
    let url: String
    let secret: String?
    let logger: Logger

    /// What the integrator receives.
    struct Payload: Codable, Sendable {
        var id: String
        var channel: Channel
        var leadId: String
        var to: Recipient
        var body: String
        var createdAt: Date
    }

    struct Recipient: Codable, Sendable {
        var name: String
        var phone: String?
        var instagram: String?
    }

    func deliver(_ outbound: OutboundMessage) async -> DeliveryOutcome {
        let message = outbound.message
        let payload = Payload(
            id: message.id, channel: message.channel, leadId: outbound.lead.id,
            to: Recipient(name: outbound.lead.name, phone: outbound.lead.phone, instagram: outbound.lead.instagram),
            body: message.body, createdAt: message.createdAt
        )
        let body: Data
        do {
            body = try CloserJSON.encoder().encode(payload)
        } catch {
            return .failed(reason: "could not encode the webhook payload: \(error)", retryable: false)
        }
        let timestamp = Int(Date().timeIntervalSince1970)
        var headers = [("Content-Type", "application/json"), (WebhookSignature.timestampHeader, "\(timestamp)")]
        if let secret { headers.append((WebhookSignature.signatureHeader, WebhookSignature.sign(body: body, timestamp: timestamp, secret: secret))) }
        let transfer = BlockingCurlTransfer(url: url, kind: .http(method: "POST", headers: headers), payload: body, totalTimeout: .seconds(20))
        do {
            let result = try await transfer.perform()
            guard result.code == CURLE_OK else { return .failed(reason: "webhook: \(result.message)", retryable: true) }
            switch result.responseCode {
            case 200..<300:
                return .sent
            case 408, 429, 500..<600:
                return .failed(reason: "webhook answered \(result.responseCode)", retryable: true)
            default:
                let answer = String(decoding: result.body.prefix(200), as: UTF8.self)
                logger.warning("webhook refused a message", metadata: ["message": "\(message.id)", "status": "\(result.responseCode)"])
                return .failed(reason: "webhook answered \(result.responseCode): \(answer)", retryable: false)
            }
        } catch {
            return .failed(reason: "webhook: \(error)", retryable: true)
        }
    }
}
