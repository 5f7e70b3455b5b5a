import CloserCore
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore

/// `GET /socket.io/?EIO=4&transport=websocket`: the Socket.IO endpoint. Polling is not offered:
/// a polling request gets a clear 400.
struct SocketIOEndpoint {
    let hub: EventHub
    let database: Database
    let authenticator: TokenAuthenticator
    let configuration: RealtimeConfiguration
    let logger: Logger

    /// The plain-HTTP side: anything that is not a WebSocket upgrade is told so.
    func addHTTPRoutes(to router: Router<AppRequestContext>) {
        router.get("socket.io") { request, _ -> Response in
            throw Self.refusal(for: request)
        }
    }

    /// The upgrade side.
    func addWebSocketRoutes(to router: Router<AppRequestContext>) {
        router.ws("socket.io") { request, _ in
            guard request.uri.queryParameters.get("EIO") == "4", request.uri.queryParameters.get("transport") == "websocket" else {
                return .dontUpgrade
            }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            let channel = context.requestContext.channel
            let session = SocketIOSession(channel: channel, hub: hub, database: database, authenticator: authenticator, configuration: configuration, logger: logger)
            await session.run(inbound: inbound, outbound: outbound)
            // The session is over and its close frame is sent. A peer that never answers it (or
            // never closes its end) must not hold the connection, or a server shutdown, for ever:
            // WSCore's own close timeout is a Swift task that shutdown cancels before it fires.
            // An event-loop timer is immune to that.
            channel.eventLoop.scheduleTask(in: .init(configuration.closeGrace)) {
                channel.close(promise: nil)
            }
        }
    }

    static func refusal(for request: Request) -> APIError {
        let transport = request.uri.queryParameters.get("transport") ?? "none"
        if request.uri.queryParameters.get("EIO") != "4" {
            return APIError(.badRequest, code: "unsupported_protocol", message: "only Engine.IO version 4 (EIO=4) is supported")
        }
        if transport == "polling" {
            return APIError(.badRequest, code: "transport_unsupported", message: "websocket only: connect with transport=websocket (long-polling is not offered)")
        }
        return APIError(.badRequest, code: "upgrade_required", message: "connect with a WebSocket upgrade and transport=websocket")
    }
}
