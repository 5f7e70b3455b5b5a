import CloserTUI
import Testing

@Suite struct TextEditorTests {
    // MARK: Creating

    @Test func startsEmpty() {
        let editor = TextEditor()
        #expect(editor.text == "")
        #expect(editor.cursor == 0)
        #expect(editor.isEmpty)
    }

    @Test(arguments: [
        ("abc", nil, 3),
        ("abc", 1, 1),
        ("abc", 10, 3),
        ("abc", -2, 0),
        ("👩‍👩‍👧e\u{301}", nil, 2),
    ] as [(String, Int?, Int)])
    func clampsTheInitialCursor(text: String, cursor: Int?, expected: Int) {
        #expect(TextEditor(text: text, cursor: cursor).cursor == expected)
    }

    @Test func sanitisesWhatItIsGiven() {
        #expect(TextEditor(text: "a\r\nb\rc").text == "a\nb\nc")
        #expect(TextEditor(text: "x\u{1B}[31my\u{202E}z").text == "x␛yz")
    }

    @Test func replaceAllPutsTheCursorAtTheEnd() {
        var editor = TextEditor(text: "old text", cursor: 2)
        editor.replaceAll("new 👋🏽")
        #expect(editor == TextEditor(text: "new 👋🏽", cursor: 5))
        editor.replaceAll("")
        #expect(editor.isEmpty)
        #expect(editor.cursor == 0)
    }

    // MARK: Inserting

    @Test func typingAppendsAtTheCursor() {
        var editor = TextEditor()
        for key in ["H", "i", " ", "👋", "!"] { editor.insert(key) }
        #expect(editor.text == "Hi 👋!")
        #expect(editor.cursor == 5)
    }

    @Test func insertsInTheMiddle() {
        var editor = TextEditor(text: "ac", cursor: 1)
        editor.insert("b")
        #expect(editor == TextEditor(text: "abc", cursor: 2))
    }

    @Test func pastedLineBreaksAreKeptAsLineFeeds() {
        var editor = TextEditor(text: "> ", cursor: 2)
        editor.insert("line one\r\nline two\rline three\n")
        #expect(editor.text == "> line one\nline two\nline three\n")
        #expect(editor.cursor == editor.text.count)
    }

    @Test func pastedEscapeSequencesAreNeutralised() {
        var editor = TextEditor()
        editor.insert("a\u{1B}]52;c;ZXZpbA==\u{07}b\tc")
        #expect(editor.text == "a␛b c")
        #expect(editor.cursor == 5)
    }

    @Test func insertingNothingChangesNothing() {
        var editor = TextEditor(text: "abc", cursor: 1)
        editor.insert("")
        #expect(editor == TextEditor(text: "abc", cursor: 1))
    }

    @Test func combiningMarkJoinsTheLetterBeforeIt() {
        var editor = TextEditor(text: "ex", cursor: 1)
        editor.insert("\u{301}")
        #expect(editor.text == "e\u{301}x")
        #expect(editor.text.count == 2)
        #expect(editor.cursor == 1)
    }

    @Test func joinerAndRegionalIndicatorsCompleteTheClusterBeforeThem() {
        var family = TextEditor(text: "👩")
        family.insert("\u{200D}💻")
        #expect(family.text.count == 1)
        #expect(family.cursor == 1)

        var flag = TextEditor(text: "🇺")
        flag.insert("🇸")
        #expect(flag.text == "🇺🇸")
        #expect(flag.cursor == 1)
    }

    // MARK: Deleting

    @Test func deleteBackwardRemovesOneCluster() {
        var editor = TextEditor(text: "a👩‍👩‍👧b", cursor: 2)
        editor.deleteBackward()
        #expect(editor == TextEditor(text: "ab", cursor: 1))

        var combined = TextEditor(text: "e\u{301}")
        combined.deleteBackward()
        #expect(combined == TextEditor())

        var flags = TextEditor(text: "🇺🇸🇬🇧")
        flags.deleteBackward()
        #expect(flags == TextEditor(text: "🇺🇸"))
    }

    @Test func deleteBackwardAtTheStartDoesNothing() {
        var editor = TextEditor(text: "abc", cursor: 0)
        editor.deleteBackward()
        #expect(editor == TextEditor(text: "abc", cursor: 0))
    }

    @Test func deleteBackwardJoinsLines() {
        var editor = TextEditor(text: "one\ntwo", cursor: 4)
        editor.deleteBackward()
        #expect(editor == TextEditor(text: "onetwo", cursor: 3))
    }

    @Test func deleteBackwardThatMergesClustersKeepsTheCursorValid() {
        // Removing the letter between two regional indicators makes them one flag.
        var editor = TextEditor(text: "🇺a🇸", cursor: 2)
        editor.deleteBackward()
        #expect(editor.text == "🇺🇸")
        #expect(editor.cursor <= editor.text.count)
    }

    @Test func deleteForwardRemovesOneCluster() {
        var editor = TextEditor(text: "👋🏽x", cursor: 0)
        editor.deleteForward()
        #expect(editor == TextEditor(text: "x", cursor: 0))
        editor.moveRight()
        editor.deleteForward()
        #expect(editor == TextEditor(text: "x", cursor: 1))
    }

    @Test func killToLineEndDeletesTheRestThenTheLineFeed() {
        var editor = TextEditor(text: "one\ntwo", cursor: 1)
        editor.killToLineEnd()
        #expect(editor == TextEditor(text: "o\ntwo", cursor: 1))
        editor.killToLineEnd()
        #expect(editor == TextEditor(text: "otwo", cursor: 1))
        editor.killToLineEnd()
        #expect(editor == TextEditor(text: "o", cursor: 1))
        editor.killToLineEnd()
        #expect(editor == TextEditor(text: "o", cursor: 1))
    }

    @Test func killToLineStartDeletesBackToTheLineFeed() {
        var editor = TextEditor(text: "one\ntwo 日本", cursor: 9)
        editor.killToLineStart()
        #expect(editor == TextEditor(text: "one\n本", cursor: 4))
        editor.killToLineStart()
        #expect(editor == TextEditor(text: "one\n本", cursor: 4))
    }

    @Test(arguments: [
        ("hello big world", 15, "hello big ", 10),
        ("hello big ", 10, "hello ", 6),
        ("hello   ", 8, "", 0),
        ("mail foo@bar.com", 16, "mail ", 5),
        ("one\n", 4, "", 0),
        ("hi 👩‍👩‍👧", 4, "hi ", 3),
        ("first second", 5, " second", 0),
        ("", 0, "", 0),
    ] as [(String, Int, String, Int)])
    func deleteWordBackwardDeletesSpacesThenAWord(text: String, cursor: Int, expected: String, expectedCursor: Int) {
        var editor = TextEditor(text: text, cursor: cursor)
        editor.deleteWordBackward()
        #expect(editor == TextEditor(text: expected, cursor: expectedCursor))
    }

    // MARK: Moving along the text

    @Test func leftAndRightMoveByClusterAndStopAtTheEnds() {
        var editor = TextEditor(text: "a👩‍👩‍👧e\u{301}🇺🇸", cursor: 0)
        editor.moveLeft()
        #expect(editor.cursor == 0)
        for expected in 1...4 {
            editor.moveRight()
            #expect(editor.cursor == expected)
        }
        editor.moveRight()
        #expect(editor.cursor == 4)
        editor.moveLeft()
        #expect(editor.cursor == 3)
    }

    @Test(arguments: [
        (5, 4, 7),  // "t|wo"
        (0, 0, 3),
        (3, 0, 3),  // on the line feed: already at the end
        (4, 4, 7),
        (13, 8, 13),
    ])
    func lineStartAndEndStayOnTheLogicalLine(cursor: Int, start: Int, end: Int) {
        var editor = TextEditor(text: "one\ntwo\nthree", cursor: cursor)
        editor.moveToLineStart()
        #expect(editor.cursor == start)
        editor.moveToLineEnd()
        #expect(editor.cursor == end)
    }

    @Test func wordMotionsFollowEmacs() {
        var editor = TextEditor(text: "hello, big world", cursor: 0)
        editor.moveWordForward()
        #expect(editor.cursor == 5)
        editor.moveWordForward()
        #expect(editor.cursor == 10)
        editor.moveWordForward()
        #expect(editor.cursor == 16)
        editor.moveWordForward()
        #expect(editor.cursor == 16)
        editor.moveWordBackward()
        #expect(editor.cursor == 11)
        editor.moveWordBackward()
        #expect(editor.cursor == 7)
        editor.moveWordBackward()
        #expect(editor.cursor == 0)
        editor.moveWordBackward()
        #expect(editor.cursor == 0)
    }

    @Test func wordMotionsTreatPunctuationAndEmojiAsSeparators() {
        var editor = TextEditor(text: "foo.bar 👋 日本語 x", cursor: 0)
        editor.moveWordForward()
        #expect(editor.cursor == 3)
        editor.moveWordForward()
        #expect(editor.cursor == 7)
        editor.moveWordForward()
        #expect(editor.cursor == 13)
        editor.moveWordBackward()
        #expect(editor.cursor == 10)
        editor.moveWordBackward()
        #expect(editor.cursor == 4)
    }

    // MARK: Visual lines

    @Test func upAndDownKeepTheColumnAcrossSoftWraps() {
        // Wrapped at 5: "hello" [0, 6), "world" [6, 12), "foo" [12, 15].
        var editor = TextEditor(text: "hello world foo")
        #expect(editor.cursorPosition(width: 5) == (2, 3))
        editor.moveUp(width: 5)
        #expect(editor.cursor == 9)
        #expect(editor.cursorPosition(width: 5) == (1, 3))
        editor.moveUp(width: 5)
        #expect(editor.cursor == 3)
        editor.moveUp(width: 5)
        #expect(editor.cursor == 0)
        editor.moveDown(width: 5)
        #expect(editor.cursor == 6)
        editor.moveDown(width: 5)
        #expect(editor.cursor == 12)
        editor.moveDown(width: 5)
        #expect(editor.cursor == 15)
    }

    @Test func movingOntoAShorterLineStopsAtItsEnd() {
        var editor = TextEditor(text: "abcdefgh\nab", cursor: 7)
        editor.moveDown(width: 20)
        #expect(editor.cursor == 11)
        editor.moveUp(width: 20)
        #expect(editor.cursor == 2)

        // The line above ends in a line feed: the cursor stops before it.
        var other = TextEditor(text: "ab\nabcdef", cursor: 8)
        other.moveUp(width: 20)
        #expect(other.cursor == 2)
    }

    @Test func movingOntoAHardBrokenLineStopsBeforeItsLastCluster() {
        // "abc" [0, 3), "def" [3, 6), "gh" [6, 8]: offset 6 is the third row's start.
        var editor = TextEditor(text: "abcdefgh", cursor: 8)
        #expect(editor.cursorPosition(width: 3) == (2, 2))
        editor.moveUp(width: 3)
        #expect(editor.cursor == 5)
        editor.moveDown(width: 3)
        #expect(editor.cursor == 8)
    }

    @Test func upAndDownUseDisplayColumnsOverWideCharacters() {
        // Column 3 falls inside 本 (columns 2–3): equally close either side, the left one wins.
        var editor = TextEditor(text: "日本語\nabcdef", cursor: 7)
        editor.moveUp(width: 20)
        #expect(editor.cursor == 1)
        #expect(editor.cursorPosition(width: 20) == (0, 2))

        var after = TextEditor(text: "日本語\nabcdef", cursor: 8)
        after.moveUp(width: 20)
        #expect(after.cursor == 2)
        after.moveDown(width: 20)
        #expect(after.cursor == 8)

        var emoji = TextEditor(text: "👩‍👩‍👧👩‍👩‍👧\nabcdefgh")
        emoji.moveUp(width: 20)
        #expect(emoji.cursor == 2)
        #expect(emoji.cursorPosition(width: 20) == (0, 4))
    }

    @Test func upAndDownOnEmptyTextStayAtZero() {
        var editor = TextEditor()
        editor.moveUp(width: 10)
        editor.moveDown(width: 10)
        #expect(editor.cursor == 0)
        #expect(editor.cursorPosition(width: 10) == (0, 0))
    }

    @Test(arguments: [
        // Soft wrap: offset 5 sits before the dropped space, still on the first row.
        ("hello world", 5, 5, 0, 5),
        ("hello world", 6, 5, 1, 0),
        ("hello world", 11, 5, 1, 5),
        // Hard break.
        ("abcdef", 3, 3, 1, 0),
        ("abcdef", 6, 3, 1, 3),
        // Trailing line feed: the end of the text is on the empty last row.
        ("abc\n", 3, 10, 0, 3),
        ("abc\n", 4, 10, 1, 0),
        // Inside spaces hidden at a wrap the column is capped at the width.
        ("hello     world", 9, 7, 0, 7),
        // Clusters and wide characters.
        ("日本語 abc", 3, 20, 0, 6),
        ("a👋🏽e\u{301}b", 3, 20, 0, 4),
        ("日本語テキスト", 3, 5, 1, 2),
    ] as [(String, Int, Int, Int, Int)])
    func cursorPositionMapsOffsetsToRowsAndColumns(text: String, cursor: Int, width: Int, row: Int, column: Int) {
        let position = TextEditor(text: text, cursor: cursor).cursorPosition(width: width)
        #expect(position.row == row)
        #expect(position.column == column)
    }

    // MARK: Invariants

    @Test func cursorNeverLeavesTheText() {
        let pieces = ["a", " ", "\n", "日本", "👩‍👩‍👧", "e\u{301}", "\u{301}", "🇺", "🇸", "word ", "\r\n"]
        var state: UInt64 = 2024
        func random(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var editor = TextEditor()
        for _ in 0..<3_000 {
            let width = 1 + random(12)
            switch random(16) {
            case 0, 1, 2: editor.insert(pieces[random(pieces.count)])
            case 3: editor.deleteBackward()
            case 4: editor.deleteForward()
            case 5: editor.moveLeft()
            case 6: editor.moveRight()
            case 7: editor.moveToLineStart()
            case 8: editor.moveToLineEnd()
            case 9: editor.killToLineEnd()
            case 10: editor.killToLineStart()
            case 11: editor.deleteWordBackward()
            case 12: editor.moveWordBackward()
            case 13: editor.moveWordForward()
            case 14: editor.moveUp(width: width)
            default: editor.moveDown(width: width)
            }
            #expect((0...editor.text.count).contains(editor.cursor))
            let position = editor.cursorPosition(width: width)
            #expect(position.row < TextLayout.wrapWithOffsets(editor.text, width: width).count)
            #expect((0...width).contains(position.column))
            if editor.text.count > 400 { editor.replaceAll("") }
        }
    }
}
