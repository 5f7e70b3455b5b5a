import CloserTUI
import Testing

@Suite struct TextLayoutTests {
    typealias Line = TextLayout.WrappedLine

    // MARK: wrap

    @Test(arguments: [
        ("", 10, [""]),
        ("short", 10, ["short"]),
        ("hello world", 5, ["hello", "world"]),
        ("hello world", 11, ["hello world"]),
        ("the quick brown fox jumps over the lazy dog", 10, ["the quick", "brown fox", "jumps over", "the lazy", "dog"]),
        ("a\n\nb", 10, ["a", "", "b"]),
        ("a\n", 10, ["a", ""]),
        ("\n", 10, ["", ""]),
        ("abcdefghij", 4, ["abcd", "efgh", "ij"]),
        ("hi abcdefghij", 4, ["hi", "abcd", "efgh", "ij"]),
        ("hello     world", 7, ["hello", "world"]),
        ("a   b", 10, ["a   b"]),
        ("  indented text", 20, ["  indented text"]),
        ("  indented text", 10, ["  indented", "text"]),
        ("      ", 4, ["    ", "  "]),
        ("ab", 0, ["a", "b"]),
        ("ab", -3, ["a", "b"]),
        ("trailing   ", 10, ["trailing  "]),
        ("one two\nthree four", 5, ["one", "two", "three", "four"]),
    ] as [(String, Int, [String])])
    func wrapsAtSpaces(text: String, width: Int, expected: [String]) {
        #expect(TextLayout.wrap(text, width: width) == expected)
    }

    @Test(arguments: [
        ("abc中", 4, ["abc", "中"]),  // the wide character would straddle the edge
        ("日本語テキスト", 5, ["日本", "語テ", "キス", "ト"]),
        ("日本語 テキスト", 6, ["日本語", "テキス", "ト"]),
        ("👩‍👩‍👧👩‍👩‍👧", 3, ["👩‍👩‍👧", "👩‍👩‍👧"]),
        ("e\u{301}e\u{301}e\u{301}", 2, ["e\u{301}e\u{301}", "e\u{301}"]),
        ("🇺🇸🇬🇧🇫🇷", 4, ["🇺🇸🇬🇧", "🇫🇷"]),
        ("中a", 1, ["中", "a"]),  // a cluster wider than the line still gets a line of its own
        ("Ｈｅｌｌｏ world", 6, ["Ｈｅｌ", "ｌｏ", "world"]),
    ] as [(String, Int, [String])])
    func neverSplitsAClusterOrOverflowsWithAWideOne(text: String, width: Int, expected: [String]) {
        #expect(TextLayout.wrap(text, width: width) == expected)
    }

    @Test func everyLineFitsAndNothingIsLost() {
        let words = ["a", "lead", "日本語", "👩‍👩‍👧", "café", "supercalifragilistic", "🇺🇸", "x\u{301}", "  ", "\n"]
        // A fixed-seed linear congruential generator, so every run sees the same text.
        var state: UInt64 = 7
        func random() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        for _ in 0..<200 {
            var text = ""
            for _ in 0..<Int(random() % 30) {
                text += words[Int(random() % UInt64(words.count))]
                if random() % 3 == 0 { text += " " }
            }
            for width in [1, 2, 3, 7, 20, 80] {
                let lines = TextLayout.wrapWithOffsets(text, width: width)
                for line in lines {
                    #expect(DisplayWidth.of(line.text) <= max(width, 2), "\(text.debugDescription) at \(width)")
                }
                // Only spaces and line feeds go missing.
                let shown = lines.map(\.text).joined().filter { $0 != " " }
                let original = text.filter { $0 != " " && $0 != "\n" }
                #expect(shown == original)
                #expect(lines.map(\.text) == TextLayout.wrap(text, width: width))
            }
        }
    }

    // MARK: wrapWithOffsets

    @Test(arguments: [
        ("", 10, [Line(text: "", start: 0, end: 0)]),
        ("hello world", 5, [Line(text: "hello", start: 0, end: 6), Line(text: "world", start: 6, end: 11)]),
        ("ab\ncd", 10, [Line(text: "ab", start: 0, end: 3), Line(text: "cd", start: 3, end: 5)]),
        ("ab\n", 10, [Line(text: "ab", start: 0, end: 3), Line(text: "", start: 3, end: 3)]),
        ("abcdef", 3, [Line(text: "abc", start: 0, end: 3), Line(text: "def", start: 3, end: 6)]),
        (
            "hi   there", 4,
            [Line(text: "hi", start: 0, end: 5), Line(text: "ther", start: 5, end: 9), Line(text: "e", start: 9, end: 10)]
        ),
        (
            "👩‍👩‍👧 e\u{301}x", 2,
            [Line(text: "👩‍👩‍👧", start: 0, end: 2), Line(text: "e\u{301}x", start: 2, end: 4)]
        ),
        ("a\n\nb", 5, [Line(text: "a", start: 0, end: 2), Line(text: "", start: 2, end: 3), Line(text: "b", start: 3, end: 4)]),
    ] as [(String, Int, [Line])])
    func reportsClusterOffsets(text: String, width: Int, expected: [Line]) {
        #expect(TextLayout.wrapWithOffsets(text, width: width) == expected)
    }

    @Test(arguments: [
        "the quick brown fox jumps over the lazy dog",
        "para one\n\npara two   with  spaces   \nend",
        "日本語のテキスト and 👩‍👩‍👧 family\n🇺🇸🇬🇧",
        "averyveryverylongwordthatneverends",
        "",
        "\n\n",
    ])
    func offsetsTileTheText(text: String) {
        for width in 1...12 {
            let lines = TextLayout.wrapWithOffsets(text, width: width)
            #expect(lines.first?.start == 0)
            #expect(lines.last?.end == text.count)
            for (line, next) in zip(lines, lines.dropFirst()) {
                #expect(line.end == next.start)
                #expect(line.start < line.end)
            }
        }
    }

    // MARK: truncate

    @Test(arguments: [
        ("hello", 10, "hello"),
        ("hello", 5, "hello"),
        ("hello!", 5, "hell…"),
        ("hello world", 8, "hello w…"),
        ("hello", 1, "…"),
        ("hello", 0, ""),
        ("hello", -1, ""),
        ("", 3, ""),
        ("日本語", 6, "日本語"),
        ("日本語", 5, "日本…"),
        ("日本語", 4, "日…"),  // 本 would straddle: stop before it
        ("👩‍👩‍👧👩‍👩‍👧", 3, "👩‍👩‍👧…"),
        ("cafe\u{301} au lait", 5, "cafe\u{301}…"),
        ("🇺🇸🇬🇧", 3, "🇺🇸…"),
    ] as [(String, Int, String)])
    func truncatesWithAnEllipsis(text: String, width: Int, expected: String) {
        let result = TextLayout.truncate(text, width: width)
        #expect(result == expected)
        #expect(DisplayWidth.of(result) <= max(0, width))
    }

    @Test func customEllipsis() {
        #expect(TextLayout.truncate("hello world", width: 8, ellipsis: "...") == "hello...")
        #expect(TextLayout.truncate("hello world", width: 5, ellipsis: "") == "hello")
        // When even the ellipsis doesn't fit, the text is cut without one.
        #expect(TextLayout.truncate("hello", width: 2, ellipsis: "...") == "he")
    }

    @Test func truncatingHugeTextLooksOnlyAtItsStart() {
        let body = String(repeating: "日本語 and text ", count: 5_000)
        #expect(TextLayout.truncate(body, width: 10) == "日本語 an…")
    }

    // MARK: pad and fit

    @Test(arguments: [
        ("ab", 5, "ab   "),
        ("日本", 5, "日本 "),
        ("hello world", 5, "hell…"),
        ("日本語", 4, "日… "),
        ("", 3, "   "),
        ("abc", 0, ""),
    ] as [(String, Int, String)])
    func padsToExactlyTheWidth(text: String, width: Int, expected: String) {
        let result = TextLayout.pad(text, width: width)
        #expect(result == expected)
        #expect(DisplayWidth.of(result) == max(0, width))
    }

    @Test(arguments: [
        ("ab", 5, TextLayout.Alignment.left, "ab   "),
        ("ab", 5, .right, "   ab"),
        ("12:05", 7, .right, "  12:05"),
        ("日本語", 4, .right, " 日…"),
        ("toolong", 4, .right, "too…"),
        ("exact", 5, .right, "exact"),
    ] as [(String, Int, TextLayout.Alignment, String)])
    func fitsToExactlyTheWidth(text: String, width: Int, alignment: TextLayout.Alignment, expected: String) {
        let result = TextLayout.fit(text, width: width, alignment: alignment)
        #expect(result == expected)
        #expect(DisplayWidth.of(result) == width)
    }

    @Test func padAndFitTakeTheThemesEllipsis() {
        #expect(TextLayout.pad("hello world", width: 8, ellipsis: "...") == "hello...")
        #expect(TextLayout.fit("hello world", width: 8, alignment: .right, ellipsis: "~") == "hello w~")
        #expect(TextLayout.fit("hi", width: 4, alignment: .right, ellipsis: "...") == "  hi")
    }

    @Test func wrapsAFiftyKilobyteBody() {
        let paragraph = String(repeating: "Thanks for getting back to me so quickly 👍 ", count: 40)
        let body = String(repeating: paragraph + "\n", count: 28)
        let lines = TextLayout.wrap(body, width: 72)
        #expect(body.utf8.count > 50_000)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 72 })
        #expect(lines.count > 28 * 20)
    }
}
