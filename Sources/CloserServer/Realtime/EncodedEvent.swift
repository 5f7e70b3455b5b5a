import CloserCore
import NIOCore

/// A logged event as a ready-to-send Engine.IO text frame (`42["name",{…,"offset":N}]`), encoded
/// once per broadcast. Every socket of the rep writes the same bytes: the buffer is shared, not
/// copied.
public struct EncodedEvent: Sendable, Hashable {
    public let offset: Int
    public let name: ServerEventName
    public let frame: ByteBuffer

    public init(_ event: LoggedEvent) {
        offset = event.offset
        name = event.name
        frame = ByteBuffer(string: EngineIOPacket.message(SocketIOPacket.event(name: event.name.rawValue, arguments: [event.wirePayload]).encoded).encoded)
    }
}
