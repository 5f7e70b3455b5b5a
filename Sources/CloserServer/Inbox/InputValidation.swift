import CloserCore
import Foundation
import HTTPTypes

/// Field rules for everything a client can write, with the 4xx each violation answers.
///
/// Text is stored as sent (clients sanitise for display), but NUL is refused everywhere: PostgreSQL
/// cannot store it, and accepting it on SQLite only would make the two stores disagree.
enum InputValidation {
    static let maxNameLength = 200
    static let maxBodyLength = 100_000
    static let maxSubjectLength = 300
    static let maxValueCents = 10_000_000_000_000

    static func name(_ value: String, field: String = "name") throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw APIError.invalid(field, "must not be empty") }
        guard trimmed.count <= maxNameLength else { throw APIError.invalid(field, "must be at most \(maxNameLength) characters") }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw APIError.invalid(field, "must not contain control characters")
        }
        return trimmed
    }

    /// A lowercased address, so inbound mail matches whatever case the lead writes from.
    static func email(_ value: String, field: String = "email") throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespaces).lowercased()
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard trimmed.utf8.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              !trimmed.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F || "<>(),;:\\\"[]".unicodeScalars.contains($0) })
        else { throw APIError.invalid(field, "must be an email address such as dana@example.com") }
        return trimmed
    }

    /// An Instagram handle without the `@`, lowercased.
    static func instagram(_ value: String, field: String = "instagram") throws -> String {
        var handle = value.trimmingCharacters(in: .whitespaces).lowercased()
        if handle.hasPrefix("@") { handle.removeFirst() }
        guard (1...30).contains(handle.count),
              handle.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "_" })
        else { throw APIError.invalid(field, "must be an Instagram handle: 1 to 30 letters, digits, dots or underscores") }
        return handle
    }

    /// A phone number reduced to `+` and digits, so "+1 (415) 555-0100" and "+14155550100" match.
    static func phone(_ value: String, field: String = "phone") throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        var normalized = trimmed.hasPrefix("+") ? "+" : ""
        for scalar in trimmed.unicodeScalars.dropFirst(trimmed.hasPrefix("+") ? 1 : 0) {
            if ("0"..."9").contains(scalar) {
                normalized.unicodeScalars.append(scalar)
            } else if !" -().".unicodeScalars.contains(scalar) {
                throw APIError.invalid(field, "must be a phone number such as +1 415 555 0100")
            }
        }
        let digits = normalized.filter(\.isNumber).count
        guard (6...15).contains(digits) else { throw APIError.invalid(field, "must have 6 to 15 digits") }
        return normalized
    }

    static func body(_ value: String, field: String = "body") throws -> String {
        guard !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw APIError.invalid(field, "must not be empty") }
        guard value.count <= maxBodyLength else { throw APIError(.contentTooLarge, code: "field_too_large", message: "\(field): must be at most \(maxBodyLength) characters", field: field) }
        try noNUL(value, field: field)
        return value
    }

    /// Draft text may be empty (the rep cleared it) but has the same ceiling as a message body.
    static func draftContent(_ value: String, field: String = "content") throws -> String {
        guard value.count <= maxBodyLength else { throw APIError(.contentTooLarge, code: "field_too_large", message: "\(field): must be at most \(maxBodyLength) characters", field: field) }
        try noNUL(value, field: field)
        return value
    }

    /// A subject line: one line (it becomes a mail header), at most 300 characters.
    static func subject(_ value: String?, field: String = "subject") throws -> String? {
        guard let value else { return nil }
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard trimmed.count <= maxSubjectLength else { throw APIError.invalid(field, "must be at most \(maxSubjectLength) characters") }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw APIError.invalid(field, "must be a single line without control characters")
        }
        return trimmed.isEmpty ? nil : trimmed
    }

    static func clientId(_ value: String, field: String = "clientId") throws -> String {
        guard (1...128).contains(value.utf8.count),
              value.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.:".unicodeScalars.contains($0)) })
        else { throw APIError.invalid(field, "must be 1 to 128 letters, digits, '-', '_', '.' or ':'") }
        return value
    }

    /// A provider's message id (an email Message-ID, a WhatsApp wamid, a Twilio SID): printable
    /// ASCII without spaces, as providers make them.
    static func externalId(_ value: String, field: String = "externalId") throws -> String {
        guard (1...255).contains(value.utf8.count), value.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F })
        else { throw APIError.invalid(field, "must be 1 to 255 printable ASCII characters without spaces") }
        return value
    }

    static func valueCents(_ value: Int, field: String = "valueCents") throws -> Int {
        guard (0...maxValueCents).contains(value) else { throw APIError.invalid(field, "must be between 0 and \(maxValueCents)") }
        return value
    }

    /// A path or query id: a UUID, returned lowercased as the database keeps it.
    static func id(_ value: String, field: String) throws -> String {
        guard let uuid = UUID(uuidString: value) else { throw APIError.invalid(field, "must be a UUID") }
        return uuid.uuidString.lowercased()
    }

    private static func noNUL(_ value: String, field: String) throws {
        guard !value.utf8.contains(0) else { throw APIError.invalid(field, "must not contain NUL characters") }
    }
}
