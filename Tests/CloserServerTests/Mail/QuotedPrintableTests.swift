import Foundation
import Testing

@testable import CloserServer

struct QuotedPrintableTests {
    private func lines(_ encoded: String) -> [String] {
        encoded.components(separatedBy: "\r\n")
    }

    @Test func printableASCIIIsUnchanged() {
        #expect(QuotedPrintable.encode("Hello, Sam! (50% off) ~ok~") == "Hello, Sam! (50% off) ~ok~")
    }

    @Test func equalsSignIsEncoded() {
        #expect(QuotedPrintable.encode("a=b==") == "a=3Db=3D=3D")
    }

    @Test func whitespaceBeforeALineBreakIsEncoded() {
        #expect(QuotedPrintable.encode("a \nb\t\nc  d  ") == "a=20\r\nb=09\r\nc  d =20")
    }

    @Test func lineBreaksBecomeCRLF() {
        #expect(QuotedPrintable.encode("a\nb\r\nc\rd\n\n") == "a\r\nb\r\nc\r\nd\r\n\r\n")
    }

    @Test func multibyteCharactersBecomeTriplets() {
        #expect(QuotedPrintable.encode("café 提案 😊") == "caf=C3=A9 =E6=8F=90=E6=A1=88 =F0=9F=98=8A")
    }

    @Test func lineOfExactly76CharactersIsNotBroken() {
        let line = String(repeating: "x", count: 76)
        #expect(QuotedPrintable.encode(line) == line)
    }

    @Test func longLinesGetSoftBreaksAt76() {
        let encoded = QuotedPrintable.encode(String(repeating: "x", count: 77))
        #expect(encoded == String(repeating: "x", count: 75) + "=\r\nxx")
        let long = QuotedPrintable.encode(String(repeating: "abc ", count: 100))
        #expect(lines(long).allSatisfy { $0.count <= 76 })
        #expect(QuotedPrintable.decode(long) == String(repeating: "abc ", count: 100))
    }

    @Test func leadingDotIsEncoded() {
        #expect(QuotedPrintable.encode(".\n.x") == "=2E\r\n=2Ex")
        let soft = QuotedPrintable.encode(String(repeating: "a", count: 75) + ".end")
        #expect(soft == String(repeating: "a", count: 75) + "=\r\n=2Eend")
    }

    @Test(arguments: 0..<12)
    func tripletsAndCharactersAreNeverSplit(offset: Int) {
        let text = String(repeating: "x", count: offset) + String(repeating: "é😊=", count: 40)
        let encoded = QuotedPrintable.encode(text)
        for line in lines(encoded) {
            #expect(line.count <= 76)
            let content = line.hasSuffix("=") ? String(line.dropLast()) : line
            // A line never ends inside a triplet: after the last "=" come exactly two hex digits.
            if let lastEquals = content.lastIndex(of: "=") {
                #expect(content.distance(from: lastEquals, to: content.endIndex) == 3)
            }
            // Each line decodes to whole UTF-8 characters on its own.
            let bytes = Array(QuotedPrintable.decode(content).utf8)
            #expect(String(validating: bytes, as: UTF8.self) != nil)
            #expect(!QuotedPrintable.decode(content).contains("\u{FFFD}"))
        }
        #expect(QuotedPrintable.decode(encoded) == text)
    }

    @Test func decodeIsLenient() {
        #expect(QuotedPrintable.decode("caf=c3=a9=\nok  \r\nnext") == "caféok\r\nnext")
        #expect(QuotedPrintable.decode("100=ZZ =4") == "100=ZZ =4")
    }

    @Test func randomUnicodeRoundTrips() {
        var random = SeededRandom(seed: 2045)
        for _ in 0..<500 {
            let text = random.text(maximumLength: 200)
            let encoded = QuotedPrintable.encode(text)
            let expected = text
                .replacingOccurrences(of: "\r\n", with: "\n")
                .replacingOccurrences(of: "\r", with: "\n")
                .replacingOccurrences(of: "\n", with: "\r\n")
            #expect(QuotedPrintable.decode(encoded) == expected)
            for line in lines(encoded) {
                #expect(line.count <= 76)
                #expect(line.unicodeScalars.allSatisfy { (0x21...0x7E).contains($0.value) || $0 == " " || $0 == "\t" })
                #expect(line.last != " " && line.last != "\t")
            }
        }
    }
}
