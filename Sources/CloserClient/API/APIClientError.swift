import CloserCore

/// Why an API call failed, in the terms the client acts on.
public enum APIClientError: Error, Sendable, CustomStringConvertible {
    /// No HTTP answer: the server is unreachable, or the link broke mid-request.
    case transport(CurlError)
    /// 401: the token is missing, wrong or expired. The rep has to sign in again.
    case unauthorized
    /// 409 on a draft save: someone (another device) saved first; `current` is their version.
    case draftConflict(current: Draft)
    /// Any other error answer, with the server's own code, message and field.
    case server(status: Int, detail: APIErrorBody.Detail)
    /// A 2xx answer whose body is not what the API promises.
    case invalidResponse(status: Int, reason: String)

    /// Worth trying again later (the outbox and draft sync retry these; others need a person).
    public var isRetryable: Bool {
        switch self {
        case .transport: true
        case .server(let status, _): status >= 500 || status == 429
        case .unauthorized, .draftConflict, .invalidResponse: false
        }
    }

    public var description: String {
        switch self {
        case .transport(let error): "cannot reach the server: \(error.message)"
        case .unauthorized: "session expired: run `closer login`"
        case .draftConflict: "the draft was changed on another device"
        case .server(let status, let detail):
            detail.field.map { "\(detail.message) (\($0), HTTP \(status))" } ?? "\(detail.message) (HTTP \(status))"
        case .invalidResponse(let status, let reason): "unexpected answer from the server (HTTP \(status)): \(reason)"
        }
    }
}
