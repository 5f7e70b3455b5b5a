import CloserTUI
import Testing

@Suite struct TerminalSanitizerTests {
    private static func multi(_ text: String) -> String {
        TerminalSanitizer.sanitize(text, mode: .multiLine)
    }

    private static func single(_ text: String) -> String {
        TerminalSanitizer.sanitize(text, mode: .singleLine)
    }

    /// Nothing a terminal could act on: no C0 but line feed, no DEL or C1, no bidi controls,
    /// none of the removed invisible characters.
    private static func isInert(_ text: String, allowLineFeed: Bool = true) -> Bool {
        text.unicodeScalars.allSatisfy { scalar in
            let value = scalar.value
            if value == 0x0A { return allowLineFeed }
            if value < 0x20 || (0x7F...0x9F).contains(value) { return false }
            switch value {
            case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029, 0xFEFF, 0x180E,
                0xFFF9...0xFFFB:
                return false
            default:
                return true
            }
        }
    }

    // MARK: Clean text

    @Test(arguments: [
        "",
        "Hello, world",
        "Line one\nLine two\n\nLine four",
        "日本語 text with émoji 👩‍👩‍👧 and flags 🇺🇸",
        "keycap 1\u{FE0F}\u{20E3} and ZWJ \u{200D} stay",
        "␛ and ␍ are just pictures",
    ])
    func cleanTextIsReturnedUnchanged(text: String) {
        #expect(Self.multi(text) == text)
    }

    @Test func cleanSingleLineTextIsReturnedUnchanged() {
        #expect(Self.single("Anna Lee · new lead 👋") == "Anna Lee · new lead 👋")
    }

    // MARK: Escape sequences

    @Test(arguments: [
        // OSC 52 clipboard write, BEL-terminated.
        ("\u{1B}]52;c;ZXZpbA==\u{07}hi", "␛hi"),
        // OSC 777 notification, ST-terminated.
        ("a\u{1B}]777;notify;x;y\u{1B}\\b", "a␛b"),
        // OSC title terminated by the C1 ST.
        ("\u{1B}]0;pwned\u{9C}ok", "␛ok"),
        // Clear screen and home.
        ("\u{1B}[2J\u{1B}[H", "␛␛"),
        // SGR with parameters.
        ("\u{1B}[1;31mred\u{1B}[0m", "␛red␛"),
        // Private-mode CSI with intermediates.
        ("x\u{1B}[?1049hy", "x␛y"),
        ("x\u{1B}[2 qy", "x␛y"),
        // DCS, SOS, PM, APC.
        ("\u{1B}Pq#0;2;0;0;0\u{1B}\\after", "␛after"),
        ("\u{1B}Xsos\u{1B}\\after", "␛after"),
        ("\u{1B}^pm\u{1B}\\after", "␛after"),
        ("\u{1B}_apc\u{1B}\\after", "␛after"),
        // Two-byte escapes: save cursor, reset, keypad mode.
        ("a\u{1B}7b\u{1B}cc\u{1B}=d", "a␛b␛c␛d"),
        // nF escape: designate G0.
        ("\u{1B}(Btext", "␛text"),
        // Lone ESC at the end, and before a non-ASCII character.
        ("end\u{1B}", "end␛"),
        ("\u{1B}é", "␛é"),
        // ESC ESC: the first is alone, the second introduces the CSI.
        ("\u{1B}\u{1B}[31mx", "␛␛x"),
    ] as [(String, String)])
    func escapeSequencesAreRemovedWhole(input: String, expected: String) {
        #expect(Self.multi(input) == expected)
    }

    @Test func unterminatedStringSequenceRunsToTheEnd() {
        #expect(Self.multi("safe\u{1B}]52;c;AAAA and the rest") == "safe␛")
        #expect(Self.multi("safe\u{1B}P never ends") == "safe␛")
    }

    @Test func unterminatedControlSequenceStopsAtTheFirstByteThatCannotContinueIt() {
        #expect(Self.multi("a\u{1B}[12;") == "a␛")
        #expect(Self.multi("a\u{1B}[3\n1mb") == "a␛\n1mb")
        #expect(Self.multi("a\u{1B}[3ébc") == "a␛ébc")
    }

    @Test func escapeInsideAStringSequenceStartsANewSequence() {
        // As on a terminal: ESC that isn't ST aborts the OSC and begins a CSI.
        #expect(Self.multi("\u{1B}]0;\u{1B}[31mtitle\u{07}rest") == "␛␛title␇rest")
        // Nested string sequences.
        #expect(Self.multi("\u{1B}]0;\u{1B}]52;c;x\u{07}y") == "␛␛y")
    }

    // MARK: C1 controls

    @Test(arguments: [
        ("x\u{9B}31mred", "x\u{FFFD}red"),  // 8-bit CSI
        ("x\u{9D}0;title\u{07}y", "x\u{FFFD}y"),  // 8-bit OSC, BEL-terminated
        ("x\u{9D}0;title\u{9C}y", "x\u{FFFD}y"),  // 8-bit OSC, 8-bit ST
        ("x\u{90}dcs\u{1B}\\y", "x\u{FFFD}y"),  // 8-bit DCS, 7-bit ST
        ("x\u{9F}apc", "x\u{FFFD}"),  // unterminated 8-bit APC
        ("a\u{85}b", "a\u{FFFD}b"),  // NEL
        ("a\u{80}\u{9C}b", "a\u{FFFD}\u{FFFD}b"),
    ] as [(String, String)])
    func c1ControlsAreReplaced(input: String, expected: String) {
        #expect(Self.multi(input) == expected)
    }

    // MARK: C0 controls

    @Test(arguments: [
        ("a\u{0}b", "a\u{2400}b"),
        ("bell\u{7}", "bell\u{2407}"),
        ("back\u{8}space", "back\u{2408}space"),
        ("a\u{B}b\u{C}c", "a\u{240B}b\u{240C}c"),
        ("a\u{1F}b", "a\u{241F}b"),
        ("del\u{7F}", "del\u{2421}"),
        ("a\rb", "a\u{240D}b"),
        ("a\r\nb", "a\nb"),
        ("a\r\r\nb", "a\u{240D}\nb"),
        ("a\n\rb", "a\n\u{240D}b"),
    ] as [(String, String)])
    func c0ControlsBecomeControlPictures(input: String, expected: String) {
        #expect(Self.multi(input) == expected)
    }

    // MARK: Tabs

    @Test(arguments: [
        ("\tx", "    x"),
        ("a\tb", "a   b"),
        ("abcd\te", "abcd    e"),
        ("ab\tc\td", "ab  c   d"),
        ("line\nab\tc", "line\nab  c"),
        ("日本\tx", "日本    x"),  // four columns already
        ("日\tx", "日  x"),
        ("é\tx", "é   x"),
        ("\u{1B}[1m\tx", "␛   x"),  // the marker's column counts
    ] as [(String, String)])
    func tabsExpandToTheNextStopByDisplayWidth(input: String, expected: String) {
        #expect(Self.multi(input) == expected)
    }

    // MARK: Bidi and invisible format characters

    @Test(arguments: [
        ("\u{202E}evil", "evil"),
        ("a\u{202A}b\u{202B}c\u{202C}d\u{202D}e", "abcde"),
        ("\u{2066}x\u{2067}y\u{2068}z\u{2069}", "xyz"),
        ("a\u{200E}b\u{200F}c\u{061C}d", "abcd"),
        ("\u{FEFF}bom", "bom"),
        ("a\u{180E}b", "ab"),
        ("a\u{FFF9}b\u{FFFA}c\u{FFFB}d", "abcd"),
        ("para\u{2028}line\u{2029}end", "para\nline\nend"),
    ] as [(String, String)])
    func bidiAndInvisibleCharactersAreRemoved(input: String, expected: String) {
        #expect(Self.multi(input) == expected)
    }

    @Test func joinersAndVariationSelectorsAreKept() {
        let text = "👩‍💻 ❤️ ☺︎ 🏳️‍🌈"
        #expect(Self.multi(text) == text)
        #expect(Self.single(text) == text)
    }

    // MARK: Single-line mode

    @Test(arguments: [
        ("one\ntwo", "one two"),
        ("one\r\ntwo", "one two"),
        ("one\u{2028}two\u{2029}three", "one two three"),
        ("a  b\t\tc \n d", "a b c d"),
        ("a \u{202E} b", "a b"),
        ("a\u{1B}[0m  b", "a␛ b"),
        ("\n\nlead\n\n", " lead "),
        ("a\rb", "a\u{240D}b"),
        ("tab\tstop", "tab stop"),
    ] as [(String, String)])
    func singleLineJoinsLinesAndCollapsesWhitespace(input: String, expected: String) {
        #expect(Self.single(input) == expected)
    }

    // MARK: Hostile input

    @Test func fiftyKilobytesOfJunkComeOutInert() {
        let pieces = [
            "plain text ", "\u{1B}[31m", "\u{1B}]52;c;SGVsbG8=\u{07}", "\u{9B}2J", "\u{9D}0;t\u{9C}", "\r\n", "\r",
            "\t", "\u{7F}", "\u{0}", "\u{202E}", "\u{2066}", "日本語", "👩‍👩‍👧", "e\u{301}", "\u{1B}", "\u{1B}P",
            "\u{1B}\\", "\u{85}", "\u{2028}", "\u{FEFF}", "\n", "  ",
        ]
        // A fixed-seed linear congruential generator, so every run sees the same text.
        var state: UInt64 = 42
        func random() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        var junk = ""
        while junk.utf8.count < 50_000 {
            junk += pieces[Int(random() % UInt64(pieces.count))]
        }
        let multi = Self.multi(junk)
        let single = Self.single(junk)
        #expect(Self.isInert(multi))
        #expect(Self.isInert(single, allowLineFeed: false))
        #expect(!single.contains("  "))
        #expect(Self.multi(multi) == multi)
        #expect(Self.single(single) == single)
    }

    @Test func longZWJLinesAndHugeBodiesPassThrough() {
        let emoji = String(repeating: "👩‍👩‍👧‍👦", count: 200)
        #expect(Self.multi(emoji) == emoji)
        let body = String(repeating: "Hello there, thanks for the quick reply!\n", count: 1_250)
        #expect(Self.multi(body) == body)
        #expect(Self.single(body).count == body.count)
    }

    @Test func manyTabsOnOneLineStayLinear() {
        let line = String(repeating: "ab\t", count: 20_000)
        let result = Self.multi(line)
        #expect(result == String(repeating: "ab  ", count: 20_000))
    }

    @Test func manyEscapesAreEachReplaced() {
        let text = String(repeating: "\u{1B}", count: 10_000)
        #expect(Self.multi(text) == String(repeating: "␛", count: 10_000))
    }

    @Test(arguments: [
        "\u{1B}]52;c;ZXZpbA==\u{07}hi",
        "\u{1B}[2J\u{1B}[H",
        "a\rb\r\nc\td\u{7F}",
        "\u{202E}evil\u{2028}x",
        "x\u{9B}31mred",
        "  lots   of\t\tspace \n\n ",
        "\u{1B}]0;\u{1B}[31mtitle\u{07}rest",
        "a\u{1B}\u{202E}[31m",
        "\t\u{301}x",
        "mixed 日本\t語 \u{1B}(B 👩‍👩‍👧\u{9D}osc",
    ])
    func sanitizingIsAFixedPoint(input: String) {
        for mode in [TerminalSanitizer.Mode.singleLine, .multiLine] {
            let once = TerminalSanitizer.sanitize(input, mode: mode)
            #expect(TerminalSanitizer.sanitize(once, mode: mode) == once)
            #expect(Self.isInert(once, allowLineFeed: mode == .multiLine))
        }
    }
}
