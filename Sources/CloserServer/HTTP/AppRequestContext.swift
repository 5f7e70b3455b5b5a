import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore

/// The request context of every route: the signed-in rep (once authenticated), the peer address,
/// and the WebSocket upgrade slot that Socket.IO needs.
public struct AppRequestContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<Self>
    /// The socket's peer, before any proxy header is considered.
    public let remoteAddress: SocketAddress?
    /// The connection itself, for closing a WebSocket hard when its peer ignores the close handshake.
    public let channel: any Channel
    /// The rep the bearer token belongs to; set by `AuthMiddleware`.
    public var user: AuthenticatedUser?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.webSocket = .init()
        self.remoteAddress = source.channel.remoteAddress
        self.channel = source.channel
    }

    /// The authenticated rep, or a 401 when the route forgot its middleware.
    public func requireUser() throws -> AuthenticatedUser {
        guard let user else { throw APIError.unauthorized }
        return user
    }
}

/// The rep a request acts for.
public struct AuthenticatedUser: Sendable, Hashable {
    public let id: String
    public let email: String
    public let name: String
    /// The hash of the token used, so `logout` can revoke exactly that token.
    public let tokenHash: String
}
