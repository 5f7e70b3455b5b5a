import Foundation

/// Writes a rep's outbound email as one RFC 5322 message, ready for SMTP.
///
/// The message is `multipart/alternative` with a text/plain part (the rep's text, links swapped
/// for tracked links) and a text/html part built from the same text (links clickable, plus the
/// open-tracking pixel). Both parts are quoted-printable UTF-8 and every line ends in CRLF, so the
/// message is 7-bit clean and no line comes near the 998-octet limit.
struct MailComposer: Sendable {
    init() {}

    /// The complete message, CRLF line endings throughout, ending with the closing boundary.
    ///
    /// Throws rather than write a header from an invalid address, message ID or boundary: those
    /// come from the caller, and a bad one would mean a bounced or injectable message. The subject
    /// and body come from the rep and are made safe instead: controls are removed from both (line
    /// breaks in the subject become spaces), and the subject is trimmed.
    ///
    /// `boundary` is used unless it occurs in an encoded part (it cannot if it starts with `=_`,
    /// which quoted-printable never produces); then a random one replaces it.
    func compose(
        _ email: OutboundEmail,
        boundary: String = MailComposer.randomBoundary()
    ) throws(MailComposeError) -> String {
        try Self.validate(email)
        guard Self.isValidBoundary(boundary) else { throw .invalidBoundary }

        let scan = LinkScan.scan(Self.bodyText(email.body))
        let plain = QuotedPrintable.encode(scan.text { email.trackedURL[$0] ?? $0 })
        let html = QuotedPrintable.encode(
            MailHTMLBody.document(for: scan, trackedURL: email.trackedURL, pixelURL: email.pixelURL))
        var boundary = boundary
        while plain.contains("--\(boundary)") || html.contains("--\(boundary)") {
            boundary = Self.randomBoundary()
        }

        var lines = Self.headerLines(email, boundary: boundary)
        lines += ["", "--\(boundary)"]
        lines += Self.partLines(contentType: "text/plain", encodedBody: plain)
        lines += ["--\(boundary)"]
        lines += Self.partLines(contentType: "text/html", encodedBody: html)
        lines += ["--\(boundary)--", ""]
        return lines.joined(separator: "\r\n")
    }

    /// A fresh boundary: `=_` then 28 random letters and digits.
    ///
    /// `=_` can never start a line of a quoted-printable body, and 166 random bits make a clash
    /// with anything else impossible in practice.
    static func randomBoundary() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        let random = (0..<28).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] }
        return "=_" + String(random)
    }

    private static func validate(_ email: OutboundEmail) throws(MailComposeError) {
        guard MailAddress.isValid(email.from.address) else { throw .invalidAddress(field: "From") }
        guard MailAddress.isValid(email.to.address) else { throw .invalidAddress(field: "To") }
        if let replyTo = email.replyTo, !MailAddress.isValid(replyTo.address) {
            throw .invalidAddress(field: "Reply-To")
        }
        guard isValidMessageID(email.messageId) else { throw .invalidMessageID }
    }

    /// `<left@right>`: printable ASCII without spaces or angle brackets inside, one `@`.
    private static func isValidMessageID(_ id: String) -> Bool {
        guard id.utf8.count <= 250, id.hasPrefix("<"), id.hasSuffix(">"), id.count > 2 else { return false }
        let inner = id.utf8.dropFirst().dropLast()
        let parts = inner.split(separator: UInt8(ascii: "@"), omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty }
            && inner.allSatisfy { (33...126).contains($0) && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") }
    }

    /// RFC 2046 boundary characters, minus the space it allows but that is easy to get wrong.
    private static func isValidBoundary(_ boundary: String) -> Bool {
        let allowed = Set("'()+_,-./:=?".utf8)
        return (1...70).contains(boundary.utf8.count) && boundary.utf8.allSatisfy { byte in
            allowed.contains(byte)
                || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
    }

    /// The rep's text without control characters other than tab and line breaks: NUL has no place
    /// in mail, and ESC sequences would drive the terminal of anyone reading the mail in one.
    private static func bodyText(_ body: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in body.unicodeScalars
        where scalar.properties.generalCategory != .control || ["\t", "\n", "\r"].contains(scalar) {
            result.append(scalar)
        }
        return String(result)
    }

    private static func headerLines(_ email: OutboundEmail, boundary: String) -> [String] {
        let subject = EncodedWord.removingControls(email.subject).trimmingCharacters(in: .whitespaces)
        var lines = [
            field("From", email.from.header),
            field("To", email.to.header),
        ]
        if let replyTo = email.replyTo { lines.append(field("Reply-To", replyTo.header)) }
        lines += [
            field("Subject", EncodedWord.encode(subject, headerNameLength: "Subject".count)),
            field("Date", MailDate.string(from: email.date)),
            field("Message-ID", email.messageId),
            field("MIME-Version", "1.0"),
            field("Content-Type", "multipart/alternative;\r\n boundary=\"\(boundary)\""),
        ]
        return lines
    }

    private static func partLines(contentType: String, encodedBody: String) -> [String] {
        [
            field("Content-Type", "\(contentType); charset=utf-8"),
            field("Content-Transfer-Encoding", "quoted-printable"),
            "",
            encodedBody,
        ]
    }

    /// `Name: value`, without a trailing space when the value is empty.
    private static func field(_ name: String, _ value: String) -> String {
        value.isEmpty ? "\(name):" : "\(name): \(value)"
    }
}
