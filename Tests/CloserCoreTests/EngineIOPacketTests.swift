import CloserCore
import Testing

@Suite struct EngineIOPacketTests {
    /// The handshake of the protocol document's example.
    private static let documentedHandshake = EngineIOOpen(
        sid: "lv_VI97HAXpY6yYWAAAC",
        upgrades: ["websocket"],
        pingInterval: 25_000,
        pingTimeout: 20_000,
        maxPayload: 1_000_000
    )

    // MARK: Examples from the Engine.IO v4 and Socket.IO v5 protocol documents

    @Test(arguments: [
        (
            #"0{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#,
            EngineIOPacket.open(documentedHandshake)
        ),
        (
            #"0{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":5000,"maxPayload":1000000}"#,
            .open(EngineIOOpen(sid: "lv_VI97HAXpY6yYWAAAC", upgrades: ["websocket"], pingTimeout: 5000))
        ),
        ("1", .close),
        ("2", .ping(nil)),
        ("3", .pong(nil)),
        ("2probe", .ping("probe")),
        ("3probe", .pong("probe")),
        ("4hello", .message("hello")),
        ("4world", .message("world")),
        ("4HelloWorld", .message("HelloWorld")),
        ("5", .upgrade),
        ("6", .noop),
        ("40", .message("0")),
        (#"40{"sid":"wZX3oN0bSVIhsaknAAAI"}"#, .message(#"0{"sid":"wZX3oN0bSVIhsaknAAAI"}"#)),
        (#"42["hey","Jude"]"#, .message(#"2["hey","Jude"]"#)),
        ("40/admin,", .message("0/admin,")),
        (#"42/admin,1["tellme"]"#, .message(#"2/admin,1["tellme"]"#)),
    ] as [(String, EngineIOPacket)])
    func decodesDocumentedFrames(text: String, expected: EngineIOPacket) throws {
        #expect(try EngineIOPacket(decoding: text) == expected)
    }

    @Test(arguments: [
        (EngineIOPacket.close, "1"),
        (.ping(nil), "2"),
        (.ping("probe"), "2probe"),
        (.pong(nil), "3"),
        (.pong("probe"), "3probe"),
        (.message("hello"), "4hello"),
        (.message(""), "4"),
        (.message(#"2["foo"]"#), #"42["foo"]"#),
        (.upgrade, "5"),
        (.noop, "6"),
        (
            .open(documentedHandshake),
            #"0{"maxPayload":1000000,"pingInterval":25000,"pingTimeout":20000,"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"]}"#
        ),
        (.open(EngineIOOpen(sid: "abc")), #"0{"maxPayload":1000000,"pingInterval":25000,"pingTimeout":20000,"sid":"abc","upgrades":[]}"#),
    ] as [(EngineIOPacket, String)])
    func encodesFrames(packet: EngineIOPacket, expected: String) {
        #expect(packet.encoded == expected)
    }

    @Test(arguments: [
        EngineIOPacket.open(documentedHandshake),
        .open(EngineIOOpen(sid: "a\"b\\c/é", upgrades: [], pingInterval: 1, pingTimeout: 0, maxPayload: Int(Int32.max))),
        .close,
        .ping(nil),
        .ping("probe"),
        .pong(nil),
        .pong("probe"),
        .message(""),
        .message("4"),
        .message("héllo 🎉 e\u{301}"),
        .message("line\nbreak\u{1E}separator"),
        .upgrade,
        .noop,
    ])
    func roundTrips(packet: EngineIOPacket) throws {
        #expect(try EngineIOPacket(decoding: packet.encoded) == packet)
    }

    @Test func messagePayloadStartsRightAfterTheTypeDigitEvenBeforeACombiningMark() throws {
        #expect(try EngineIOPacket(decoding: "4\u{301}x") == .message("\u{301}x"))
    }

    @Test func openIgnoresUnknownMembers() throws {
        let text = #"0{"sid":"s","upgrades":[],"pingInterval":1,"pingTimeout":2,"maxPayload":3,"future":true}"#
        #expect(try EngineIOPacket(decoding: text) == .open(EngineIOOpen(sid: "s", pingInterval: 1, pingTimeout: 2, maxPayload: 3)))
    }

    // MARK: Malformed frames

    @Test(arguments: [
        ("", SocketIOCodecError.Kind.empty),
        ("7", .unknownPacketType),
        ("8", .unknownPacketType),
        ("9", .unknownPacketType),
        ("x", .unknownPacketType),
        ("a4", .unknownPacketType),
        ("-1", .unknownPacketType),
        (" 4hello", .unknownPacketType),
        ("b4hello", .unknownPacketType),
        ("é", .unknownPacketType),
        ("\u{1E}4", .unknownPacketType),
        ("0", .invalidJSON),
        ("0{", .invalidJSON),
        (#"0{"sid":"x""#, .invalidJSON),
        (#"0{"sid":"x"}}"#, .invalidJSON),
        ("0garbage", .invalidJSON),
        ("0[]", .invalidPayload),
        (#"0"sid""#, .invalidPayload),
        ("0{}", .invalidPayload),
        (#"0{"sid":"x"}"#, .invalidPayload),
        (#"0{"upgrades":[],"pingInterval":1,"pingTimeout":2,"maxPayload":3}"#, .invalidPayload),
        (#"0{"sid":"s","pingInterval":1,"pingTimeout":2,"maxPayload":3}"#, .invalidPayload),
        (#"0{"sid":"s","upgrades":[],"pingTimeout":2,"maxPayload":3}"#, .invalidPayload),
        (#"0{"sid":"s","upgrades":[],"pingInterval":1,"maxPayload":3}"#, .invalidPayload),
        (#"0{"sid":"s","upgrades":[],"pingInterval":1,"pingTimeout":2}"#, .invalidPayload),
        (#"0{"sid":1,"upgrades":[],"pingInterval":1,"pingTimeout":2,"maxPayload":3}"#, .invalidPayload),
        (#"0{"sid":"s","upgrades":"websocket","pingInterval":1,"pingTimeout":2,"maxPayload":3}"#, .invalidPayload),
        (#"0{"sid":"s","upgrades":["websocket",1],"pingInterval":1,"pingTimeout":2,"maxPayload":3}"#, .invalidPayload),
        (#"0{"sid":"s","upgrades":[],"pingInterval":"1","pingTimeout":2,"maxPayload":3}"#, .invalidPayload),
        (#"0{"sid":"s","upgrades":[],"pingInterval":1.5,"pingTimeout":2,"maxPayload":3}"#, .invalidPayload),
        (#"0{"sid":"s","upgrades":[],"pingInterval":1,"pingTimeout":null,"maxPayload":3}"#, .invalidPayload),
        (#"0{"sid":"s","upgrades":[],"pingInterval":1,"pingTimeout":2,"maxPayload":1e300}"#, .invalidPayload),
        ("1x", .invalidPayload),
        ("5probe", .invalidPayload),
        ("6 ", .invalidPayload),
    ] as [(String, SocketIOCodecError.Kind)])
    func rejectsMalformedFrames(text: String, kind: SocketIOCodecError.Kind) {
        let error = #expect(throws: SocketIOCodecError.self) { try EngineIOPacket(decoding: text) }
        #expect(error?.kind == kind)
    }

    @Test func errorsNameTheProblem() {
        let unknown = #expect(throws: SocketIOCodecError.self) { try EngineIOPacket(decoding: "9") }
        #expect(unknown?.description == #"unknown packet type "9""#)
        let missing = #expect(throws: SocketIOCodecError.self) { try EngineIOPacket(decoding: #"0{"sid":"x"}"#) }
        #expect(missing?.description.contains("upgrades") == true)
    }
}
