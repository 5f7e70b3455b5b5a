import CloserTUI
import Testing

#if canImport(Glibc)
import Glibc

/// glibc's own `wcwidth`, which ncurses uses to size the cells it writes.
@_silgen_name("wcwidth") func c_wcwidth(_ c: Int32) -> Int32
#endif

@Suite struct DisplayWidthTests {
    // MARK: Single clusters

    @Test(arguments: [
        ("a", 1),
        ("~", 1),
        (" ", 1),
        ("e\u{301}", 1),  // e + COMBINING ACUTE ACCENT
        ("é", 1),
        ("ñ", 1),
        ("中", 2),
        ("語", 2),
        ("한", 2),  // precomposed Hangul syllable
        ("\u{1112}\u{1161}\u{11AB}", 2),  // the same syllable as conjoining jamo
        ("Ａ", 2),  // FULLWIDTH LATIN CAPITAL LETTER A
        ("ｱ", 1),  // HALFWIDTH KATAKANA LETTER A
        ("😀", 2),
        ("👩‍👩‍👧", 2),  // ZWJ family
        ("👋🏽", 2),  // with a skin tone modifier
        ("🇺🇸", 2),  // flag: a regional-indicator pair
        ("🇺", 1),  // a lone regional indicator, as glibc has it
        ("🏴󠁧󠁢󠁳󠁣󠁴󠁿", 2),  // tag sequence flag
        ("☺", 1),
        ("☺\u{FE0F}", 1),  // VS16 doesn't widen a narrow base, as in glibc
        ("1\u{FE0F}\u{20E3}", 1),  // keycap
        ("\u{301}", 0),  // a combining mark on its own
        ("\u{200B}", 0),  // ZERO WIDTH SPACE
        ("\u{00AD}", 1),  // SOFT HYPHEN stays visible in glibc
        ("\u{0600}", 1),  // ARABIC NUMBER SIGN, a prepended concatenation mark
        ("\u{7}", 0),
        ("\r\n", 0),
        ("\u{85}", 0),
    ] as [(Character, Int)])
    func characterWidth(character: Character, expected: Int) {
        #expect(DisplayWidth.of(character) == expected)
    }

    @Test(arguments: [
        ("", 0),
        ("abc", 3),
        ("日本語abc", 9),
        ("한국어", 6),
        ("Ｈｅｌｌｏ", 10),
        ("cafe\u{301}", 4),
        ("a😀b", 4),
        ("👩‍👩‍👧👋🏽🇺🇸", 6),
        ("tab\there", 7),  // controls count 0: sanitised before layout
        ("x\u{301}\u{302}\u{303}y", 2),
    ] as [(String, Int)])
    func stringWidth(text: String, expected: Int) {
        #expect(DisplayWidth.of(text) == expected)
    }

    @Test func substringsAreMeasuredLikeStrings() {
        let text = "abc日本語def"
        let middle = text.dropFirst(2).dropLast(2)
        #expect(DisplayWidth.of(middle) == 1 + 6 + 1)
    }

    @Test func combiningMarkAfterTheASCIIPrefixBelongsToItsBase() {
        // The ASCII fast path must hand the last ASCII byte to the cluster path.
        #expect(DisplayWidth.of("abcde\u{301}") == 5)
        #expect(DisplayWidth.of("a\u{301}") == 1)
    }

    @Test func clusterStartingWithAZeroWidthScalarTakesTheVisibleOnesWidth() {
        // A ZWJ at the very start of text is extended by nothing visible.
        #expect(DisplayWidth.of(Character("\u{200D}")) == 0)
        // A stray combining mark extended by a spacing mark: one cluster, drawn one column wide.
        #expect(DisplayWidth.of(Character("\u{301}\u{903}")) == 1)
        // A prepended concatenation mark is visible itself, and is the cluster's first cell.
        #expect(DisplayWidth.of(Character("\u{110BD}\u{11083}")) == 1)
    }

    @Test func newerEmojiAreWide() {
        // U+1FAE8 SHAKING FACE (Unicode 15) is newer than glibc 2.36's data.
        #expect(DisplayWidth.of(Character("\u{1FAE8}")) == 2)
        // A CJK Extension I ideograph (Unicode 15.1).
        #expect(DisplayWidth.of(Character("\u{2EBF0}")) == 2)
    }

    @Test func longMixedTextIsTheSumOfItsParts() {
        let piece = "héllo 世界 👋🏽 "
        let text = String(repeating: piece, count: 500)
        #expect(DisplayWidth.of(text) == 500 * DisplayWidth.of(piece))
        #expect(DisplayWidth.of(piece) == 14)
    }

    @Test func measuringAStringAgreesWithMeasuringItsCharacters() {
        // Pieces chosen to cross every switch between byte-by-byte ASCII and cluster scanning:
        // ASCII runs of many lengths, marks right after ASCII, CR LF next to non-ASCII.
        let pieces = [
            "a", "abcdefghijkl", " ", "\r\n", "\r", "\n", "\u{301}", "é", "日本", "👩‍👩‍👧", "🇺", "🇸", "\u{200D}",
            "\u{FE0F}", "\u{0600}", "x\u{903}", "ᄀ", "\u{1161}", "가", "\t", "Ａ", "α", "ж", "א", "ا", "\u{64B}", "✓",
            "→", "👍", "\u{1F3FD}", "語", "ア", "\u{3099}", "क", "\u{94D}", "ष", "ｶ", "\u{FF9E}", "\u{00AD}", "—",
        ]
        var state: UInt64 = 99
        func random(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for _ in 0..<5_000 {
            var text = ""
            for _ in 0..<random(12) { text += pieces[random(pieces.count)] }
            let expected = text.reduce(0) { $0 + DisplayWidth.of($1) }
            #expect(DisplayWidth.of(text) == expected, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
            #expect(TextLayout.wrapWithOffsets(text, width: 10_000).last?.end == text.count)
        }
    }

    // MARK: Agreement with glibc

    #if canImport(Glibc)
    /// Every scalar glibc knows, from U+0020 to U+10FFFF, must measure as glibc's
    /// `wcwidth` does in a UTF-8 locale, because that is what ncurses uses.
    @Test func agreesWithGlibcWcwidthForEveryAssignedScalar() {
        let previousLocale = setlocale(LC_CTYPE, nil).map { String(cString: $0) }
        defer { _ = setlocale(LC_CTYPE, previousLocale ?? "C") }
        #expect(setlocale(LC_CTYPE, "C.UTF-8") != nil)

        var checked = 0
        var mismatches: [String] = []
        for value in UInt32(0x20)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }  // surrogates
            let expected = c_wcwidth(Int32(value))
            if expected < 0 { continue }  // unassigned in glibc's Unicode 14, or a control
            if scalar.properties.generalCategory == .control { continue }
            let actual = DisplayWidth.of(Character(scalar))
            checked += 1
            if actual != Int(expected), mismatches.count < 20 {
                mismatches.append("U+\(String(value, radix: 16, uppercase: true)): glibc \(expected), ours \(actual)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
        #expect(checked > 140_000)
    }
    #endif
}
