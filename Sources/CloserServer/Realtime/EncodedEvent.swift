import CloserCore

/// A logged event as a ready-to-send Engine.IO text frame (`42["name",{…,"offset":N}]`), encoded
/// once per broadcast and shared by every socket of the rep.
public struct EncodedEvent: Sendable, Hashable {
    public let offset: Int
    public let name: ServerEventName
    public let frame: String

    public init(_ event: LoggedEvent) {
        offset = event.offset
        name = event.name
        frame = EngineIOPacket.message(SocketIOPacket.event(name: event.name.rawValue, arguments: [event.wirePayload]).encoded).encoded
    }
}
