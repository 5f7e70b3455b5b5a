import Foundation
import Testing

@testable import CloserServer

struct LinkScanTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let text: String
        let urls: [String]
        var testDescription: String { text }
    }

    @Test(arguments: [
        Case(text: "See https://example.com/pricing.", urls: ["https://example.com/pricing"]),
        Case(text: "Is it https://example.com/a?b=1&c=2?!", urls: ["https://example.com/a?b=1&c=2"]),
        Case(text: "Docs: https://example.com/x, https://example.com/y; ok: https://example.com/z:",
             urls: ["https://example.com/x", "https://example.com/y", "https://example.com/z"]),
        Case(text: "https://en.wikipedia.org/wiki/Swift_(programming_language)",
             urls: ["https://en.wikipedia.org/wiki/Swift_(programming_language)"]),
        Case(text: "(see https://en.wikipedia.org/wiki/Mars_(planet)).",
             urls: ["https://en.wikipedia.org/wiki/Mars_(planet)"]),
        Case(text: "(https://example.com/a)", urls: ["https://example.com/a"]),
        Case(text: "[https://example.com/a[1]]", urls: ["https://example.com/a[1]"]),
        Case(text: "Link: <https://x.example/path>", urls: ["https://x.example/path"]),
        Case(text: "\"https://example.com/q\" and 'https://example.com/r'",
             urls: ["https://example.com/q", "https://example.com/r"]),
        Case(text: "Go to HTTPS://EXAMPLE.COM/Deal or Http://example.com", urls: ["HTTPS://EXAMPLE.COM/Deal", "Http://example.com"]),
        Case(text: "a https://example.com/x b https://example.com/x c", urls: ["https://example.com/x"]),
        Case(text: "javascript:alert(1) ftp://files.example.com mailto:a@b.example", urls: []),
        Case(text: "No links here, just http and https.", urls: []),
        Case(text: "Bare https:// and http://. do not count", urls: []),
        Case(text: "", urls: []),
        Case(text: "東京 https://例え.jp/パス 😊", urls: ["https://例え.jp/パス"]),
        Case(text: "line one https://example.com/a\nhttps://example.com/b\r\nend", urls: ["https://example.com/a", "https://example.com/b"]),
    ])
    func findsLinks(_ testCase: Case) {
        let scan = LinkScan.scan(testCase.text)
        #expect(scan.urls == testCase.urls)
        #expect(scan.text { $0 } == testCase.text)
    }

    @Test func segmentsKeepProseAndLinksInOrder() {
        let scan = LinkScan.scan("See https://a.example/x. Then https://a.example/x")
        #expect(scan.segments == [
            .text("See "), .link("https://a.example/x"), .text(". Then "), .link("https://a.example/x"),
        ])
    }

    @Test func sameLinkTwiceIsOneURLButTwoReplacements() {
        let scan = LinkScan.scan("https://a.example and again https://a.example.")
        #expect(scan.urls == ["https://a.example"])
        let replaced = scan.text { url in url == "https://a.example" ? "T" : url }
        #expect(replaced == "T and again T.")
    }

    @Test func replacementLeavesEverythingElse() {
        let text = "Hi <b>Sam</b>, pricing at https://example.com/p?x=1&y=\"2\" — thanks"
        let replaced = LinkScan.scan(text).text { _ in "https://t.example/c/tok" }
        #expect(replaced == "Hi <b>Sam</b>, pricing at https://t.example/c/tok\"2\" — thanks")
    }

    @Test func linkWithinLinkIsOneLink() {
        let scan = LinkScan.scan("https://r.example/?to=http://other.example/")
        #expect(scan.urls == ["https://r.example/?to=http://other.example/"])
    }

    @Test(.timeLimit(.minutes(1)))
    func hostileBracketRunsScanInLinearTime() {
        let closers = String(repeating: ")", count: 200_000)
        let scan = LinkScan.scan("(https://x.example/a(b)" + closers)
        #expect(scan.urls == ["https://x.example/a(b)"])
    }
}
