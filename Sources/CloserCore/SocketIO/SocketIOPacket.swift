/// The packet types of the Socket.IO protocol (revision 5).
public enum SocketIOPacketType: Int, Sendable, Hashable, CaseIterable {
    /// Asks to join a namespace (client), or grants it with the socket id (server).
    case connect = 0
    /// Leaves a namespace.
    case disconnect = 1
    /// An application event: a name and its arguments.
    case event = 2
    /// The answer to an event that asked for one.
    case ack = 3
    /// Refuses a CONNECT.
    case connectError = 4
    /// An event with binary attachments; this codec refuses it.
    case binaryEvent = 5
    /// An acknowledgement with binary attachments; this codec refuses it.
    case binaryAck = 6
}

/// One Socket.IO (protocol 5) packet, carried as the data of an Engine.IO `message` packet.
///
/// The text form is `<type>[<namespace>,][<ackId>][<JSON data>]`, where the namespace appears
/// only when it is not the main namespace `/`. Binary attachments are out of scope.
public struct SocketIOPacket: Sendable, Equatable {
    /// The namespace every connection has, which the text form leaves implicit.
    public static let mainNamespace = "/"

    /// Event names that Socket.IO keeps for its own use, which a peer may never send.
    public static let reservedEventNames: Set<String> = [
        "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener",
    ]

    /// What this packet does.
    public var type: SocketIOPacketType
    /// The namespace it belongs to; starts with `/` and contains no comma.
    public var namespace: String
    /// The JSON payload, whose allowed shape depends on ``type``.
    public var data: JSONValue?
    /// The acknowledgement id: on an EVENT, asks for an ACK; on an ACK, names the event it answers.
    public var ackId: Int?

    /// Creates a packet as given; ``validate()`` tells whether a peer would accept it.
    public init(
        type: SocketIOPacketType,
        namespace: String = SocketIOPacket.mainNamespace,
        data: JSONValue? = nil,
        ackId: Int? = nil
    ) {
        self.type = type
        self.namespace = namespace
        self.data = data
        self.ackId = ackId
    }
}

// MARK: - Convenience constructors

extension SocketIOPacket {
    /// A client's request to join `namespace`, with optional credentials (the `auth` option of JS clients).
    public static func connect(
        namespace: String = SocketIOPacket.mainNamespace,
        auth: [String: JSONValue]? = nil
    ) -> SocketIOPacket {
        SocketIOPacket(type: .connect, namespace: namespace, data: auth.map(JSONValue.object))
    }

    /// The server's grant of a CONNECT, handing out the socket id `sid`.
    ///
    /// `extra` members travel alongside; `sid` wins if `extra` also names it, since clients rely on it.
    public static func connectAck(
        namespace: String = SocketIOPacket.mainNamespace,
        sid: String,
        extra: [String: JSONValue] = [:]
    ) -> SocketIOPacket {
        var members = extra
        members["sid"] = .string(sid)
        return SocketIOPacket(type: .connect, namespace: namespace, data: .object(members))
    }

    /// The server's refusal of a CONNECT; JS clients surface `message` as the `connect_error` reason.
    public static func connectError(
        namespace: String = SocketIOPacket.mainNamespace,
        message: String
    ) -> SocketIOPacket {
        SocketIOPacket(type: .connectError, namespace: namespace, data: .object(["message": .string(message)]))
    }

    /// An event named `name`; pass `ackId` to ask the peer for an acknowledgement.
    public static func event(
        namespace: String = SocketIOPacket.mainNamespace,
        name: String,
        arguments: [JSONValue] = [],
        ackId: Int? = nil
    ) -> SocketIOPacket {
        var elements: [JSONValue] = [.string(name)]
        elements.append(contentsOf: arguments)
        return SocketIOPacket(type: .event, namespace: namespace, data: .array(elements), ackId: ackId)
    }

    /// The acknowledgement of the event whose ack id was `id`.
    public static func ack(
        namespace: String = SocketIOPacket.mainNamespace,
        id: Int,
        arguments: [JSONValue] = []
    ) -> SocketIOPacket {
        SocketIOPacket(type: .ack, namespace: namespace, data: .array(arguments), ackId: id)
    }

    /// Leaving `namespace`.
    public static func disconnect(namespace: String = SocketIOPacket.mainNamespace) -> SocketIOPacket {
        SocketIOPacket(type: .disconnect, namespace: namespace)
    }
}

// MARK: - Accessors

extension SocketIOPacket {
    /// The event's name, when this is an EVENT whose data starts with a string.
    public var eventName: String? {
        guard type == .event, case .array(let elements) = data else { return nil }
        return elements.first?.stringValue
    }

    /// The arguments after the name of an EVENT, or all the arguments of an ACK; otherwise empty.
    public var eventArguments: [JSONValue] {
        guard case .array(let elements) = data else { return [] }
        switch type {
        case .event: return Array(elements.dropFirst())
        case .ack: return elements
        default: return []
        }
    }
}

// MARK: - Encoding

extension SocketIOPacket {
    /// The text form, to be sent as the data of an Engine.IO `message` packet.
    ///
    /// Encodes whatever the packet holds; call ``validate()`` first for packets built from
    /// untrusted parts. An empty namespace is written as the main namespace, as the reference does.
    public var encoded: String {
        var output = String(type.rawValue)
        if !namespace.isEmpty, namespace != Self.mainNamespace {
            output += namespace
            output += ","
        }
        if let ackId {
            output += String(ackId)
        }
        if let data { output += data.serialized() }
        return output
    }
}

// MARK: - Decoding

extension SocketIOPacket {
    /// Decodes and validates the text form (the data of an Engine.IO `message` packet).
    ///
    /// Stricter than the reference parser where it would accept a packet no peer sends: a
    /// namespace must end with a comma, an ACK must carry an id, and only EVENT and ACK may carry one.
    public init(decoding text: String) throws(SocketIOCodecError) {
        guard let typeByte = text.utf8.first else { throw .empty }
        guard let type = Self.packetType(typeByte) else {
            throw .unknownPacketType(String(text.prefix(1)))
        }
        if type == .binaryEvent || type == .binaryAck {
            throw .binaryNotSupported
        }
        self = try text.withUTF8Bytes { bytes in
            Result { () throws(SocketIOCodecError) -> SocketIOPacket in
                var reader = Reader(bytes: bytes, position: 1)
                let namespace = try reader.readNamespace()
                let ackId = try reader.readAckId()
                let data = try reader.readData()
                let packet = SocketIOPacket(type: type, namespace: namespace, data: data, ackId: ackId)
                try packet.validate()
                return packet
            }
        }.get()
    }

    private static func packetType(_ byte: UInt8) -> SocketIOPacketType? {
        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
        return SocketIOPacketType(rawValue: Int(byte - UInt8(ascii: "0")))
    }

    /// Walks the header of a packet's text form, one field at a time, in wire order.
    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var position: Int

        /// The namespace when the header has one (it starts with `/` and runs to a comma).
        mutating func readNamespace() throws(SocketIOCodecError) -> String {
            guard position < bytes.count, bytes[position] == UInt8(ascii: "/") else {
                return SocketIOPacket.mainNamespace
            }
            let start = position
            guard let comma = bytes[start...].firstIndex(of: UInt8(ascii: ",")) else {
                throw .invalidNamespace("the namespace is not followed by a comma")
            }
            position = comma + 1
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<comma]), as: UTF8.self)
        }

        /// The acknowledgement id when digits follow; a `-` there can only be a negative id.
        mutating func readAckId() throws(SocketIOCodecError) -> Int? {
            if position < bytes.count, bytes[position] == UInt8(ascii: "-") {
                throw .invalidAckId("acknowledgement ids are never negative")
            }
            var id: Int?
            while position < bytes.count, let digit = Self.digitValue(bytes[position]) {
                let (shifted, multiplicationOverflowed) = (id ?? 0).multipliedReportingOverflow(by: 10)
                let (sum, additionOverflowed) = shifted.addingReportingOverflow(digit)
                guard !multiplicationOverflowed, !additionOverflowed else {
                    throw .invalidAckId("the acknowledgement id is too large")
                }
                id = sum
                position += 1
            }
            return id
        }

        /// The JSON data, when anything is left.
        func readData() throws(SocketIOCodecError) -> JSONValue? {
            guard position < bytes.count else { return nil }
            do {
                return try JSONValue(parsingBytes: UnsafeBufferPointer(rebasing: bytes[position...]))
            } catch {
                throw .invalidJSON(error)
            }
        }

        private static func digitValue(_ byte: UInt8) -> Int? {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            return Int(byte - UInt8(ascii: "0"))
        }
    }
}

// MARK: - Validation

extension SocketIOPacket {
    /// Checks the packet against the protocol's rules (those of the reference `isPacketValid`,
    /// and stricter where noted on ``init(decoding:)``).
    ///
    /// Decoding already validates; call this on packets built from untrusted parts before sending.
    public func validate() throws(SocketIOCodecError) {
        try validateNamespace()
        try validateAckId()
        try validateData()
    }

    private func validateNamespace() throws(SocketIOCodecError) {
        guard namespace.utf8.first == UInt8(ascii: "/") else {
            throw .invalidNamespace("a namespace starts with \"/\"")
        }
        guard !namespace.utf8.contains(UInt8(ascii: ",")) else {
            throw .invalidNamespace("a namespace cannot contain a comma")
        }
    }

    private func validateAckId() throws(SocketIOCodecError) {
        switch (type, ackId) {
        case (_, let id?) where id < 0:
            throw .invalidAckId("acknowledgement ids are never negative")
        case (.ack, nil):
            throw .invalidAckId("an ACK must name the event it answers")
        case (.connect, _?), (.disconnect, _?), (.connectError, _?):
            throw .invalidAckId("only EVENT and ACK packets carry an acknowledgement id")
        default:
            return
        }
    }

    private func validateData() throws(SocketIOCodecError) {
        switch type {
        case .connect:
            guard data == nil || data?.objectValue != nil else {
                throw .invalidPayload("CONNECT data must be an object")
            }
        case .disconnect:
            guard data == nil else { throw .invalidPayload("DISCONNECT carries no data") }
        case .event:
            try validateEventData()
        case .ack:
            guard data?.arrayValue != nil else { throw .invalidPayload("ACK data must be an array") }
        case .connectError:
            guard data?.objectValue != nil || data?.stringValue != nil else {
                throw .invalidPayload("CONNECT_ERROR data must be an object or a string")
            }
        case .binaryEvent, .binaryAck:
            throw .binaryNotSupported
        }
    }

    private func validateEventData() throws(SocketIOCodecError) {
        guard case .array(let elements) = data, let first = elements.first else {
            throw .invalidPayload("EVENT data must be a non-empty array")
        }
        guard let name = first.stringValue else {
            throw .invalidPayload("an EVENT's first element must be its name, a string")
        }
        guard !Self.reservedEventNames.contains(name) else {
            throw .invalidPayload("\"\(name)\" is a reserved event name")
        }
    }
}
