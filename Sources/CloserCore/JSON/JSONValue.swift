import Foundation

/// A JSON document of unknown shape, for wire formats (such as Socket.IO payloads) whose content
/// is only known to the code that handles one particular message.
///
/// Numbers are held as `Double`, as JavaScript does, so integers beyond 2^53 lose precision.
public enum JSONValue: Sendable, Hashable {
    /// JSON `null`.
    case null
    /// JSON `true` or `false`.
    case bool(Bool)
    /// A JSON number; always finite when it came from parsing.
    case number(Double)
    /// A JSON string.
    case string(String)
    /// A JSON array.
    case array([JSONValue])
    /// A JSON object; key order carries no meaning, and serialization sorts the keys.
    case object([String: JSONValue])
}

// MARK: - Literals

extension JSONValue: ExpressibleByNilLiteral {
    /// Makes `nil` inside array and dictionary literals read as JSON `null`.
    ///
    /// Where a `JSONValue?` is expected, `nil` still means "no value", as for any optional.
    public init(nilLiteral: ()) {
        self = .null
    }
}

extension JSONValue: ExpressibleByBooleanLiteral {
    /// Creates a JSON boolean from a literal.
    public init(booleanLiteral value: Bool) {
        self = .bool(value)
    }
}

extension JSONValue: ExpressibleByIntegerLiteral {
    /// Creates a JSON number from an integer literal.
    public init(integerLiteral value: Int) {
        self = .number(Double(value))
    }
}

extension JSONValue: ExpressibleByFloatLiteral {
    /// Creates a JSON number from a floating-point literal.
    public init(floatLiteral value: Double) {
        self = .number(value)
    }
}

extension JSONValue: ExpressibleByStringLiteral {
    /// Creates a JSON string from a literal.
    public init(stringLiteral value: String) {
        self = .string(value)
    }
}

extension JSONValue: ExpressibleByArrayLiteral {
    /// Creates a JSON array from a literal.
    public init(arrayLiteral elements: JSONValue...) {
        self = .array(elements)
    }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
    /// Creates a JSON object from a literal; a repeated key keeps its last value, as `JSON.parse` does.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

// MARK: - Accessors

extension JSONValue {
    /// The member named `key`, or `nil` when this is not an object or has no such member.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }

    /// The element at `index`, or `nil` when this is not an array or the index is out of range.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// Whether this is JSON `null`.
    public var isNull: Bool {
        self == .null
    }

    /// The string, when this is a JSON string.
    public var stringValue: String? {
        guard case .string(let value) = self else { return nil }
        return value
    }

    /// The number, when this is a JSON number.
    public var doubleValue: Double? {
        guard case .number(let value) = self else { return nil }
        return value
    }

    /// The number, when this is a JSON number that is a whole number within `Int`'s range.
    public var intValue: Int? {
        guard case .number(let value) = self else { return nil }
        return Int(exactly: value)
    }

    /// The boolean, when this is JSON `true` or `false`.
    public var boolValue: Bool? {
        guard case .bool(let value) = self else { return nil }
        return value
    }

    /// The elements, when this is a JSON array.
    public var arrayValue: [JSONValue]? {
        guard case .array(let value) = self else { return nil }
        return value
    }

    /// The members, when this is a JSON object.
    public var objectValue: [String: JSONValue]? {
        guard case .object(let value) = self else { return nil }
        return value
    }
}

// MARK: - Codable

extension JSONValue: Codable {
    /// Decodes whatever JSON the decoder holds at this position.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Bool before Double: some decoders would read `true` as the number 1.
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "Not a JSON value")
        }
    }

    /// Encodes the value as the JSON it stands for.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// Captures any `Encodable` as a JSON value, so typed messages can travel in untyped payloads.
    public init(encoding value: some Encodable, using encoder: JSONEncoder = JSONEncoder()) throws {
        let data = try encoder.encode(value)
        self = try JSONValue(parsing: String(decoding: data, as: UTF8.self))
    }

    /// Reads this value back as a typed model.
    public func decode<T: Decodable>(_ type: T.Type, using decoder: JSONDecoder = JSONDecoder()) throws -> T {
        try decoder.decode(type, from: Data(serialized().utf8))
    }
}

// MARK: - Serialization

extension JSONValue {
    /// Compact JSON with sorted keys, so equal values always produce the same bytes.
    ///
    /// Whole numbers print without a fraction (`42`, not `42.0`), as JavaScript prints them;
    /// non-finite numbers, which JSON cannot express, print as `null`, as `JSON.stringify` does.
    public func serialized() -> String {
        var output: [UInt8] = []
        serialize(into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the serialized form's UTF-8 to `output`.
    func serialize(into output: inout [UInt8]) {
        switch self {
        case .null: output += "null".utf8
        case .bool(let value): output += (value ? "true" : "false").utf8
        case .number(let value): Self.appendNumber(value, to: &output)
        case .string(let value): Self.appendQuoted(value, to: &output)
        case .array(let elements): Self.appendArray(elements, to: &output)
        case .object(let members): Self.appendObject(members, to: &output)
        }
    }

    private static func appendArray(_ elements: [JSONValue], to output: inout [UInt8]) {
        output.append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            element.serialize(into: &output)
        }
        output.append(UInt8(ascii: "]"))
    }

    private static func appendObject(_ members: [String: JSONValue], to output: inout [UInt8]) {
        output.append(UInt8(ascii: "{"))
        for (index, member) in members.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            appendQuoted(member.key, to: &output)
            output.append(UInt8(ascii: ":"))
            member.value.serialize(into: &output)
        }
        output.append(UInt8(ascii: "}"))
    }

    /// Largest magnitude below which every whole `Double` is an exact integer (2^53).
    private static let exactIntegerLimit = 9_007_199_254_740_992.0

    private static func appendNumber(_ value: Double, to output: inout [UInt8]) {
        guard value.isFinite else {
            output += "null".utf8
            return
        }
        if value.rounded(.towardZero) == value, abs(value) <= exactIntegerLimit {
            // Through Int64 so -0.0 prints as 0 and 42.0 as 42, matching JavaScript.
            output += String(Int64(value)).utf8
        } else {
            output += value.description.utf8
        }
    }

    /// `string` as a JSON string literal: quotes, backslashes and C0 controls escaped, everything
    /// else (slashes, non-ASCII) as it is, the way `CloserJSON.encoder()` writes strings.
    static func appendQuoted(_ string: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in
            var chunkStart = 0
            // Copy runs of safe bytes in one go; escapes are rare in practice.
            for index in 0..<utf8.count {
                let byte = utf8[index]
                if byte == .quote || byte == .backslash || byte < 0x20 {
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[chunkStart..<index]))
                    appendEscape(for: byte, to: &output)
                    chunkStart = index + 1
                }
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[chunkStart..<utf8.count]))
        }
        output.append(UInt8(ascii: "\""))
    }

    private static func appendEscape(for byte: UInt8, to output: inout [UInt8]) {
        switch byte {
        case .quote: output += #"\""#.utf8
        case .backslash: output += #"\\"#.utf8
        case 0x08: output += #"\b"#.utf8
        case 0x0C: output += #"\f"#.utf8
        case 0x0A: output += #"\n"#.utf8
        case 0x0D: output += #"\r"#.utf8
        case 0x09: output += #"\t"#.utf8
        default:
            let hex = String(byte, radix: 16)
            output += ((hex.count == 1 ? #"\u000"# : #"\u00"#) + hex).utf8
        }
    }
}

// MARK: - Parsing

extension JSONValue {
    /// Why a text is not JSON, and where the parser gave up.
    public struct ParsingError: Error, Equatable, CustomStringConvertible {
        /// The byte offset in the UTF-8 text at which parsing failed.
        public let offset: Int
        /// A short human-readable reason.
        public let reason: String

        /// A message that places the reason in the text.
        public var description: String {
            "invalid JSON at byte \(offset): \(reason)"
        }
    }

    /// Parses strict RFC 8259 JSON: one value, optionally surrounded by whitespace, nothing else.
    ///
    /// Beyond the grammar, this rejects numbers too large for a `Double`, unpaired UTF-16
    /// surrogate escapes (a Swift string cannot hold them), and nesting deeper than 512 levels
    /// (so hostile input cannot exhaust the stack).
    public init(parsing text: some StringProtocol) throws(ParsingError) {
        self = try text.withUTF8Bytes { bytes in
            var parser = JSONParser(bytes: bytes)
            return Result { () throws(ParsingError) -> JSONValue in try parser.parseDocument() }
        }.get()
    }

    /// Parses the JSON held in part of a UTF-8 buffer, for decoders that already hold the bytes.
    init(parsingBytes bytes: UnsafeBufferPointer<UInt8>) throws(ParsingError) {
        var parser = JSONParser(bytes: bytes)
        self = try parser.parseDocument()
    }
}

extension StringProtocol {
    /// Hands `body` the UTF-8 bytes, without a copy when the storage is contiguous (native strings are).
    func withUTF8Bytes<Output>(_ body: (UnsafeBufferPointer<UInt8>) -> Output) -> Output {
        if let output = utf8.withContiguousStorageIfAvailable(body) {
            return output
        }
        return Array(utf8).withUnsafeBufferPointer(body)
    }
}

fileprivate extension UInt8 {
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let comma = UInt8(ascii: ",")
    static let colon = UInt8(ascii: ":")
    static let slash = UInt8(ascii: "/")
    static let minus = UInt8(ascii: "-")
    static let plus = UInt8(ascii: "+")
    static let period = UInt8(ascii: ".")
    static let digitZero = UInt8(ascii: "0")
    static let digitNine = UInt8(ascii: "9")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")

    /// Whether this byte is an ASCII decimal digit.
    var isASCIIDigit: Bool {
        self >= .digitZero && self <= .digitNine
    }
}

/// A recursive-descent parser over UTF-8 bytes.
///
/// Hand-written rather than Foundation's so that booleans and numbers never blur, errors carry a
/// position, and nesting depth is bounded for untrusted input.
private struct JSONParser {
    typealias ParsingError = JSONValue.ParsingError

    private static let maximumDepth = 512
    /// Integers with at most this many digits convert exactly without going through `Double(String)`.
    private static let fastIntegerDigits = 15

    let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0
    private var depth = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    mutating func parseDocument() throws(ParsingError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard position == bytes.count else { throw failure("unexpected characters after the value") }
        return value
    }

    // MARK: Values

    private mutating func parseValue() throws(ParsingError) -> JSONValue {
        guard let byte = peek() else { throw failure("unexpected end of input") }
        switch byte {
        case .openBrace: return try parseObject()
        case .openBracket: return try parseArray()
        case .quote: return .string(try parseString())
        case UInt8(ascii: "t"): return try parseKeyword("true", as: .bool(true))
        case UInt8(ascii: "f"): return try parseKeyword("false", as: .bool(false))
        case UInt8(ascii: "n"): return try parseKeyword("null", as: .null)
        case .minus, .digitZero ... .digitNine: return .number(try parseNumber())
        default: throw failure("unexpected character")
        }
    }

    private mutating func parseKeyword(_ keyword: StaticString, as value: JSONValue) throws(ParsingError) -> JSONValue {
        let length = keyword.utf8CodeUnitCount
        guard bytes.count - position >= length else { throw failure("unknown literal") }
        for offset in 0..<length where bytes[position + offset] != keyword.utf8Start[offset] {
            throw failure("unknown literal")
        }
        position += length
        return value
    }

    private mutating func parseArray() throws(ParsingError) -> JSONValue {
        try enterContainer()
        var elements: [JSONValue] = []
        skipWhitespace()
        if consume(.closeBracket) {
            depth -= 1
            return .array(elements)
        }
        repeat {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
        } while consume(.comma)
        try expect(.closeBracket, "expected ',' or ']'")
        depth -= 1
        return .array(elements)
    }

    private mutating func parseObject() throws(ParsingError) -> JSONValue {
        try enterContainer()
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if consume(.closeBrace) {
            depth -= 1
            return .object(members)
        }
        repeat {
            skipWhitespace()
            guard peek() == .quote else { throw failure("expected a string key") }
            let key = try parseString()
            skipWhitespace()
            try expect(.colon, "expected ':'")
            skipWhitespace()
            // A repeated key keeps its last value, as JSON.parse does.
            members[key] = try parseValue()
            skipWhitespace()
        } while consume(.comma)
        try expect(.closeBrace, "expected ',' or '}'")
        depth -= 1
        return .object(members)
    }

    /// Steps over the opening bracket or brace, refusing nesting deep enough to threaten the stack.
    private mutating func enterContainer() throws(ParsingError) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw failure("nesting deeper than \(Self.maximumDepth) levels") }
        position += 1
    }

    // MARK: Numbers

    private mutating func parseNumber() throws(ParsingError) -> Double {
        let start = position
        _ = consume(.minus)
        try scanIntegerPart()
        var isInteger = true
        if consume(.period) {
            isInteger = false
            try scanDigits("expected a digit after '.'")
        }
        if consume(UInt8(ascii: "e")) || consume(UInt8(ascii: "E")) {
            isInteger = false
            if !consume(.plus) { _ = consume(.minus) }
            try scanDigits("expected a digit in the exponent")
        }
        let text = UnsafeBufferPointer(rebasing: bytes[start..<position])
        if isInteger, let value = Self.smallInteger(text) {
            return value
        }
        guard let value = Double(String(decoding: text, as: UTF8.self)), value.isFinite else {
            throw failure("number out of range", at: start)
        }
        return value
    }

    /// JSON forbids leading zeros, so the integer part is a lone `0` or starts with 1-9.
    private mutating func scanIntegerPart() throws(ParsingError) {
        if consume(.digitZero) {
            if peek()?.isASCIIDigit == true { throw failure("leading zeros are not allowed") }
            return
        }
        try scanDigits("expected a digit")
    }

    private mutating func scanDigits(_ message: String) throws(ParsingError) {
        guard peek()?.isASCIIDigit == true else { throw failure(message) }
        while peek()?.isASCIIDigit == true {
            position += 1
        }
    }

    /// Converts short integers directly, which is exact and avoids a string round trip.
    private static func smallInteger(_ text: UnsafeBufferPointer<UInt8>) -> Double? {
        let isNegative = text.first == .minus
        let digits = isNegative ? UnsafeBufferPointer(rebasing: text.dropFirst()) : text
        guard digits.count <= fastIntegerDigits else { return nil }
        var value = 0
        for digit in digits {
            value = value * 10 + Int(digit - .digitZero)
        }
        return Double(isNegative ? -value : value)
    }

    // MARK: Strings

    private mutating func parseString() throws(ParsingError) -> String {
        position += 1
        let start = position
        // Fast path: most strings have no escapes and can be taken straight from the buffer.
        while let byte = peek() {
            switch byte {
            case .quote:
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                position += 1
                return text
            case .backslash:
                return try parseEscapedString(prefix: UnsafeBufferPointer(rebasing: bytes[start..<position]))
            case ..<0x20:
                throw failure("unescaped control character in string")
            default:
                position += 1
            }
        }
        throw failure("unterminated string")
    }

    private mutating func parseEscapedString(prefix: UnsafeBufferPointer<UInt8>) throws(ParsingError) -> String {
        var buffer = Array(prefix)
        while let byte = peek() {
            switch byte {
            case .quote:
                position += 1
                return String(decoding: buffer, as: UTF8.self)
            case .backslash:
                position += 1
                try parseEscape(into: &buffer)
            case ..<0x20:
                throw failure("unescaped control character in string")
            default:
                buffer.append(byte)
                position += 1
            }
        }
        throw failure("unterminated string")
    }

    private mutating func parseEscape(into buffer: inout [UInt8]) throws(ParsingError) {
        guard let byte = peek() else { throw failure("unterminated string") }
        position += 1
        switch byte {
        case .quote, .backslash, .slash: buffer.append(byte)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            let scalar = try parseUnicodeEscape()
            UTF8.encode(scalar) { buffer.append($0) }
        default:
            throw failure("invalid escape sequence", at: position - 2)
        }
    }

    /// Reads the four hex digits after `\u`, joining a UTF-16 surrogate pair when one follows.
    private mutating func parseUnicodeEscape() throws(ParsingError) -> Unicode.Scalar {
        let escapeStart = position - 2
        let unit = try parseHexQuad()
        switch unit {
        case 0xD800...0xDBFF:
            guard consume(.backslash), consume(UInt8(ascii: "u")) else {
                throw failure("unpaired surrogate escape", at: escapeStart)
            }
            let low = try parseHexQuad()
            guard (0xDC00...0xDFFF).contains(low) else { throw failure("unpaired surrogate escape", at: escapeStart) }
            let combined = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
            // Always valid: a surrogate pair covers exactly U+10000...U+10FFFF.
            return Unicode.Scalar(combined) ?? "\u{FFFD}"
        case 0xDC00...0xDFFF:
            throw failure("unpaired surrogate escape", at: escapeStart)
        default:
            return Unicode.Scalar(unit) ?? "\u{FFFD}"
        }
    }

    private mutating func parseHexQuad() throws(ParsingError) -> UInt32 {
        guard bytes.count - position >= 4 else { throw failure("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = Self.hexDigitValue(bytes[position]) else { throw failure("invalid hex digit in \\u escape") }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    private static func hexDigitValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case .digitZero ... .digitNine: UInt32(byte - .digitZero)
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    // MARK: Cursor

    private func peek() -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        position += 1
        return true
    }

    private mutating func expect(_ byte: UInt8, _ message: String) throws(ParsingError) {
        guard consume(byte) else { throw failure(message) }
    }

    /// JSON whitespace is exactly space, tab, line feed and carriage return.
    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
            position += 1
        }
    }

    private func failure(_ reason: String, at offset: Int? = nil) -> ParsingError {
        ParsingError(offset: offset ?? position, reason: reason)
    }
}
