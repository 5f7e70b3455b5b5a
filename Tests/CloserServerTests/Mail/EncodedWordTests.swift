import Foundation
import Testing

@testable import CloserServer

struct EncodedWordTests {
    /// Lines of a `Subject` header as sent, field name included, for length checks.
    private func subjectLines(_ value: String) -> [String] {
        "Subject: \(value)".components(separatedBy: "\r\n")
    }

    private func expectWithinLimits(_ value: String, headerName: String = "Subject", sourceLocation: SourceLocation = #_sourceLocation) {
        let lines = "\(headerName): \(value)".components(separatedBy: "\r\n")
        for line in lines {
            #expect(line.count <= 78, "line too long: \(line)", sourceLocation: sourceLocation)
            #expect(line.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 && $0 != "\u{7F}" },
                    "not printable ASCII: \(line)", sourceLocation: sourceLocation)
        }
        for line in lines.dropFirst() {
            #expect(line.first == " ", "continuation must start with a space", sourceLocation: sourceLocation)
            #expect(line.contains { $0 != " " }, "whitespace-only line", sourceLocation: sourceLocation)
        }
        for word in MailTestHeaderDecoder.words(value) {
            #expect(word.count <= 75, "encoded word too long: \(word)", sourceLocation: sourceLocation)
        }
    }

    @Test func plainASCIIIsLeftAsIs() {
        #expect(EncodedWord.encode("Quick question about Q3", headerNameLength: 7) == "Quick question about Q3")
        #expect(EncodedWord.encode("", headerNameLength: 7) == "")
    }

    @Test func mixedScriptSubjectRoundTrips() {
        let subject = "Proposal Q3 — 提案 😊"
        let encoded = EncodedWord.encode(subject, headerNameLength: 7)
        #expect(encoded.hasPrefix("=?UTF-8?B?"))
        #expect(MailTestHeaderDecoder.decode(encoded) == subject)
        expectWithinLimits(encoded)
    }

    @Test func longNonASCIISubjectFoldsIntoShortWords() {
        let subject = String(repeating: "Überprüfung des Angebots für 東京オフィス 🚀 ", count: 8)
        let encoded = EncodedWord.encode(subject, headerNameLength: 7)
        #expect(encoded.components(separatedBy: "\r\n").count > 5)
        #expect(MailTestHeaderDecoder.words(encoded).count > 5)
        #expect(MailTestHeaderDecoder.decode(encoded) == subject)
        expectWithinLimits(encoded)
        // The first line uses the room after "Subject: " rather than wasting it.
        #expect((subjectLines(encoded).first?.count ?? 0) > 60)
    }

    @Test func longASCIISubjectFoldsAtSpaces() {
        let subject = (1...40).map { "word\($0)" }.joined(separator: " ") + "  two  spaces"
        let encoded = EncodedWord.encode(subject, headerNameLength: 7)
        #expect(!encoded.contains("=?"))
        #expect(encoded.contains("\r\n "))
        #expect(encoded.replacingOccurrences(of: "\r\n", with: "") == subject)
        expectWithinLimits(encoded)
    }

    @Test func asciiWordLongerThanALineIsEncodedInstead() {
        let subject = "See " + String(repeating: "x", count: 120)
        let encoded = EncodedWord.encode(subject, headerNameLength: 7)
        #expect(encoded.hasPrefix("=?UTF-8?B?"))
        #expect(MailTestHeaderDecoder.decode(encoded) == subject)
        expectWithinLimits(encoded)
    }

    @Test(arguments: [
        "Hi\r\nBcc: victim@example.com",
        "Hi\nBcc: victim@example.com",
        "Hi\rBcc: victim@example.com",
        "Hi\u{2028}Bcc: victim@example.com",
        "Hi\u{85}Bcc: victim@example.com",
    ])
    func lineBreaksCannotStartAHeader(subject: String) {
        for nonASCII in ["", " 😊"] {
            let encoded = EncodedWord.encode(subject + nonASCII, headerNameLength: 7)
            for line in encoded.components(separatedBy: "\r\n").dropFirst() {
                #expect(line.first == " ")
            }
            #expect(!encoded.replacingOccurrences(of: "\r\n ", with: "").contains("\r"))
            #expect(!encoded.replacingOccurrences(of: "\r\n ", with: "").contains("\n"))
            #expect(MailTestHeaderDecoder.decode(encoded) == "Hi Bcc: victim@example.com" + nonASCII)
        }
    }

    @Test func otherControlsAreDropped() {
        let encoded = EncodedWord.encode("A\u{0}B\u{1B}[31mC\u{7F}D\u{9B}E\tF", headerNameLength: 7)
        #expect(encoded == "AB[31mCDE F")
    }

    @Test func textThatLooksEncodedIsEncodedSoItSurvivesDecoding() {
        let subject = "Re: =?UTF-8?B?SGk=?= literally"
        let encoded = EncodedWord.encode(subject, headerNameLength: 7)
        #expect(encoded.hasPrefix("=?UTF-8?B?"))
        #expect(MailTestHeaderDecoder.decode(encoded) == subject)
    }

    @Test func wordsNeverSplitAGraphemeCluster() {
        let family = "👨‍👩‍👧‍👦"  // 25 bytes, one grapheme
        let flag = "🇯🇵"
        let accent = "e\u{301}"
        let subject = String(repeating: family + flag + accent + "提", count: 12)
        let encoded = EncodedWord.encode(subject, headerNameLength: 7)
        let pieces = MailTestHeaderDecoder.decodeEachWord(encoded)
        #expect(pieces.count > 1)
        #expect(pieces.allSatisfy { $0 != nil })
        let decodedPieces = pieces.compactMap { $0 }
        #expect(decodedPieces.joined() == subject)
        #expect(decodedPieces.map(\.count).reduce(0, +) == subject.count)
        expectWithinLimits(encoded)
    }

    @Test func clusterBiggerThanAWordIsSplitBetweenScalarsOnly() {
        let zalgo = "Z" + String(repeating: "\u{336}\u{35B}", count: 30)  // one grapheme, 121 bytes
        let encoded = EncodedWord.encode("Hi " + zalgo + " there", headerNameLength: 7)
        #expect(MailTestHeaderDecoder.decodeEachWord(encoded).allSatisfy { $0 != nil })
        #expect(MailTestHeaderDecoder.decode(encoded) == "Hi " + zalgo + " there")
        expectWithinLimits(encoded)
    }

    @Test(arguments: [2, 7, 10, 30])
    func randomTextRoundTripsWithinLimits(headerNameLength: Int) {
        var random = SeededRandom(seed: 0xC105E + UInt64(headerNameLength))
        let headerName = String(repeating: "X", count: headerNameLength)
        for _ in 0..<300 {
            let text = random.text(maximumLength: 120, controls: true)
            let encoded = EncodedWord.encode(text, headerNameLength: headerNameLength)
            #expect(MailTestHeaderDecoder.decode(encoded) == EncodedWord.removingControls(text))
            #expect(MailTestHeaderDecoder.decodeEachWord(encoded).allSatisfy { $0 != nil })
            expectWithinLimits(encoded, headerName: headerName)
        }
    }
}
