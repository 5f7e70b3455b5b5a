import Foundation
import Testing

@testable import CloserServer

struct MailAddressTests {
    @Test func asciiNameIsQuoted() {
        #expect(MailAddress(name: "Ana Rep", address: "ana@closer.example").header == "\"Ana Rep\" <ana@closer.example>")
    }

    @Test func missingOrBlankNameGivesBareAddress() {
        #expect(MailAddress(address: "ana@closer.example").header == "ana@closer.example")
        #expect(MailAddress(name: " \r\n ", address: "ana@closer.example").header == "ana@closer.example")
    }

    @Test func quotesAndBackslashesAreEscaped() {
        let address = MailAddress(name: #"Rep, Ana "The Closer" \o/"#, address: "ana@closer.example")
        #expect(address.header == #""Rep, Ana \"The Closer\" \\o/" <ana@closer.example>"#)
    }

    @Test func nonASCIINameIsEncoded() {
        let header = MailAddress(name: "Zoë Müller 提案", address: "zoe@lead.example").header
        #expect(header.hasPrefix("=?UTF-8?B?"))
        #expect(header.hasSuffix(" <zoe@lead.example>"))
        let phrase = header.replacingOccurrences(of: " <zoe@lead.example>", with: "")
        #expect(MailTestHeaderDecoder.decode(phrase) == "Zoë Müller 提案")
    }

    @Test func nameThatLooksEncodedIsEncoded() {
        let header = MailAddress(name: "=?UTF-8?B?SGk=?=", address: "a@b.example").header
        let phrase = header.replacingOccurrences(of: " <a@b.example>", with: "")
        #expect(MailTestHeaderDecoder.decode(phrase) == "=?UTF-8?B?SGk=?=")
    }

    @Test(arguments: ["Ana\r\nBcc: victim@example.com", "Ana\nBcc: victim@example.com", "Ana\u{0}\u{1B}\rBcc: victim@example.com"])
    func lineBreaksInNameCannotStartAHeader(name: String) {
        let header = MailAddress(name: name, address: "ana@closer.example").header
        for line in header.components(separatedBy: "\r\n").dropFirst() {
            #expect(line.first == " ")
        }
        #expect(!header.replacingOccurrences(of: "\r\n ", with: "").contains { $0.isNewline })
        #expect(header == "\"Ana Bcc: victim@example.com\" <ana@closer.example>")
    }

    @Test func longNamesFoldWithinTheLineLimit() {
        for name in [String(repeating: "Ana ", count: 15), String(repeating: "Ana ", count: 40), String(repeating: "Zoë ", count: 30)] {
            let header = MailAddress(name: name, address: "ana.longer.address@closer.example").header
            for line in "Reply-To: \(header)".components(separatedBy: "\r\n") {
                #expect(line.count <= 78)
            }
            #expect(header.hasSuffix("<ana.longer.address@closer.example>"))
            let phrase = header.replacingOccurrences(of: "<ana.longer.address@closer.example>", with: "")
                .replacingOccurrences(of: "\r\n", with: "").trimmingCharacters(in: .whitespaces)
            let decoded = phrase.hasPrefix("\"") ? String(phrase.dropFirst().dropLast()) : MailTestHeaderDecoder.decode(phrase)
            #expect(decoded == name.trimmingCharacters(in: .whitespaces))
        }
    }

    @Test func longASCIINamesStayQuotedStrings() {
        let name = (1...20).map { "Name\($0)" }.joined(separator: " ")
        let header = MailAddress(name: name, address: "a@b.example").header
        #expect(!header.contains("=?"))
        #expect(header.hasPrefix("\"Name1 "))
        #expect(header.replacingOccurrences(of: "\r\n", with: "") == "\"\(name)\" <a@b.example>")
    }

    @Test(arguments: [
        "ana@closer.example", "first.last+tag@sub.domain.example", "o'brien@example.co.uk",
        "x@xn--bcher-kva.example", "a_b-c=d@a-b.example",
    ])
    func acceptsOrdinaryAddresses(address: String) {
        #expect(MailAddress.isValid(address))
    }

    @Test(arguments: [
        "", "ana", "ana@", "@closer.example", "ana@closer", "ana@@closer.example", "a@b@closer.example",
        "ana\r\n@closer.example", "ana@closer.example\r\nBcc: x@y.example", "ana@closer.example\n",
        "ana\r@closer.example", "<ana@closer.example>", "ana@closer.example>", "Ana <ana@closer.example>",
        "ana smith@closer.example", "ana@closer.example, b@c.example", "ana,b@closer.example",
        ".ana@closer.example", "ana.@closer.example", "an..a@closer.example", "\"ana\"@closer.example",
        "ana@[127.0.0.1]", "ana@-closer.example", "ana@closer-.example", "ana@closer..example",
        "zoë@closer.example", "ana@clöser.example", "ana@closer.example\u{0}", "ana\t@closer.example",
        String(repeating: "a", count: 65) + "@closer.example",
        "a@" + String(repeating: "b", count: 64) + ".example",
        "a@" + Array(repeating: String(repeating: "b", count: 60), count: 5).joined(separator: ".") + ".example",
    ])
    func rejectsUnsafeOrMalformedAddresses(address: String) {
        #expect(!MailAddress.isValid(address))
    }
}
