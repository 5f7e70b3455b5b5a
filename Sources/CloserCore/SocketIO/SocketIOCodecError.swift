/// Why an Engine.IO or Socket.IO text frame could not be decoded, or a packet is not valid to send.
///
/// A struct over a private enum, so that adding a reason later breaks no caller's `switch`.
/// Two errors are equal when they are of the same ``Kind``; the detail they carry only serves
/// the ``description``, so tests and callers can match on the kind alone.
public struct SocketIOCodecError: Error, Equatable, CustomStringConvertible {
    /// The category of an error, for callers that react differently to different failures.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private let name: String

        private init(_ name: String) {
            self.name = name
        }

        /// The frame was empty.
        public static let empty = Kind("empty")
        /// The leading type digit is missing or not one this protocol defines.
        public static let unknownPacketType = Kind("unknownPacketType")
        /// The payload is not well-formed JSON.
        public static let invalidJSON = Kind("invalidJSON")
        /// The payload is well-formed but not what this packet type allows.
        public static let invalidPayload = Kind("invalidPayload")
        /// The packet uses binary attachments, which this codec does not carry.
        public static let binaryNotSupported = Kind("binaryNotSupported")
        /// The acknowledgement id is malformed, out of range, or present where none is allowed.
        public static let invalidAckId = Kind("invalidAckId")
        /// The namespace is malformed (not `/`-prefixed, or not closed by a comma).
        public static let invalidNamespace = Kind("invalidNamespace")

        /// The kind's name, for test output and logs.
        public var description: String {
            name
        }
    }

    private enum Internal {
        case empty
        case unknownPacketType(String)
        case invalidJSON(String?)
        case invalidPayload(String)
        case binaryNotSupported
        case invalidAckId(String?)
        case invalidNamespace(String?)
    }

    private let value: Internal

    private init(_ value: Internal) {
        self.value = value
    }

    /// The frame was empty.
    public static var empty: Self {
        Self(.empty)
    }

    /// The frame starts with `type`, which is not a packet type of the protocol.
    public static func unknownPacketType(_ type: String) -> Self {
        Self(.unknownPacketType(type))
    }

    /// The payload is not well-formed JSON.
    public static var invalidJSON: Self {
        Self(.invalidJSON(nil))
    }

    /// The payload is not well-formed JSON, for the reason the parser gave.
    public static func invalidJSON(_ error: JSONValue.ParsingError) -> Self {
        Self(.invalidJSON(error.description))
    }

    /// The payload is well-formed but not allowed for its packet type, for `reason`.
    public static func invalidPayload(_ reason: String) -> Self {
        Self(.invalidPayload(reason))
    }

    /// The packet is a binary event or binary acknowledgement.
    public static var binaryNotSupported: Self {
        Self(.binaryNotSupported)
    }

    /// The acknowledgement id is malformed, out of range, or misplaced.
    public static var invalidAckId: Self {
        Self(.invalidAckId(nil))
    }

    /// The acknowledgement id is malformed, out of range, or misplaced, for `reason`.
    public static func invalidAckId(_ reason: String) -> Self {
        Self(.invalidAckId(reason))
    }

    /// The namespace is malformed.
    public static var invalidNamespace: Self {
        Self(.invalidNamespace(nil))
    }

    /// The namespace is malformed, for `reason`.
    public static func invalidNamespace(_ reason: String) -> Self {
        Self(.invalidNamespace(reason))
    }

    /// The category of this error.
    public var kind: Kind {
        switch value {
        case .empty: .empty
        case .unknownPacketType: .unknownPacketType
        case .invalidJSON: .invalidJSON
        case .invalidPayload: .invalidPayload
        case .binaryNotSupported: .binaryNotSupported
        case .invalidAckId: .invalidAckId
        case .invalidNamespace: .invalidNamespace
        }
    }

    /// Equal by kind alone, so a test can expect `.invalidPayload("…")` whatever the exact wording.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.kind == rhs.kind
    }

    /// A human-readable reason, fit for a log line or a close frame.
    public var description: String {
        switch value {
        case .empty:
            "empty packet"
        case .unknownPacketType(let type):
            "unknown packet type \"\(type)\""
        case .invalidJSON(let detail):
            detail.map { "invalid payload: \($0)" } ?? "invalid payload: not JSON"
        case .invalidPayload(let reason):
            "invalid payload: \(reason)"
        case .binaryNotSupported:
            "binary packets are not supported"
        case .invalidAckId(let reason):
            reason.map { "invalid acknowledgement id: \($0)" } ?? "invalid acknowledgement id"
        case .invalidNamespace(let reason):
            reason.map { "invalid namespace: \($0)" } ?? "invalid namespace"
        }
    }
}
