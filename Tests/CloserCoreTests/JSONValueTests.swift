import CloserCore
import Foundation
import Testing

@Suite struct JSONValueTests {
    // MARK: Literals and accessors

    @Test func literalsBuildTheMatchingCases() {
        let value: JSONValue = ["s": "text", "i": 42, "d": 1.5, "b": true, "n": nil, "a": [1, "two"]]
        #expect(
            value
                == .object([
                    "s": .string("text"),
                    "i": .number(42),
                    "d": .number(1.5),
                    "b": .bool(true),
                    "n": .null,
                    "a": .array([.number(1), .string("two")]),
                ])
        )
    }

    @Test func repeatedLiteralKeyKeepsTheLastValue() {
        let value: JSONValue = ["k": 1, "k": 2]
        #expect(value == ["k": 2])
    }

    @Test func accessorsReturnValuesOnlyForTheirOwnCase() {
        let string: JSONValue = "x"
        let number: JSONValue = 3
        let bool: JSONValue = false
        let array: JSONValue = [1]
        let object: JSONValue = ["a": 1]
        #expect(string.stringValue == "x" && number.stringValue == nil)
        #expect(number.doubleValue == 3 && string.doubleValue == nil)
        #expect(number.intValue == 3 && bool.intValue == nil)
        #expect(bool.boolValue == false && number.boolValue == nil)
        #expect(array.arrayValue == [1] && object.arrayValue == nil)
        #expect(object.objectValue == ["a": 1] && array.objectValue == nil)
        #expect(JSONValue.null.isNull && !bool.isNull)
    }

    @Test(arguments: [
        (JSONValue.number(42), 42),
        (.number(-7), -7),
        (.number(0), 0),
        (.number(-0.0), 0),
        (.number(42.5), nil),
        (.number(1e300), nil),
        (.number(.infinity), nil),
        (.string("42"), nil),
    ] as [(JSONValue, Int?)])
    func intValueAcceptsOnlyWholeNumbersInRange(value: JSONValue, expected: Int?) {
        #expect(value.intValue == expected)
    }

    @Test func keySubscriptReadsObjectMembers() {
        let value: JSONValue = ["name": "Ada", "tags": ["a", "b"]]
        #expect(value["name"] == "Ada")
        #expect(value["tags"]?[1] == "b")
        #expect(value["missing"] == nil)
        #expect(JSONValue.array(["name"])["name"] == nil)
        #expect(JSONValue.string("name")["name"] == nil)
    }

    @Test func indexSubscriptReadsArrayElements() {
        let value: JSONValue = ["zero", 1, nil]
        #expect(value[0] == "zero")
        #expect(value[2] == .null)
        #expect(value[3] == nil)
        #expect(value[-1] == nil)
        #expect(JSONValue.object(["0": 1])[0] == nil)
    }

    @Test func equalValuesHashTheSame() {
        let values: Set<JSONValue> = [["a": 1, "b": [true]], ["b": [true], "a": 1.0], .number(0), .number(-0.0)]
        #expect(values.count == 2)
    }

    // MARK: Serialization

    @Test(arguments: [
        (JSONValue.null, "null"),
        (true, "true"),
        (false, "false"),
        (42, "42"),
        (-7, "-7"),
        (0, "0"),
        (.number(-0.0), "0"),
        (0.5, "0.5"),
        (-12.25, "-12.25"),
        (1e21, "1e+21"),
        (1.5e-7, "1.5e-07"),
        (9_007_199_254_740_991, "9007199254740991"),
        (.number(.nan), "null"),
        (.number(.infinity), "null"),
        ("", "\"\""),
        ("plain", "\"plain\""),
        ("quote\" back\\slash", #""quote\" back\\slash""#),
        ("a/b", "\"a/b\""),
        ("\n\r\t\u{08}\u{0C}", #""\n\r\t\b\f""#),
        ("\u{00}\u{01}\u{1F}", #""\u0000\u0001\u001f""#),
        ("\u{7F}", "\"\u{7F}\""),
        ("héllo €  🎉", "\"héllo €  🎉\""),
        ("e\u{301}", "\"e\u{301}\""),
        ([], "[]"),
        ([:], "{}"),
        ([1, "a", nil, [true]], #"[1,"a",null,[true]]"#),
        (["b": 1, "a": ["d": 2, "c": 3], "A": 0], #"{"A":0,"a":{"c":3,"d":2},"b":1}"#),
    ] as [(JSONValue, String)])
    func serializesCompactly(value: JSONValue, expected: String) {
        #expect(value.serialized() == expected)
    }

    @Test func serializationIsDeterministic() {
        let members = (0..<50).map { ("key\($0)", JSONValue.number(Double($0))) }
        let value = JSONValue.object(Dictionary(uniqueKeysWithValues: members))
        let shuffled = JSONValue.object(Dictionary(uniqueKeysWithValues: members.shuffled()))
        #expect(value.serialized() == shuffled.serialized())
    }

    // MARK: Parsing

    @Test(arguments: [
        ("null", JSONValue.null),
        ("true", true),
        ("false", false),
        ("0", 0),
        ("-0", .number(-0.0)),
        ("42", 42),
        ("-12.25", -12.25),
        ("1.5e3", 1500),
        ("1E-2", 0.01),
        ("2e+2", 200),
        ("123456789012345678", 123_456_789_012_345_678),
        ("1e308", 1e308),
        (#""""#, ""),
        (#""plain""#, "plain"),
        (#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{08}\u{0C}\n\r\t"),
        (#""\u00e9\u20AC""#, "é€"),
        (#""\ud83d\ude00""#, "😀"),
        (#""\u0000""#, "\u{00}"),
        (#""héllo 🎉""#, "héllo 🎉"),
        (" \t\r\n[ 1 , \"a\" ] \n", [1, "a"]),
        ("[]", []),
        ("{}", [:]),
        (#"{"a":{"b":[null,{"c":false}]}}"#, ["a": ["b": [nil, ["c": false]]]]),
        (#"{"k":1,"k":2}"#, ["k": 2]),
    ] as [(String, JSONValue)])
    func parsesValidJSON(text: String, expected: JSONValue) throws {
        #expect(try JSONValue(parsing: text) == expected)
    }

    @Test(arguments: [
        "",
        "   ",
        "nul",
        "tru",
        "True",
        "nulll",
        "NaN",
        "Infinity",
        "-Infinity",
        "undefined",
        "'single'",
        "[",
        "]",
        "{",
        "[1,]",
        "[,1]",
        "[1 2]",
        "[1]]",
        "[1]x",
        "1 2",
        "{\"a\":1,}",
        "{a:1}",
        "{\"a\" 1}",
        "{\"a\":}",
        "{1:2}",
        "01",
        "-01",
        "1.",
        ".5",
        "-",
        "+1",
        "1e",
        "1e+",
        "0x10",
        "1e400",
        "-1e400",
        "\"unterminated",
        "\"bad \\x escape\"",
        "\"\\u12\"",
        "\"\\u12G4\"",
        "\"\\ud800\"",
        "\"\\ud800\\u0041\"",
        "\"\\udc00\"",
        "\"raw\ttab\"",
        "\"raw\nnewline\"",
        "\u{FEFF}1",
    ])
    func rejectsInvalidJSON(text: String) {
        #expect(throws: JSONValue.ParsingError.self) { try JSONValue(parsing: text) }
    }

    @Test func parsingErrorsSayWhere() {
        let error = #expect(throws: JSONValue.ParsingError.self) { try JSONValue(parsing: "[1,]") }
        #expect(error?.offset == 3)
        #expect(error?.description.contains("byte 3") == true)
    }

    @Test func boundsNestingDepth() throws {
        let shallow = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(try JSONValue(parsing: shallow).arrayValue?.count == 1)
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONValue.ParsingError.self) { try JSONValue(parsing: deep) }
    }

    @Test func parsesSubstrings() throws {
        let text = "xx[1,2]yy"
        let slice = text.dropFirst(2).dropLast(2)
        #expect(try JSONValue(parsing: slice) == [1, 2])
    }

    @Test(arguments: [
        JSONValue.null,
        ["a": [1, 2.5, -3e-9, "é\"\\\u{01}🎉"], "b": ["c": nil, "d": false]],
        [[], [:], [[[]]], ""],
        .number(1e300),
        .number(-0.1),
        .number(Double.ulpOfOne),
        .number(Double.greatestFiniteMagnitude),
    ] as [JSONValue])
    func serializedTextParsesBackToTheSameValue(value: JSONValue) throws {
        #expect(try JSONValue(parsing: value.serialized()) == value)
    }

    // MARK: Codable

    private struct Lead: Codable, Equatable {
        var name: String
        var score: Int
        var tags: [String]
        var note: String?
    }

    @Test func capturesAndRestoresEncodableValues() throws {
        let lead = Lead(name: "Ada", score: 7, tags: ["hot"], note: nil)
        let value = try JSONValue(encoding: lead)
        #expect(value == ["name": "Ada", "score": 7, "tags": ["hot"]])
        #expect(try value.decode(Lead.self) == lead)
    }

    @Test func capturesTopLevelFragments() throws {
        #expect(try JSONValue(encoding: "text") == "text")
        #expect(try JSONValue(encoding: 3) == 3)
        #expect(try JSONValue(encoding: [true]) == [true])
    }

    @Test func decodingTheWrongShapeThrows() {
        let value: JSONValue = ["name": "Ada"]
        #expect(throws: DecodingError.self) { try value.decode(Lead.self) }
    }

    @Test func roundTripsThroughFoundationCoders() throws {
        let value: JSONValue = ["flag": true, "one": 1, "list": [nil, "x", 2.5], "nested": ["k": [:]]]
        let data = try JSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(JSONValue.self, from: data) == value)
    }

    @Test func foundationDecodingKeepsBooleansAndNumbersApart() throws {
        let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(#"[true,1,0,false]"#.utf8))
        #expect(decoded == [true, 1, 0, false])
    }

    @Test func embedsInCodableModels() throws {
        struct Envelope: Codable, Equatable {
            var kind: String
            var payload: JSONValue
        }
        let envelope = Envelope(kind: "note", payload: ["text": "hi", "pinned": false])
        let data = try JSONEncoder().encode(envelope)
        #expect(try JSONDecoder().decode(Envelope.self, from: data) == envelope)
    }
}
