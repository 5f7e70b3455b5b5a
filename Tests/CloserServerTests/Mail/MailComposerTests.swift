import Foundation
import Testing

@testable import CloserServer

struct MailComposerTests {
    private let composer = MailComposer()

    @Test func headersAppearOnceInOrder() throws {
        let email = MailTestFixtures.email(replyTo: MailAddress(address: "reply+abc@closer.example"))
        let message = MailTestMessage(try composer.compose(email, boundary: "=_testBoundary"))
        #expect(message.fields.map(\.name) == [
            "From", "To", "Reply-To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type",
        ])
        #expect(message.values("From") == ["\"Ana Rep\" <ana@closer.example>"])
        #expect(message.values("To") == ["\"Sam Lead\" <sam@lead.example>"])
        #expect(message.values("Reply-To") == ["reply+abc@closer.example"])
        #expect(message.values("Subject") == ["Quick question"])
        #expect(message.values("Date") == ["Tue, 24 Nov 2026 14:02:00 +0000"])
        #expect(message.values("Message-ID") == ["<0f3c2a9e-1d2b-4c5e-9f00-6a7b8c9d0e1f@closer.example>"])
        #expect(message.values("MIME-Version") == ["1.0"])
        #expect(message.values("Content-Type") == ["multipart/alternative;\r\n boundary=\"=_testBoundary\""])
    }

    @Test func replyToIsLeftOutWhenNotGiven() throws {
        let message = MailTestMessage(try composer.compose(MailTestFixtures.email()))
        #expect(message.values("Reply-To").isEmpty)
    }

    @Test func messageUsesCRLFOnlyAndShortLines() throws {
        let body = "Line one\nLine two\r\nLine three\rLine four\n" + String(repeating: "long ", count: 400)
        let raw = try composer.compose(MailTestFixtures.trackedEmail(body: body + " https://example.com/x"))
        let bytes = Array(raw.utf8)
        for (index, byte) in bytes.enumerated() {
            if byte == 10 { #expect(index > 0 && bytes[index - 1] == 13) }
            if byte == 13 { #expect(index + 1 < bytes.count && bytes[index + 1] == 10) }
        }
        #expect(bytes.allSatisfy { $0 < 128 })
        let lines = raw.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 998 })
        #expect(lines.allSatisfy { $0.utf8.count <= 78 })
        #expect(raw.hasSuffix("--\r\n"))
    }

    @Test func multipartStructureIsExact() throws {
        let raw = try composer.compose(MailTestFixtures.email(), boundary: "=_b0und4ry")
        let message = MailTestMessage(raw)
        #expect(message.boundary == "=_b0und4ry")
        let lines = raw.components(separatedBy: "\r\n")
        #expect(lines.filter { $0 == "--=_b0und4ry" }.count == 2)
        #expect(lines.filter { $0 == "--=_b0und4ry--" }.count == 1)
        #expect(raw.hasSuffix("\r\n--=_b0und4ry--\r\n"))
        let parts = try #require(message.parts)
        #expect(parts.count == 2)
        #expect(parts.map { $0.values("Content-Type") } == [["text/plain; charset=utf-8"], ["text/html; charset=utf-8"]])
        #expect(parts.allSatisfy { $0.values("Content-Transfer-Encoding") == ["quoted-printable"] })
    }

    @Test func boundaryFoundInTheBodyIsReplaced() throws {
        let raw = try composer.compose(MailTestFixtures.email(body: "cut here\n--abc123\nand --abc123--"), boundary: "abc123")
        let message = MailTestMessage(raw)
        let boundary = try #require(message.boundary)
        #expect(boundary != "abc123")
        #expect(try #require(message.parts).count == 2)
        #expect(MailTestFixtures.decodedParts(raw)?.text == "cut here\r\n--abc123\r\nand --abc123--")
    }

    @Test func randomBoundariesAreValidAndDistinct() {
        let boundaries = (0..<100).map { _ in MailComposer.randomBoundary() }
        #expect(Set(boundaries).count == 100)
        #expect(boundaries.allSatisfy { $0.hasPrefix("=_") && $0.count == 30 })
    }

    @Test(arguments: ["Hello\r\nBcc: victim@example.com", "Hello\nBcc: victim@example.com", "Hello 😊\r\nBcc: victim@example.com"])
    func subjectInjectionAddsNoHeader(subject: String) throws {
        let message = MailTestMessage(try composer.compose(MailTestFixtures.email(subject: subject)))
        #expect(message.values("Bcc").isEmpty)
        #expect(message.fields.count == 7)
        let decoded = MailTestHeaderDecoder.decode(try #require(message.values("Subject").first))
        #expect(decoded == subject.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " "))
    }

    @Test func displayNameInjectionAddsNoHeader() throws {
        let email = MailTestFixtures.email(
            from: MailAddress(name: "Ana\r\nBcc: victim@example.com", address: "ana@closer.example"),
            to: MailAddress(name: "Sam\nX-Evil: 1", address: "sam@lead.example"))
        let message = MailTestMessage(try composer.compose(email))
        #expect(message.values("Bcc").isEmpty)
        #expect(message.values("X-Evil").isEmpty)
        #expect(message.fields.count == 7)
    }

    @Test func subjectIsTrimmedAndEmptySubjectAllowed() throws {
        #expect(MailTestMessage(try composer.compose(MailTestFixtures.email(subject: "  Hi  \n"))).values("Subject") == ["Hi"])
        let raw = try composer.compose(MailTestFixtures.email(subject: ""))
        #expect(raw.contains("\r\nSubject:\r\n"))
    }

    @Test func invalidInputsAreRefused() {
        var email = MailTestFixtures.email(from: MailAddress(address: "ana@closer.example\r\nBcc: x@y.example"))
        #expect(throws: MailComposeError.invalidAddress(field: "From")) { try composer.compose(email) }
        email = MailTestFixtures.email(to: MailAddress(address: "a@b.example, c@d.example"))
        #expect(throws: MailComposeError.invalidAddress(field: "To")) { try composer.compose(email) }
        email = MailTestFixtures.email(replyTo: MailAddress(address: "nope"))
        #expect(throws: MailComposeError.invalidAddress(field: "Reply-To")) { try composer.compose(email) }
        for id in ["abc@closer.example", "<abc>", "<a b@c>", "<a@b>\r\nBcc: x@y", "<@b>", "<a@>"] {
            email = MailTestFixtures.email()
            email.messageId = id
            #expect(throws: MailComposeError.invalidMessageID) { try composer.compose(email) }
        }
        for boundary in ["", "a\r\nb", "with space", "quo\"te", String(repeating: "b", count: 71)] {
            #expect(throws: MailComposeError.invalidBoundary) {
                try composer.compose(MailTestFixtures.email(), boundary: boundary)
            }
        }
    }

    @Test func trackingReplacesLinksInBothParts() throws {
        let body = "Pricing: https://example.com/pricing.\nAgain: https://example.com/pricing and <https://example.com/demo>"
        let raw = try composer.compose(MailTestFixtures.trackedEmail(body: body))
        let parts = try #require(MailTestFixtures.decodedParts(raw))
        #expect(parts.text == "Pricing: https://app.closer.example/t/c/tok0AbC.\r\nAgain: https://app.closer.example/t/c/tok0AbC and <https://app.closer.example/t/c/tok1AbC>")
        #expect(parts.html.contains("<a href=\"https://app.closer.example/t/c/tok0AbC\">https://example.com/pricing</a>."))
        #expect(parts.html.contains("&lt;<a href=\"https://app.closer.example/t/c/tok1AbC\">https://example.com/demo</a>&gt;"))
        #expect(parts.html.contains("<img src=\"https://app.closer.example/t/o/pixelTok.gif\" width=\"1\" height=\"1\" alt=\"\" style=\"display:none\">"))
    }

    @Test func withoutTrackingLinksPointAtTheOriginal() throws {
        let raw = try composer.compose(MailTestFixtures.email(body: "See https://example.com/?a=1&b=2"))
        let parts = try #require(MailTestFixtures.decodedParts(raw))
        #expect(parts.text == "See https://example.com/?a=1&b=2")
        #expect(parts.html.contains("<a href=\"https://example.com/?a=1&amp;b=2\">https://example.com/?a=1&amp;b=2</a>"))
        #expect(!parts.html.contains("<img"))
    }

    @Test func htmlEscapesTheRepsText() throws {
        let body = "<script>alert('x')</script> & \"quotes\"\n  indented  twice"
        let raw = try composer.compose(MailTestFixtures.email(body: body))
        let html = try #require(MailTestFixtures.decodedParts(raw)).html
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;<br>\r\n&nbsp;&nbsp;indented &nbsp;twice"))
        #expect(html.hasPrefix("<!DOCTYPE html>\r\n<html>\r\n<head>\r\n<meta charset=\"utf-8\">"))
        #expect(html.hasSuffix("</body>\r\n</html>\r\n"))
    }

    @Test func attributeValuesAreEscaped() throws {
        var email = MailTestFixtures.email(body: "Go https://example.com/a?x=1&y=2")
        email.trackedURL = ["https://example.com/a?x=1&y=2": "https://t.example/c/\"><script>&'"]
        email.pixelURL = "https://t.example/o?a=1&b=\"2\""
        let html = try #require(MailTestFixtures.decodedParts(try composer.compose(email))).html
        #expect(html.contains("<a href=\"https://t.example/c/&quot;&gt;&lt;script&gt;&amp;&#39;\">https://example.com/a?x=1&amp;y=2</a>"))
        #expect(html.contains("<img src=\"https://t.example/o?a=1&amp;b=&quot;2&quot;\""))
        #expect(!html.contains("<script>"))
    }

    @Test func controlCharactersAreRemovedFromTheBody() throws {
        let raw = try composer.compose(MailTestFixtures.email(body: "Hi\u{1B}[2J\u{0} Sam\u{7F}\tok\u{9B}"))
        #expect(MailTestFixtures.decodedParts(raw)?.text == "Hi[2J Sam\tok")
    }

    @Test func dateIsRFC5322InGMT() {
        #expect(MailDate.string(from: MailTestFixtures.date) == "Tue, 24 Nov 2026 14:02:00 +0000")
        #expect(MailDate.string(from: Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 +0000")
        #expect(MailDate.string(from: Date(timeIntervalSince1970: 951_782_399.9)) == "Mon, 28 Feb 2000 23:59:59 +0000")
        #expect(MailDate.string(from: Date(timeIntervalSince1970: 951_782_400)) == "Tue, 29 Feb 2000 00:00:00 +0000")
    }
}
