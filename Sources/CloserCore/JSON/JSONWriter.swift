import Foundation

/// A type that writes its own JSON: the same bytes `CloserJSON.encoder()` produces (keys sorted,
/// absent optionals left out, ISO 8601 dates with milliseconds, slashes unescaped), without
/// `Codable`'s per-value dynamic dispatch. The hottest API answers (threads and lead lists, a few
/// hundred values each) conform; `JSONWriterTests` holds every conformance to the encoder's output.
public protocol JSONWritable {
    func write(to json: inout JSONWriter)
}

extension JSONWritable {
    /// The JSON text as UTF-8 bytes.
    public func jsonBytes() -> [UInt8] {
        var writer = JSONWriter()
        write(to: &writer)
        return writer.bytes
    }

    /// The same JSON as a value, for event payloads: parsing the written bytes back is several
    /// times cheaper than `JSONValue(encoding:)`, which runs `JSONEncoder` and then parses too.
    public func jsonValue() throws -> JSONValue {
        try JSONValue(parsing: String(decoding: jsonBytes(), as: UTF8.self))
    }
}

/// Appends JSON to a byte buffer. Objects are written with `object { … }` and `field` calls in
/// key order; the caller is responsible for that order (the conformances list keys sorted).
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    /// Whether the object or array being written needs a comma before its next member.
    private var needsComma = false

    public init(capacity: Int = 1024) {
        bytes.reserveCapacity(capacity)
    }

    // MARK: Structure

    public mutating func object(_ members: (inout JSONWriter) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        members(&self)
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    public mutating func array<Element>(_ elements: [Element], _ write: (Element, inout JSONWriter) -> Void) {
        bytes.append(UInt8(ascii: "["))
        needsComma = false
        for element in elements {
            separate()
            write(element, &self)
            needsComma = true
        }
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// A member's key; its value follows with one of the value calls.
    mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        needsComma = false
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    // MARK: Values

    public mutating func string(_ value: String) {
        separate()
        JSONValue.appendQuoted(value, to: &bytes)
        needsComma = true
    }

    public mutating func int(_ value: Int) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
        needsComma = true
    }

    public mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
        needsComma = true
    }

    public mutating func date(_ value: Date) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        ISO8601.append(value, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    public mutating func value(_ value: some JSONWritable) {
        separate()
        value.write(to: &self)
        needsComma = true
    }

    // MARK: Members

    mutating func field(_ name: StaticString, _ value: String) {
        key(name)
        string(value)
    }

    /// Left out when nil, as `Codable`'s synthesized `encodeIfPresent` does.
    mutating func field(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        field(name, value)
    }

    mutating func field(_ name: StaticString, _ value: Int) {
        key(name)
        int(value)
    }

    mutating func field(_ name: StaticString, _ value: Bool) {
        key(name)
        bool(value)
    }

    mutating func field(_ name: StaticString, _ value: Date) {
        key(name)
        date(value)
    }

    mutating func field(_ name: StaticString, _ value: Date?) {
        guard let value else { return }
        field(name, value)
    }

    mutating func field(_ name: StaticString, _ value: (some JSONWritable)?) {
        guard let value else { return }
        key(name)
        self.value(value)
    }
}

extension Message: JSONWritable {
    public func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("body", body)
            json.field("channel", channel.rawValue)
            json.field("clickedAt", clickedAt)
            json.field("clientId", clientId)
            json.field("createdAt", createdAt)
            json.field("direction", direction.rawValue)
            json.field("failureReason", failureReason)
            json.field("id", id)
            json.field("isRead", isRead)
            json.field("leadId", leadId)
            json.field("openedAt", openedAt)
            json.field("status", status.rawValue)
            json.field("subject", subject)
            json.field("trackingId", trackingId)
        }
    }
}

extension Lead: JSONWritable {
    public func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("createdAt", createdAt)
            json.field("email", email)
            json.field("id", id)
            json.field("instagram", instagram)
            json.field("lastActivityAt", lastActivityAt)
            json.field("lastMessage", lastMessage)
            json.field("name", name)
            json.field("phone", phone)
            json.field("status", status.rawValue)
            json.field("unreadCount", unreadCount)
            json.field("updatedAt", updatedAt)
            json.field("valueCents", valueCents)
        }
    }
}

extension Draft: JSONWritable {
    public func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("channel", channel.rawValue)
            json.field("content", content)
            json.field("leadId", leadId)
            json.field("savedAt", savedAt)
            json.field("subject", subject)
            json.field("updatedAt", updatedAt)
            json.field("version", version)
        }
    }
}

extension DraftsUpdated: JSONWritable {
    public func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("action", action.rawValue)
            json.field("draft", draft)
            json.field("leadId", leadId)
        }
    }
}

extension MessagesUpdated: JSONWritable {
    public func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("action", action.rawValue)
            json.key("message")
            json.value(message)
        }
    }
}

extension MessagePage: JSONWritable {
    public func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("hasMore", hasMore)
            json.key("messages")
            json.array(messages) { message, json in message.write(to: &json) }
        }
    }
}

extension LeadPage: JSONWritable {
    public func write(to json: inout JSONWriter) {
        json.object { json in
            json.key("leads")
            json.array(leads) { lead, json in lead.write(to: &json) }
            json.field("nextCursor", nextCursor)
        }
    }
}
