import CloserCore
import Testing

@Suite struct SocketIOPacketTests {
    // MARK: Examples from the Socket.IO v5 protocol document, the reference parser's tests, and our brief

    /// Pairs whose text is exactly what the encoder produces, so they are checked in both directions.
    static let canonicalExamples: [(String, SocketIOPacket)] = [
        // Connection to a namespace.
        ("0", SocketIOPacket(type: .connect)),
        (#"0{"sid":"wZX3oN0bSVIhsaknAAAI"}"#, SocketIOPacket(type: .connect, data: ["sid": "wZX3oN0bSVIhsaknAAAI"])),
        ("0/admin,", SocketIOPacket(type: .connect, namespace: "/admin")),
        (
            #"0/admin,{"sid":"oSO0OpakMV_3jnilAAAA"}"#,
            SocketIOPacket(type: .connect, namespace: "/admin", data: ["sid": "oSO0OpakMV_3jnilAAAA"])
        ),
        (
            #"0/admin,{"sid":"-G5j-67EZFp-q59rADQM"}"#,
            SocketIOPacket(type: .connect, namespace: "/admin", data: ["sid": "-G5j-67EZFp-q59rADQM"])
        ),
        (#"0/admin,{"token":"123"}"#, SocketIOPacket(type: .connect, namespace: "/admin", data: ["token": "123"])),
        (#"0/woot,{"token":"123"}"#, SocketIOPacket(type: .connect, namespace: "/woot", data: ["token": "123"])),
        (#"0{"token":"x"}"#, SocketIOPacket(type: .connect, data: ["token": "x"])),
        (#"0/admin,{"token":"x"}"#, SocketIOPacket(type: .connect, namespace: "/admin", data: ["token": "x"])),
        (#"4{"message":"Not authorized"}"#, SocketIOPacket(type: .connectError, data: ["message": "Not authorized"])),
        (#"4{"message":"Unauthorized"}"#, SocketIOPacket(type: .connectError, data: ["message": "Unauthorized"])),
        (#"4"Unauthorized""#, SocketIOPacket(type: .connectError, data: "Unauthorized")),
        // Sending and receiving data.
        (#"2["foo"]"#, SocketIOPacket(type: .event, data: ["foo"])),
        (#"2/admin,["bar"]"#, SocketIOPacket(type: .event, namespace: "/admin", data: ["bar"])),
        (#"2["hey","Jude"]"#, SocketIOPacket(type: .event, data: ["hey", "Jude"])),
        (#"2["hello"]"#, SocketIOPacket(type: .event, data: ["hello"])),
        (#"2["hello",1]"#, SocketIOPacket(type: .event, data: ["hello", 1])),
        (#"2["a",1,{}]"#, SocketIOPacket(type: .event, data: ["a", 1, [:]])),
        (#"2/test,1["a",1,{}]"#, SocketIOPacket(type: .event, namespace: "/test", data: ["a", 1, [:]], ackId: 1)),
        // Acknowledgement.
        (#"212["foo"]"#, SocketIOPacket(type: .event, data: ["foo"], ackId: 12)),
        ("312[]", SocketIOPacket(type: .ack, data: [], ackId: 12)),
        (#"2/admin,13["foo"]"#, SocketIOPacket(type: .event, namespace: "/admin", data: ["foo"], ackId: 13)),
        (#"3/admin,13["bar"]"#, SocketIOPacket(type: .ack, namespace: "/admin", data: ["bar"], ackId: 13)),
        (#"314["bar"]"#, SocketIOPacket(type: .ack, data: ["bar"], ackId: 14)),
        (#"215["foo"]"#, SocketIOPacket(type: .event, data: ["foo"], ackId: 15)),
        (#"2/admin,1["tellme"]"#, SocketIOPacket(type: .event, namespace: "/admin", data: ["tellme"], ackId: 1)),
        (#"3123["a",1,{}]"#, SocketIOPacket(type: .ack, data: ["a", 1, [:]], ackId: 123)),
        (#"212["ev"]"#, SocketIOPacket(type: .event, data: ["ev"], ackId: 12)),
        (#"2/admin,13["ev",{}]"#, SocketIOPacket(type: .event, namespace: "/admin", data: ["ev", [:]], ackId: 13)),
        ("30[]", SocketIOPacket(type: .ack, data: [], ackId: 0)),
        // Disconnection from a namespace.
        ("1", SocketIOPacket(type: .disconnect)),
        ("1/admin,", SocketIOPacket(type: .disconnect, namespace: "/admin")),
        ("1/woot,", SocketIOPacket(type: .disconnect, namespace: "/woot")),
    ]

    @Test(arguments: canonicalExamples)
    func decodesExamples(text: String, expected: SocketIOPacket) throws {
        #expect(try SocketIOPacket(decoding: text) == expected)
    }

    @Test(arguments: canonicalExamples)
    func encodesExamples(text: String, packet: SocketIOPacket) {
        #expect(packet.encoded == text)
    }

    @Test(arguments: canonicalExamples.map(\.1))
    func roundTrips(packet: SocketIOPacket) throws {
        #expect(try SocketIOPacket(decoding: packet.encoded) == packet)
    }

    /// Texts a peer may send that the encoder would spell differently.
    @Test(arguments: [
        ("0/,", SocketIOPacket(type: .connect)),
        ("2/,[\"a\"]", SocketIOPacket(type: .event, data: ["a"])),
        (#"2012["a"]"#, SocketIOPacket(type: .event, data: ["a"], ackId: 12)),
        (#"2 [ "a" , 1 ] "#, SocketIOPacket(type: .event, data: ["a", 1])),
        (#"2["a",1.0]"#, SocketIOPacket(type: .event, data: ["a", 1])),
        (#"0{"b":1,"a":2}"#, SocketIOPacket(type: .connect, data: ["a": 2, "b": 1])),
        ("2\(Int.max)[\"a\"]", SocketIOPacket(type: .event, data: ["a"], ackId: Int.max)),
        (#"2/ñamespace 🎉,["é"]"#, SocketIOPacket(type: .event, namespace: "/ñamespace 🎉", data: ["é"])),
        (#"2/a/b,["x"]"#, SocketIOPacket(type: .event, namespace: "/a/b", data: ["x"])),
    ] as [(String, SocketIOPacket)])
    func decodesEquivalentSpellings(text: String, expected: SocketIOPacket) throws {
        #expect(try SocketIOPacket(decoding: text) == expected)
    }

    @Test func travelsInsideAnEngineIOMessage() throws {
        let frame = EngineIOPacket.message(SocketIOPacket.event(name: "foo").encoded).encoded
        #expect(frame == #"42["foo"]"#)
        guard case .message(let text) = try EngineIOPacket(decoding: #"42/admin,1["tellme"]"#) else {
            Issue.record("expected an Engine.IO message")
            return
        }
        #expect(try SocketIOPacket(decoding: text) == .event(namespace: "/admin", name: "tellme", ackId: 1))
    }

    // MARK: Convenience constructors and accessors

    @Test(arguments: [
        (SocketIOPacket.connect(), "0"),
        (.connect(namespace: "/admin"), "0/admin,"),
        (.connect(auth: ["token": "x"]), #"0{"token":"x"}"#),
        (.connect(namespace: "/admin", auth: ["token": "x"]), #"0/admin,{"token":"x"}"#),
        (.connectAck(sid: "wZX3oN0bSVIhsaknAAAI"), #"0{"sid":"wZX3oN0bSVIhsaknAAAI"}"#),
        (.connectAck(namespace: "/admin", sid: "s", extra: ["pid": "p", "offset": 3]), #"0/admin,{"offset":3,"pid":"p","sid":"s"}"#),
        (.connectAck(sid: "real", extra: ["sid": "fake"]), #"0{"sid":"real"}"#),
        (.connectError(message: "Not authorized"), #"4{"message":"Not authorized"}"#),
        (.connectError(namespace: "/admin", message: "Nope"), #"4/admin,{"message":"Nope"}"#),
        (.event(name: "foo"), #"2["foo"]"#),
        (.event(name: "hello", arguments: [1, "two", ["three": 3.5], nil]), #"2["hello",1,"two",{"three":3.5},null]"#),
        (.event(namespace: "/admin", name: "ev", arguments: [[:]], ackId: 13), #"2/admin,13["ev",{}]"#),
        (.ack(id: 12), "312[]"),
        (.ack(namespace: "/admin", id: 13, arguments: ["bar"]), #"3/admin,13["bar"]"#),
        (.disconnect(), "1"),
        (.disconnect(namespace: "/admin"), "1/admin,"),
    ] as [(SocketIOPacket, String)])
    func constructorsEncodeAsDocumented(packet: SocketIOPacket, expected: String) throws {
        #expect(packet.encoded == expected)
        try packet.validate()
    }

    @Test func eventAccessorsSplitNameFromArguments() {
        let event = SocketIOPacket.event(name: "lead.updated", arguments: [["id": 7], true])
        #expect(event.eventName == "lead.updated")
        #expect(event.eventArguments == [["id": 7], true])
        #expect(SocketIOPacket.event(name: "ping").eventArguments.isEmpty)
    }

    @Test func ackArgumentsAreTheWholeArray() {
        let ack = SocketIOPacket.ack(id: 3, arguments: ["ok", 1])
        #expect(ack.eventName == nil)
        #expect(ack.eventArguments == ["ok", 1])
    }

    @Test func otherPacketsHaveNoEvent() {
        for packet in [SocketIOPacket.connect(auth: ["a": ["b"]]), .disconnect(), .connectError(message: "x")] {
            #expect(packet.eventName == nil)
            #expect(packet.eventArguments.isEmpty)
        }
    }

    @Test func emptyNamespaceEncodesAsTheMainOne() {
        #expect(SocketIOPacket(type: .event, namespace: "", data: ["a"]).encoded == #"2["a"]"#)
    }

    @Test func encodingAnEventTwiceGivesTheSameText() {
        let packet = SocketIOPacket.event(name: "lead", arguments: [["z": 1, "a": 2, "m": [3, 4]]])
        #expect(packet.encoded == packet.encoded)
        #expect(packet.encoded == #"2["lead",{"a":2,"m":[3,4],"z":1}]"#)
    }

    @Test func typeDigitsMatchTheProtocol() {
        #expect(SocketIOPacketType.allCases.map(\.rawValue) == Array(0...6))
        #expect(SocketIOPacketType.connectError.rawValue == 4)
    }

    // MARK: Malformed text

    @Test(arguments: [
        // Empty and unknown types.
        ("", SocketIOCodecError.Kind.empty),
        ("7", .unknownPacketType),
        ("8[\"a\"]", .unknownPacketType),
        ("999", .unknownPacketType),
        ("x", .unknownPacketType),
        ("a2[\"a\"]", .unknownPacketType),
        (" 2[\"a\"]", .unknownPacketType),
        ("[\"a\"]", .unknownPacketType),
        ("/admin,2", .unknownPacketType),
        ("-1", .unknownPacketType),
        ("é", .unknownPacketType),
        // Binary types.
        ("5", .binaryNotSupported),
        ("6", .binaryNotSupported),
        (#"51-["baz",{"_placeholder":true,"num":0}]"#, .binaryNotSupported),
        (#"52-/admin,["baz",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]"#, .binaryNotSupported),
        (#"51-14["foo",{"_placeholder":true,"num":0}]"#, .binaryNotSupported),
        (#"61-15["bar",{"_placeholder":true,"num":0}]"#, .binaryNotSupported),
        (#"61-/admin,1[{"_placeholder":true,"num":0}]"#, .binaryNotSupported),
        // Garbage, truncated and trailing JSON.
        ("2garbage", .invalidJSON),
        (#"2["foo""#, .invalidJSON),
        (#"2["foo","#, .invalidJSON),
        (#"2["foo"]]"#, .invalidJSON),
        (#"2["foo"]x"#, .invalidJSON),
        (#"2["foo"] ["bar"]"#, .invalidJSON),
        (#"2['foo']"#, .invalidJSON),
        (#"2[foo]"#, .invalidJSON),
        (#"2["a",]"#, .invalidJSON),
        (#"0{token:"x"}"#, .invalidJSON),
        (#"0{"token":"x""#, .invalidJSON),
        (#"0{"token":"x"}}"#, .invalidJSON),
        (#"2/admin,"invalid"#, .invalidJSON),
        (#"442["some","data""#, .invalidJSON),
        (#"2admin,["a"]"#, .invalidJSON),
        (#"2 13["a"]"#, .invalidJSON),
        // Namespace without its comma.
        ("0/admin", .invalidNamespace),
        ("1/admin", .invalidNamespace),
        (#"2/admin["ev"]"#, .invalidNamespace),
        (#"2/admin13["ev"]"#, .invalidNamespace),
        ("0/", .invalidNamespace),
        // Negative, overflowing, missing or misplaced acknowledgement ids.
        (#"2-1["ev"]"#, .invalidAckId),
        ("3-5[]", .invalidAckId),
        (#"2/admin,-13["ev"]"#, .invalidAckId),
        (#"29223372036854775808["ev"]"#, .invalidAckId),
        (#"299999999999999999999999999["ev"]"#, .invalidAckId),
        // 2^64 + 5: would wrap around to a plausible id of 5 if overflow went unnoticed.
        (#"218446744073709551621["ev"]"#, .invalidAckId),
        ("3[]", .invalidAckId),
        ("3/admin,[]", .invalidAckId),
        ("01", .invalidAckId),
        ("01{}", .invalidAckId),
        ("1/admin,5", .invalidAckId),
        (#"41{"message":"x"}"#, .invalidAckId),
        // CONNECT data that is not an object.
        ("0[]", .invalidPayload),
        (#"0["token"]"#, .invalidPayload),
        (#"0"invalid""#, .invalidPayload),
        (#"0/admin,"invalid""#, .invalidPayload),
        ("0true", .invalidPayload),
        ("0null", .invalidPayload),
        // DISCONNECT with data.
        ("1{}", .invalidPayload),
        ("1/admin,{}", .invalidPayload),
        ("1[]", .invalidPayload),
        (#"1"bye""#, .invalidPayload),
        ("1null", .invalidPayload),
        // EVENT with missing, non-array, empty or nameless data.
        ("2", .invalidPayload),
        ("2/admin,", .invalidPayload),
        ("21", .invalidPayload),
        ("2{}", .invalidPayload),
        ("2/admin,{}", .invalidPayload),
        (#"2"ev""#, .invalidPayload),
        ("2null", .invalidPayload),
        ("2[]", .invalidPayload),
        ("212[]", .invalidPayload),
        ("2[1]", .invalidPayload),
        (#"2[1,"a",{}]"#, .invalidPayload),
        (#"2[true,"foo"]"#, .invalidPayload),
        (#"2[null,"bar"]"#, .invalidPayload),
        (#"2[{"toString":"foo"}]"#, .invalidPayload),
        (#"2[["ev"]]"#, .invalidPayload),
        // EVENT with a reserved name.
        (#"2["connect"]"#, .invalidPayload),
        (#"2["connect_error"]"#, .invalidPayload),
        (#"2["disconnect","123"]"#, .invalidPayload),
        (#"2["disconnecting"]"#, .invalidPayload),
        (#"2["newListener"]"#, .invalidPayload),
        (#"2/admin,1["removeListener",{}]"#, .invalidPayload),
        // ACK data that is not an array.
        ("31", .invalidPayload),
        ("31{}", .invalidPayload),
        (#"31"ok""#, .invalidPayload),
        ("31null", .invalidPayload),
        // CONNECT_ERROR data that is neither an object nor a string.
        ("4", .invalidPayload),
        ("4/admin,", .invalidPayload),
        ("4[]", .invalidPayload),
        ("4true", .invalidPayload),
        ("4null", .invalidPayload),
    ] as [(String, SocketIOCodecError.Kind)])
    func rejectsMalformedText(text: String, kind: SocketIOCodecError.Kind) {
        let error = #expect(throws: SocketIOCodecError.self) { try SocketIOPacket(decoding: text) }
        #expect(error?.kind == kind)
    }

    @Test func reservedNamesAreTheReferenceOnes() {
        #expect(
            SocketIOPacket.reservedEventNames
                == ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"]
        )
    }

    @Test func reservedNamesAreCaseSensitive() throws {
        #expect(try SocketIOPacket(decoding: #"2["Connect"]"#).eventName == "Connect")
    }

    // MARK: Validation of packets built in code

    @Test(arguments: [
        (SocketIOPacket(type: .event, namespace: "admin", data: ["a"]), SocketIOCodecError.Kind.invalidNamespace),
        (SocketIOPacket(type: .event, namespace: "", data: ["a"]), .invalidNamespace),
        (SocketIOPacket(type: .event, namespace: "/a,b", data: ["a"]), .invalidNamespace),
        (SocketIOPacket.event(name: "a", ackId: -1), .invalidAckId),
        (SocketIOPacket.ack(id: -3), .invalidAckId),
        (SocketIOPacket(type: .ack, data: []), .invalidAckId),
        (SocketIOPacket(type: .connect, ackId: 1), .invalidAckId),
        (SocketIOPacket.event(name: "disconnect"), .invalidPayload),
        (SocketIOPacket(type: .event), .invalidPayload),
        (SocketIOPacket(type: .connect, data: "token"), .invalidPayload),
        (SocketIOPacket(type: .disconnect, data: [:]), .invalidPayload),
        (SocketIOPacket(type: .connectError), .invalidPayload),
        (SocketIOPacket(type: .binaryEvent, data: ["a"]), .binaryNotSupported),
        (SocketIOPacket(type: .binaryAck, data: [], ackId: 1), .binaryNotSupported),
    ] as [(SocketIOPacket, SocketIOCodecError.Kind)])
    func validateRejectsPacketsNoPeerWouldAccept(packet: SocketIOPacket, kind: SocketIOCodecError.Kind) {
        let error = #expect(throws: SocketIOCodecError.self) { try packet.validate() }
        #expect(error?.kind == kind)
    }

    // MARK: Error type

    @Test func errorsCompareByKind() {
        #expect(SocketIOCodecError.invalidPayload("one reason") == .invalidPayload("another"))
        #expect(SocketIOCodecError.unknownPacketType("7") == .unknownPacketType("x"))
        #expect(SocketIOCodecError.invalidAckId == .invalidAckId("too large"))
        #expect(SocketIOCodecError.invalidNamespace == .invalidNamespace("no comma"))
        #expect(SocketIOCodecError.empty != .invalidJSON)
        #expect(SocketIOCodecError.binaryNotSupported.kind == .binaryNotSupported)
    }

    @Test func expectThrowsMatchesByKind() {
        #expect(throws: SocketIOCodecError.empty) { try SocketIOPacket(decoding: "") }
        #expect(throws: SocketIOCodecError.binaryNotSupported) { try SocketIOPacket(decoding: "5") }
        #expect(throws: SocketIOCodecError.invalidJSON) { try SocketIOPacket(decoding: "2[") }
        #expect(throws: SocketIOCodecError.invalidAckId) { try SocketIOPacket(decoding: "3[]") }
        #expect(throws: SocketIOCodecError.invalidNamespace) { try SocketIOPacket(decoding: "0/admin") }
        #expect(throws: SocketIOCodecError.invalidPayload("")) { try SocketIOPacket(decoding: "2[]") }
        #expect(throws: SocketIOCodecError.unknownPacketType("")) { try SocketIOPacket(decoding: "9") }
    }

    @Test func errorDescriptionsExplain() {
        let reserved = #expect(throws: SocketIOCodecError.self) { try SocketIOPacket(decoding: #"2["connect"]"#) }
        #expect(reserved?.description == #"invalid payload: "connect" is a reserved event name"#)
        let json = #expect(throws: SocketIOCodecError.self) { try SocketIOPacket(decoding: #"2["a"]x"#) }
        #expect(json?.description.contains("byte 5") == true)
        #expect(SocketIOCodecError.empty.description == "empty packet")
        #expect(SocketIOCodecError.binaryNotSupported.description == "binary packets are not supported")
        #expect(SocketIOCodecError.Kind.invalidAckId.description == "invalidAckId")
    }
}
