/// One Engine.IO (protocol 4) packet as carried in a WebSocket text frame: a type digit, then data.
///
/// Only the WebSocket transport is covered, so there is no payload framing (`\u{1E}`) and no
/// `b`-prefixed base64; binary WebSocket frames never reach this type.
public enum EngineIOPacket: Sendable, Equatable {
    /// `0`: the server's handshake, sent once when the session starts.
    case open(EngineIOOpen)
    /// `1`: the transport may be closed.
    case close
    /// `2`: heartbeat from the server, or the `probe` of a transport upgrade.
    ///
    /// An empty payload is the same packet as no payload, so it decodes as `nil`.
    case ping(String?)
    /// `3`: the answer to a ping, echoing its payload.
    ///
    /// An empty payload is the same packet as no payload, so it decodes as `nil`.
    case pong(String?)
    /// `4`: application data; for Socket.IO, one encoded ``SocketIOPacket``.
    case message(String)
    /// `5`: completes a transport upgrade.
    case upgrade
    /// `6`: does nothing; flushes a pending long-polling request during an upgrade.
    case noop

    /// Decodes one text frame.
    ///
    /// Packets that carry no data (`close`, `upgrade`, `noop`) are rejected when data follows, so
    /// that every accepted frame re-encodes to itself.
    public init(decoding text: String) throws(SocketIOCodecError) {
        guard let typeByte = text.utf8.first else { throw .empty }
        // The type digit is one ASCII byte, so the payload starts on a scalar boundary right after it.
        let payload = text[text.utf8.index(after: text.utf8.startIndex)...]
        switch typeByte {
        case UInt8(ascii: "0"): self = .open(try EngineIOOpen(decodingHandshake: payload))
        case UInt8(ascii: "1"): self = try Self.dataless(.close, named: "close", payload: payload)
        case UInt8(ascii: "2"): self = .ping(payload.isEmpty ? nil : String(payload))
        case UInt8(ascii: "3"): self = .pong(payload.isEmpty ? nil : String(payload))
        case UInt8(ascii: "4"): self = .message(String(payload))
        case UInt8(ascii: "5"): self = try Self.dataless(.upgrade, named: "upgrade", payload: payload)
        case UInt8(ascii: "6"): self = try Self.dataless(.noop, named: "noop", payload: payload)
        default: throw .unknownPacketType(String(text.prefix(1)))
        }
    }

    private static func dataless(
        _ packet: EngineIOPacket,
        named name: String,
        payload: Substring
    ) throws(SocketIOCodecError) -> EngineIOPacket {
        guard payload.isEmpty else { throw .invalidPayload("a \(name) packet carries no data") }
        return packet
    }

    /// The text frame for this packet.
    public var encoded: String {
        switch self {
        case .open(let handshake): "0" + handshake.jsonValue.serialized()
        case .close: "1"
        case .ping(let data): "2" + (data ?? "")
        case .pong(let data): "3" + (data ?? "")
        case .message(let data): "4" + data
        case .upgrade: "5"
        case .noop: "6"
        }
    }
}

/// The handshake data of an Engine.IO `open` packet.
public struct EngineIOOpen: Codable, Sendable, Equatable {
    /// The Engine.IO session id (not the Socket.IO socket id, which CONNECT hands out per namespace).
    public var sid: String
    /// Transports the client may upgrade to; empty for a session that starts on WebSocket.
    public var upgrades: [String]
    /// Milliseconds between the server's pings.
    public var pingInterval: Int
    /// Milliseconds the server waits for a pong before it drops the session.
    public var pingTimeout: Int
    /// The largest number of bytes the server accepts in one packet.
    public var maxPayload: Int

    /// Creates handshake data; the defaults are those of the reference server.
    public init(
        sid: String,
        upgrades: [String] = [],
        pingInterval: Int = 25_000,
        pingTimeout: Int = 20_000,
        maxPayload: Int = 1_000_000
    ) {
        self.sid = sid
        self.upgrades = upgrades
        self.pingInterval = pingInterval
        self.pingTimeout = pingTimeout
        self.maxPayload = maxPayload
    }

    /// Reads the JSON payload of an `open` packet; unknown members are ignored for forward compatibility.
    init(decodingHandshake payload: Substring) throws(SocketIOCodecError) {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: payload)
        } catch {
            throw .invalidJSON(error)
        }
        guard case .object(let members) = json else {
            throw .invalidPayload("the open packet's data must be a JSON object")
        }
        sid = try Self.member("sid", of: members, as: "a string") { $0.stringValue }
        upgrades = try Self.member("upgrades", of: members, as: "an array of strings") { value in
            value.arrayValue.flatMap { elements in
                let names = elements.compactMap(\.stringValue)
                return names.count == elements.count ? names : nil
            }
        }
        pingInterval = try Self.member("pingInterval", of: members, as: "an integer") { $0.intValue }
        pingTimeout = try Self.member("pingTimeout", of: members, as: "an integer") { $0.intValue }
        maxPayload = try Self.member("maxPayload", of: members, as: "an integer") { $0.intValue }
    }

    private static func member<Value>(
        _ name: String,
        of members: [String: JSONValue],
        as expectation: String,
        _ extract: (JSONValue) -> Value?
    ) throws(SocketIOCodecError) -> Value {
        guard let value = members[name] else {
            throw .invalidPayload("the open packet lacks \"\(name)\"")
        }
        guard let extracted = extract(value) else {
            throw .invalidPayload("the open packet's \"\(name)\" must be \(expectation)")
        }
        return extracted
    }

    /// The handshake as JSON, built by hand so encoding cannot fail.
    var jsonValue: JSONValue {
        .object([
            "sid": .string(sid),
            "upgrades": .array(upgrades.map(JSONValue.string)),
            "pingInterval": .number(Double(pingInterval)),
            "pingTimeout": .number(Double(pingTimeout)),
            "maxPayload": .number(Double(maxPayload)),
        ])
    }
}
