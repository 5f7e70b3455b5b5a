import Crypto
import Foundation

/// HMAC-SHA256 webhook signatures, one scheme both ways: the server signs what it POSTs to
/// integrators, and checks what integrators POST to `/api/webhooks/inbound`.
///
/// The signed text is `"{timestamp}.{body}"` with the timestamp in Unix seconds, sent as
/// `X-Closer-Timestamp`; the signature goes in `X-Closer-Signature` as `sha256={lowercase hex}`.
/// Binding the timestamp into the MAC stops a captured request from being replayed later with a
/// fresh timestamp.
enum WebhookSignature {
    static let timestampHeader = "X-Closer-Timestamp"
    static let signatureHeader = "X-Closer-Signature"
    /// Requests further than this from the server's clock, either way, are refused.
    static let tolerance: TimeInterval = 300

    static func sign(body: Data, timestamp: Int, secret: String) -> String {
        var signed = Data("\(timestamp).".utf8)
        signed.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + SecureToken.hex(mac)
    }

    enum Failure: Error, Equatable {
        case missing
        case stale
        case mismatch
    }

    static func verify(body: Data, timestamp: String?, signature: String?, secret: String, now: Date = Date()) throws(Failure) {
        guard let timestamp, let signature, let seconds = Int(timestamp) else { throw .missing }
        guard abs(now.timeIntervalSince1970 - Double(seconds)) <= tolerance else { throw .stale }
        let expected = sign(body: body, timestamp: seconds, secret: secret)
        guard SecureToken.constantTimeEquals(expected, signature.lowercased()) else { throw .mismatch }
    }
}
