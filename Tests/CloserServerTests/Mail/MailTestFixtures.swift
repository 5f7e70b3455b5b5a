import Foundation

@testable import CloserServer

/// Ready-made emails for composer tests; each test changes only what it is about.
enum MailTestFixtures {
    /// Tue, 24 Nov 2026 14:02:00 +0000.
    static let date = Date(timeIntervalSince1970: 1_795_528_920)

    static func email(
        subject: String = "Quick question",
        body: String = "Hi Sam,\n\nDid you get a chance to look?\n\nAna",
        from: MailAddress = MailAddress(name: "Ana Rep", address: "ana@closer.example"),
        to: MailAddress = MailAddress(name: "Sam Lead", address: "sam@lead.example"),
        replyTo: MailAddress? = nil,
        trackedURL: [String: String] = [:],
        pixelURL: String? = nil
    ) -> OutboundEmail {
        OutboundEmail(
            from: from, to: to, replyTo: replyTo, subject: subject, body: body,
            messageId: "<0f3c2a9e-1d2b-4c5e-9f00-6a7b8c9d0e1f@closer.example>", date: date,
            trackedURL: trackedURL, pixelURL: pixelURL)
    }

    /// An email whose body has links, with tracking on: one tracked link per distinct URL.
    static func trackedEmail(body: String, subject: String = "Links") -> OutboundEmail {
        let urls = LinkScan.scan(body).urls
        var trackedURL: [String: String] = [:]
        for (index, url) in urls.enumerated() {
            trackedURL[url] = "https://app.closer.example/t/c/tok\(index)AbC"
        }
        return email(
            subject: subject, body: body, trackedURL: trackedURL,
            pixelURL: "https://app.closer.example/t/o/pixelTok.gif")
    }

    /// Decoded parts of a composed message: (text, html), or `nil` if the structure is wrong.
    static func decodedParts(_ raw: String) -> (text: String, html: String)? {
        guard let parts = MailTestMessage(raw).parts, parts.count == 2 else { return nil }
        return (QuotedPrintable.decode(parts[0].body), QuotedPrintable.decode(parts[1].body))
    }
}
