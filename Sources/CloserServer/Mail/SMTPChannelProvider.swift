import CCurl
import CloserCore
import Foundation
import Logging

/// Email over SMTP with libcurl: `smtp://` (STARTTLS) or `smtps://`, with or without AUTH.
/// A 4xx reply or a network failure is transient (retried with backoff by `MessageDelivery`); a
/// 5xx reply, a refused login or a TLS failure is final, with the server's words as the reason.
struct SMTPChannelProvider: ChannelProvider {
    let name = "smtp"
    let configuration: MailConfiguration
    let renderer: EmailRenderer
    let logger: Logger

    func deliver(_ outbound: OutboundMessage) async -> DeliveryOutcome {
        guard let url = configuration.smtpURL else { return .failed(reason: "no SMTP server configured", retryable: false) }
        guard let recipient = outbound.lead.email else {
            return .failed(reason: "\(outbound.lead.name) has no email address", retryable: false)
        }
        let email: String
        do {
            email = try renderer.render(outbound)
        } catch {
            return .failed(reason: "could not compose the email: \(error)", retryable: false)
        }
        let transfer = BlockingCurlTransfer(
            url: url,
            kind: .smtp(from: configuration.from, recipients: [recipient], requireTLS: configuration.requireTLS),
            payload: Data(email.utf8),
            username: configuration.smtpUser,
            password: configuration.smtpPassword,
            caFile: configuration.caFile
        )
        do {
            let result = try await transfer.perform()
            if result.code == CURLE_OK { return .sent }
            let outcome = Self.classify(result)
            logger.warning("SMTP delivery failed", metadata: [
                "message": "\(outbound.message.id)", "reply": "\(result.responseCode)", "error": "\(result.message)",
            ])
            return outcome
        } catch {
            return .failed(reason: "SMTP: \(error)", retryable: true)
        }
    }

    /// Transient or final, from libcurl's code and the last SMTP reply.
    static func classify(_ result: BlockingCurlTransfer.Result) -> DeliveryOutcome {
        let reason = result.responseCode > 0 ? "SMTP \(result.responseCode): \(result.message)" : "SMTP: \(result.message)"
        if (400..<500).contains(result.responseCode) { return .failed(reason: reason, retryable: true) }
        if (500..<600).contains(result.responseCode) { return .failed(reason: reason, retryable: false) }
        let final: Set<CURLcode> = [CURLE_LOGIN_DENIED, CURLE_USE_SSL_FAILED, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE,
                                    CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_SSL_CERTPROBLEM]
        return .failed(reason: reason, retryable: !final.contains(result.code))
    }
}
