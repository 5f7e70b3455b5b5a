import CloserCore
import Foundation
import Hummingbird

/// `POST /api/webhooks/inbound`: messages leads send, forwarded by an integrator. Authenticated
/// by `WebhookSignature` over the timestamp and the exact body with the shared secret; a bad or
/// missing signature, or one more than 5 minutes from now, is 401 before the body is decoded.
struct WebhookRoutes {
    let inbox: Inbox
    let secret: String?
    let maxBodyBytes: Int

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("api/webhooks/inbound", use: inbound)
    }

    @Sendable func inbound(request: Request, context: AppRequestContext) async throws -> JSONResponse<InboundMessageResponse> {
        guard let secret else {
            throw APIError(.serviceUnavailable, code: "webhook_not_configured",
                           message: "inbound webhooks are off: start the server with --inbound-secret-file")
        }
        var request = request
        let body = try await request.collectJSONBody(limit: maxBodyBytes)
        do {
            try WebhookSignature.verify(
                body: body, timestamp: request.headers[.closerTimestamp], signature: request.headers[.closerSignature], secret: secret
            )
        } catch {
            let message = switch error {
            case .missing: "X-Closer-Timestamp and X-Closer-Signature are required"
            case .stale: "the timestamp is more than 5 minutes from the server's clock"
            case .mismatch: "the signature does not match"
            }
            throw APIError(.unauthorized, code: "bad_signature", message: message)
        }
        let inbound = try Request.decodeJSON(InboundMessageRequest.self, from: body)
        let (message, created) = try await inbox.receive(inbound)
        return JSONResponse(InboundMessageResponse(message: message, created: created), status: created ? .created : .ok)
    }
}
