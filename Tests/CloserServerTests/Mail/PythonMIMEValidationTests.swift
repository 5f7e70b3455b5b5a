import Foundation
import Testing

@testable import CloserServer

/// Composed messages read back by Python's `email` package, a MIME implementation that shares no
/// code or assumptions with ours.
@Suite(.enabled(if: PythonMIMEParser.isAvailable, "needs /usr/bin/python3"))
struct PythonMIMEValidationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let label: String
        let email: OutboundEmail
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(label: "ASCII with tracking", email: MailTestFixtures.trackedEmail(
            body: "Hi Sam,\n\nPricing: https://example.com/pricing?plan=pro&seats=5.\nDemo: https://example.com/demo\n\nAna")),
        Case(label: "mixed scripts", email: MailTestFixtures.trackedEmail(
            body: "Bonjour Zoë — 提案 attached 😊\nhttps://例え.jp/パス and https://en.wikipedia.org/wiki/Mars_(planet).",
            subject: "Proposal Q3 — 提案 😊")),
        Case(label: "long subject and lines", email: MailTestFixtures.trackedEmail(
            body: String(repeating: "A long line with café and = signs and trailing space ", count: 30) + " \n\tindent https://example.com/x ",
            subject: String(repeating: "Überprüfung 東京 🚀 offer ", count: 10))),
        Case(label: "long ASCII subject", email: MailTestFixtures.email(
            subject: (1...30).map { "word\($0)" }.joined(separator: " "))),
        Case(label: "hostile content", email: MailTestFixtures.trackedEmail(
            body: "<script>alert('x')</script>\r\n.\r\n..\nFrom me\n--=_ not a boundary\n=?UTF-8?B?SGk=?= https://example.com/?q=\"x\"&r=<y>",
            subject: "Hello\r\nBcc: victim@example.com =?UTF-8?B?SGk=?=")),
        Case(label: "no tracking, names", email: MailTestFixtures.email(
            body: "Just text https://example.com", from: MailAddress(name: "Ana \"The Closer\" Rep, Jr.", address: "ana@closer.example"),
            to: MailAddress(name: "Zoë 提案 Müller", address: "zoe@lead.example"),
            replyTo: MailAddress(name: String(repeating: "Very Long Name, ", count: 8), address: "reply@closer.example"))),
        Case(label: "long subject, one-word names", email: MailTestFixtures.email(
            subject: "提案: " + String(repeating: "東京オフィス移転の件について", count: 6),
            from: MailAddress(name: "山田 太郎 (営業部)", address: "yamada@closer.example"),
            to: MailAddress(name: "Ünal Çelik 🚀", address: "unal@lead.example"))),
    ]

    @Test(arguments: cases)
    func pythonDecodesWhatWeMeant(_ testCase: Case) throws {
        let email = testCase.email
        let parsed = try PythonMIMEParser.parse(try MailComposer().compose(email))

        #expect(parsed.defects == [])
        #expect(parsed.contentTypes == ["multipart/alternative", "text/plain", "text/html"])
        let expectedSubject = EncodedWord.removingControls(email.subject).trimmingCharacters(in: .whitespaces)
        #expect(parsed.subject == expectedSubject)
        #expect(parsed.messageId == email.messageId)
        #expect(parsed.date == "Tue, 24 Nov 2026 14:02:00 +0000")
        #expect(parsed.addresses.from == [[displayName(email.from), email.from.address]])
        #expect(parsed.addresses.to == [[displayName(email.to), email.to.address]])
        #expect(parsed.addresses.replyTo == email.replyTo.map { [[displayName($0), $0.address]] })

        let text = normalized(try #require(parsed.text))
        let expectedText = normalized(LinkScan.scan(email.body).text { email.trackedURL[$0] ?? $0 })
        #expect(text == expectedText)
        let html = try #require(parsed.html)
        for (original, tracked) in email.trackedURL {
            #expect(text.contains(tracked))
            #expect(html.contains("href=\"\(MailHTMLBody.escaped(tracked))\">\(MailHTMLBody.escaped(original))</a>"))
        }
        if let pixelURL = email.pixelURL {
            #expect(html.contains("<img src=\"\(MailHTMLBody.escaped(pixelURL))\" width=\"1\" height=\"1\""))
        }
        #expect(!html.contains("<script>"))
    }

    @Test func randomBodiesAndSubjectsSurvive() throws {
        var random = SeededRandom(seed: 5322)
        for _ in 0..<15 {
            let body = random.text(maximumLength: 300)
            let subject = random.text(maximumLength: 60, controls: true)
            let email = MailTestFixtures.email(subject: subject, body: body)
            let parsed = try PythonMIMEParser.parse(try MailComposer().compose(email))
            #expect(parsed.defects == [])
            #expect(parsed.subject == EncodedWord.removingControls(subject).trimmingCharacters(in: .whitespaces))
            let expected = normalized(body.unicodeScalars.filter {
                $0.properties.generalCategory != .control || ["\t", "\n", "\r"].contains($0)
            }.map(String.init).joined())
            #expect(normalized(parsed.text ?? "") == expected)
        }
    }

    /// The display name Python should read: what we wrote, minus controls and outer spaces.
    private func displayName(_ address: MailAddress) -> String {
        EncodedWord.removingControls(address.name ?? "").trimmingCharacters(in: .whitespaces)
    }

    private func normalized(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }
}
