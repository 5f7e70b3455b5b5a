@testable import CloserTUI
import Testing

/// What the terminal sends, as ncurses hands it over, decoded into keys and pastes.
@Suite("input decoding")
struct InputDecoderTests {
    func characters(_ text: String) -> [RawInput] {
        text.unicodeScalars.map { .character($0.value) }
    }

    @Test("printable text is one key per character, wide and combined ones included")
    func text() {
        var decoder = InputDecoder()
        #expect(decoder.decode(characters("hé👩‍💻")) == [.key(.char("h")), .key(.char("é")), .key(.char("👩‍💻"))])
    }

    @Test("a bracketed paste is text, never bindings, even split across reads")
    func pasteAcrossReads() {
        var decoder = InputDecoder()
        // `q` would quit and `:` open the command line, were they read as keys.
        #expect(decoder.decode([.keyCode(InputDecoder.Code.pasteStart)] + characters("q:wq")) == [])
        #expect(decoder.decode([.character(13)] + characters("\u{1B}[2Jline two")) == [])
        let events = decoder.decode(characters("!") + [.keyCode(InputDecoder.Code.pasteEnd)] + characters("j"))
        #expect(events == [.paste("q:wq\n\u{1B}[2Jline two!"), .key(.char("j"))])
    }

    @Test("ESC followed by a key in the same read is Alt: Alt-Enter sends, M-b and M-f move by word")
    func alt() {
        var decoder = InputDecoder()
        #expect(decoder.decode([.character(0x1B), .character(13)]) == [.key(KeyEvent(.enter, .alt))])
        #expect(decoder.decode([.character(0x1B), .character(UInt32(("b" as Unicode.Scalar).value))]) == [.key(.alt("b"))])
        #expect(decoder.decode([.character(0x1B), .keyCode(InputDecoder.Code.left)]) == [.key(KeyEvent(.left, .alt))])
        // A lone ESC (its own read) is Escape.
        #expect(decoder.decode([.character(0x1B)]) == [.key(KeyEvent(.escape))])
    }

    @Test("controls: Enter, Tab, both backspaces, Ctrl+letter; key codes for arrows, Shift-Tab, resize")
    func controls() {
        var decoder = InputDecoder()
        #expect(decoder.decode([.character(13), .character(10), .character(9)]) == [.key(KeyEvent(.enter)), .key(KeyEvent(.enter)), .key(KeyEvent(.tab))])
        #expect(decoder.decode([.character(0x7F), .character(8), .keyCode(InputDecoder.Code.backspace)])
            == [.key(KeyEvent(.backspace)), .key(KeyEvent(.backspace)), .key(KeyEvent(.backspace))])
        #expect(decoder.decode([.character(19), .character(1)]) == [.key(.ctrl("s")), .key(.ctrl("a"))])
        #expect(decoder.decode([.keyCode(InputDecoder.Code.backTab), .keyCode(InputDecoder.Code.pageDown), .keyCode(InputDecoder.Code.resize)])
            == [.key(KeyEvent(.tab, .shift)), .key(KeyEvent(.pageDown)), .resize])
    }

    @Test("text typed around a key code keeps its order")
    func order() {
        var decoder = InputDecoder()
        let events = decoder.decode(characters("ab") + [.keyCode(InputDecoder.Code.up)] + characters("c"))
        #expect(events == [.key(.char("a")), .key(.char("b")), .key(KeyEvent(.up)), .key(.char("c"))])
    }
}
