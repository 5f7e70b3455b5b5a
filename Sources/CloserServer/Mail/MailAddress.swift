import Foundation

/// A mailbox as it appears in `From`, `To` and `Reply-To`: an optional display name and an address.
///
/// The display name comes from people (a rep's profile, a lead's CRM record), so ``header`` treats it
/// as hostile: controls are removed, quotes and backslashes are escaped, and non-ASCII names become
/// RFC 2047 encoded words. The address is never rewritten; check it with ``isValid(_:)`` first, which
/// ``MailComposer`` does before it writes any header.
struct MailAddress: Sendable, Equatable {
    /// The human-readable name, e.g. `Ana Müller`; `nil` or blank renders the bare address.
    var name: String?
    /// The addr-spec, e.g. `ana@example.com`.
    var address: String

    init(name: String? = nil, address: String) {
        self.name = name
        self.address = address
    }

    /// The header value, e.g. `"Ana Muller" <ana@example.com>` or `=?UTF-8?B?...?= <ana@example.com>`.
    ///
    /// Folded so every line fits 78 characters after any address field name the composer writes
    /// (`Reply-To` is the longest), unless the address alone is longer than that.
    var header: String {
        let name = EncodedWord.removingControls(name ?? "")
            .trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { return address }
        let angleAddress = "<\(address)>"
        let phrase = Self.phrase(name)
        let lastLine = phrase.components(separatedBy: "\r\n").last ?? phrase
        let firstLineOffset = phrase.contains("\r\n") ? 0 : Self.fieldNameLength + 2
        let fits = firstLineOffset + lastLine.count + 1 + angleAddress.count <= EncodedWord.lineLimit
        return phrase + (fits ? " " : "\r\n ") + angleAddress
    }

    /// Whether `address` is a plain ASCII `local@domain` safe to put in a header and an SMTP envelope.
    ///
    /// Deliberately stricter than RFC 5321: no quoted local parts, no domain literals, no UTF-8
    /// (internationalised domains must arrive as `xn--` labels), and the domain needs a dot. What it
    /// rejects can never reach a header, so CR, LF, `<`, `>`, spaces and commas cannot inject a
    /// header or an extra recipient.
    static func isValid(_ address: String) -> Bool {
        let bytes = Array(address.utf8)
        guard bytes.count <= 254,
              let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { return false }
        return isValidLocalPart(bytes[..<at]) && isValidDomain(bytes[(at + 1)...])
    }

    /// `Reply-To` is the longest field name the composer gives an address, so folding for it fits all.
    private static let fieldNameLength = "Reply-To".count

    /// Characters RFC 5322 allows unquoted in an atom besides letters and digits.
    private static let atomSymbols = Set("!#$%&'*+-/=?^_`{|}~".utf8)

    /// The display name as an RFC 5322 phrase: a quoted-string, folded at its spaces when long,
    /// or encoded words when it is not ASCII (or one word of it is longer than a line).
    ///
    /// Quoting is preferred even for long names because some parsers (Python's `email` before
    /// CPython gh-128110) wrongly keep the space between two encoded words in a display name.
    private static func phrase(_ name: String) -> String {
        if !EncodedWord.needsEncoding(name),
           let folded = EncodedWord.foldedAtSpaces(
               quoted(name), firstLineBudget: EncodedWord.lineLimit - fieldNameLength - 2) {
            return folded
        }
        return EncodedWord.encodedWords(name, headerNameLength: fieldNameLength)
    }

    /// Wraps an ASCII display name in a quoted-string, escaping the two characters that would end it.
    private static func quoted(_ name: String) -> String {
        var result = "\""
        for character in name {
            if character == "\"" || character == "\\" { result.append("\\") }
            result.append(character)
        }
        result.append("\"")
        return result
    }

    /// A dot-atom local part of at most 64 octets: atoms separated by single dots.
    private static func isValidLocalPart(_ local: ArraySlice<UInt8>) -> Bool {
        guard (1...64).contains(local.count) else { return false }
        let atoms = local.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return atoms.allSatisfy { atom in
            !atom.isEmpty && atom.allSatisfy { isASCIIAlphanumeric($0) || atomSymbols.contains($0) }
        }
    }

    /// At least two DNS labels of letters, digits and inner hyphens, each at most 63 octets.
    private static func isValidDomain(_ domain: ArraySlice<UInt8>) -> Bool {
        let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        return labels.allSatisfy { label in
            guard (1...63).contains(label.count),
                  label.first != UInt8(ascii: "-"),
                  label.last != UInt8(ascii: "-") else { return false }
            return label.allSatisfy { isASCIIAlphanumeric($0) || $0 == UInt8(ascii: "-") }
        }
    }

    private static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
