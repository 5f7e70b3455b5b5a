import Testing

@testable import CloserTUI

private func keys(_ text: String) throws -> [KeyEvent] {
    try KeyName.parse(text)
}

@Suite struct KeyNameTests {
    @Test(arguments: [
        ("j", [KeyEvent.char("j")]),
        ("G", [.char("G")]),
        ("?", [.char("?")]),
        (":", [.char(":")]),
        ("/", [.char("/")]),
        ("gg", [.char("g"), .char("g")]),
        ("<Space>", [.char(" ")]),
        ("<Enter>", [KeyEvent(.enter)]),
        ("<CR>", [KeyEvent(.enter)]),
        ("<Tab>", [KeyEvent(.tab)]),
        ("<S-Tab>", [KeyEvent(.tab, .shift)]),
        ("<Esc>", [KeyEvent(.escape)]),
        ("<BS>", [KeyEvent(.backspace)]),
        ("<Del>", [KeyEvent(.delete)]),
        ("<Up>", [KeyEvent(.up)]),
        ("<Down>", [KeyEvent(.down)]),
        ("<Left>", [KeyEvent(.left)]),
        ("<Right>", [KeyEvent(.right)]),
        ("<Home>", [KeyEvent(.home)]),
        ("<End>", [KeyEvent(.end)]),
        ("<PageUp>", [KeyEvent(.pageUp)]),
        ("<PageDown>", [KeyEvent(.pageDown)]),
        ("<F1>", [KeyEvent(.function(1))]),
        ("<F12>", [KeyEvent(.function(12))]),
        ("<C-s>", [.ctrl("s")]),
        ("<C-S>", [.ctrl("s")]),
        ("<c-s>", [.ctrl("s")]),
        ("<M-f>", [.alt("f")]),
        ("<A-f>", [.alt("f")]),
        ("<M-Enter>", [KeyEvent(.enter, .alt)]),
        ("<C-x><C-e>", [.ctrl("x"), .ctrl("e")]),
        ("<S-a>", [.char("A")]),
        ("<lt>", [.char("<")]),
        ("<", [.char("<")]),
        ("<C-->", [.ctrl("-")]),
        ("<enter>", [KeyEvent(.enter)]),
        ("<ESC>", [KeyEvent(.escape)]),
        ("<C-M-x>", [KeyEvent(.character("x"), [.control, .alt])]),
    ])
    func parses(text: String, expected: [KeyEvent]) throws {
        #expect(try KeyName.parse(text) == expected)
    }

    @Test(arguments: [
        "j", "G", "?", "gg", "<Space>", "<Enter>", "<Tab>", "<S-Tab>", "<Esc>", "<BS>", "<Del>", "<Up>",
        "<Down>", "<Left>", "<Right>", "<Home>", "<End>", "<PageUp>", "<PageDown>", "<Insert>", "<F1>", "<F12>",
        "<C-s>", "<M-f>", "<M-Enter>", "<C-x><C-e>", "<lt>", ">", "<C-gt>", "<C-M-x>", "<C-Space>", "<S-Up>",
    ])
    func canonicalNamesRoundTrip(text: String) throws {
        #expect(KeyName.format(try KeyName.parse(text)) == text)
    }

    @Test(arguments: [
        ("<C-S>", "<C-s>"),
        ("<A-f>", "<M-f>"),
        ("<CR>", "<Enter>"),
        ("<escape>", "<Esc>"),
        ("<Backspace>", "<BS>"),
        ("<PgDn>", "<PageDown>"),
        ("<S-a>", "A"),
        (" ", "<Space>"),
        ("<", "<lt>"),
        ("<gt>", ">"),
    ])
    func formatsCanonically(text: String, canonical: String) throws {
        #expect(KeyName.format(try KeyName.parse(text)) == canonical)
    }

    @Test(arguments: [
        ("", "empty key name"),
        ("<C-", "without a closing"),
        ("a<C-s", "without a closing"),
        ("<Foo>", "unknown key <Foo>"),
        ("<X-a>", "unknown modifier \"X-\""),
        ("<F99>", "unknown key <F99>"),
        ("<>", "empty <>"),
    ])
    func rejectsBadNames(text: String, fragment: String) {
        #expect {
            try KeyName.parse(text)
        } throws: { error in
            guard let error = error as? KeyNameError else { return false }
            return error.text == text && error.message.contains(fragment)
        }
    }
}

@Suite struct KeymapTests {
    @Test(arguments: [
        (KeyContext.navigation, "j", KeyAction.moveDown), (.navigation, "<Down>", .moveDown),
        (.navigation, "k", .moveUp), (.navigation, "<Up>", .moveUp),
        (.navigation, "<PageDown>", .pageDown), (.navigation, "<C-f>", .pageDown),
        (.navigation, "<PageUp>", .pageUp), (.navigation, "<C-b>", .pageUp),
        (.navigation, "g", .top), (.navigation, "<Home>", .top),
        (.navigation, "G", .bottom), (.navigation, "<End>", .bottom),
        (.navigation, "<Enter>", .open), (.navigation, "l", .open),
        (.navigation, "c", .compose), (.navigation, "i", .compose),
        (.navigation, "q", .quit), (.navigation, "?", .help), (.navigation, ":", .commandLine),
        (.navigation, "/", .search), (.navigation, "<Tab>", .focusNext), (.navigation, "<S-Tab>", .focusPrevious),
        (.navigation, "<C-w>", .nextPanel), (.navigation, "s", .toggleSidebar), (.navigation, "a", .toggleActivity),
        (.navigation, "n", .notifications), (.navigation, "<Esc>", .cancel), (.navigation, "f", .filterStatus),
        (.navigation, "M", .markMeetingBooked), (.navigation, "C", .markConverted), (.navigation, "r", .retrySend),
        (.compose, "<C-s>", .send), (.compose, "<M-Enter>", .send), (.compose, "<C-t>", .cycleChannel),
        (.compose, "<Tab>", .nextField), (.compose, "<C-x><C-e>", .openEditor), (.compose, "<C-a>", .lineStart),
        (.compose, "<C-e>", .lineEnd), (.compose, "<C-k>", .killToEnd), (.compose, "<C-u>", .killToStart),
        (.compose, "<C-w>", .deleteWordBackward), (.compose, "<M-b>", .wordBackward),
        (.compose, "<M-f>", .wordForward), (.compose, "<Left>", .cursorLeft), (.compose, "<Right>", .cursorRight),
        (.compose, "<Up>", .cursorUp), (.compose, "<Down>", .cursorDown), (.compose, "<BS>", .deleteBackward),
        (.compose, "<Del>", .deleteForward), (.compose, "<Enter>", .newline), (.compose, "<Esc>", .cancel),
    ])
    func defaultBindings(context: KeyContext, name: String, action: KeyAction) throws {
        #expect(Keymap.defaults.resolve(try keys(name), context: context) == .action(action))
    }

    @Test func everyActionHasADefaultBinding() {
        for action in KeyAction.allCases {
            #expect(!Keymap.defaults.bindings(for: action).isEmpty, "\(action)")
        }
    }

    @Test func noDefaultBindingIsAmbiguous() {
        for context in KeyContext.allCases {
            let sequences = KeyAction.allCases.flatMap { Keymap.defaults.bindings(for: $0, context: context) }
            for (i, a) in sequences.enumerated() {
                for b in sequences[(i + 1)...] {
                    #expect(!Keymap.overlap(a, b), "\(KeyName.format(a)) vs \(KeyName.format(b)) in \(context)")
                }
            }
        }
    }

    @Test func sequencesResolveThroughTheirPrefix() throws {
        let keymap = Keymap.defaults
        #expect(keymap.resolve(try keys("<C-x>"), context: .compose) == .prefix)
        #expect(keymap.resolve(try keys("<C-x><C-e>"), context: .compose) == .action(.openEditor))
        #expect(keymap.resolve(try keys("<C-e>"), context: .compose) == .action(.lineEnd))
        #expect(keymap.resolve(try keys("<C-x><C-x>"), context: .compose) == .unbound)
        #expect(keymap.resolve(try keys("<C-x>"), context: .navigation) == .unbound)
        #expect(keymap.resolve([], context: .compose) == .unbound)
    }

    @Test func lettersAreTextInCompose() throws {
        #expect(Keymap.defaults.resolve(try keys("j"), context: .compose) == .unbound)
        #expect(Keymap.defaults.resolve(try keys("q"), context: .compose) == .unbound)
        #expect(Keymap.defaults.resolve(try keys("<C-s>"), context: .navigation) == .unbound)
    }

    @Test func helpLinesFollowActionOrderAndShowCanonicalKeys() {
        let navigation = Keymap.defaults.helpLines(context: .navigation)
        let order = navigation.map(\.action)
        #expect(order == KeyAction.allCases.filter { order.contains($0) })
        #expect(navigation.first { $0.action == .moveDown }?.keys == "j, <Down>")
        #expect(navigation.contains { $0.action == .cancel && $0.keys == "<Esc>" })
        #expect(!navigation.contains { $0.action == .send })
        let compose = Keymap.defaults.helpLines(context: .compose)
        #expect(compose.first { $0.action == .send }?.keys == "<C-s>, <M-Enter>")
        #expect(compose.first { $0.action == .openEditor }?.keys == "<C-x><C-e>")
        #expect(compose.contains { $0.action == .cancel })
    }

    @Test func bindingsForAnActionAcrossContexts() throws {
        #expect(Keymap.defaults.bindings(for: .send) == [try keys("<C-s>"), try keys("<M-Enter>")])
        #expect(Keymap.defaults.bindings(for: .cancel) == [try keys("<Esc>")])
        #expect(Keymap.defaults.bindings(for: .cancel, context: .compose) == [try keys("<Esc>")])
    }

    @Test func overrideReplacesAllDefaultBindingsOfTheAction() throws {
        let keymap = Keymap.defaults.overriding([.moveDown: [try keys("<C-n>")]])
        #expect(keymap.bindings(for: .moveDown) == [try keys("<C-n>")])
        #expect(keymap.resolve(try keys("j"), context: .navigation) == .unbound)
        #expect(keymap.resolve(try keys("<Down>"), context: .navigation) == .unbound)
        #expect(keymap.resolve(try keys("<C-n>"), context: .navigation) == .action(.moveDown))
        #expect(keymap.resolve(try keys("<Down>"), context: .compose) == .action(.cursorDown))
        #expect(keymap.helpLines(context: .navigation).first { $0.action == .moveDown }?.keys == "<C-n>")
    }

    @Test func overrideStealsTheKeyFromAnotherAction() throws {
        let keymap = Keymap.defaults.overriding([.moveDown: [try keys("n")]])
        #expect(keymap.resolve(try keys("n"), context: .navigation) == .action(.moveDown))
        #expect(keymap.bindings(for: .notifications).isEmpty)
    }

    @Test func overrideStealsOverlappingSequences() throws {
        let keymap = Keymap.defaults.overriding([.send: [try keys("<C-x>")]])
        #expect(keymap.resolve(try keys("<C-x>"), context: .compose) == .action(.send))
        #expect(keymap.bindings(for: .openEditor).isEmpty)
        #expect(keymap.resolve(try keys("<C-s>"), context: .compose) == .unbound)

        let longer = Keymap.defaults.overriding([.openEditor: [try keys("<C-e><C-e>")]])
        #expect(longer.resolve(try keys("<C-e>"), context: .compose) == .prefix)
        #expect(longer.bindings(for: .lineEnd) == [try keys("<End>")])
    }

    @Test func overrideKeepsTheActionsContexts() throws {
        let keymap = Keymap.defaults.overriding([.cancel: [try keys("<C-g>")]])
        #expect(keymap.resolve(try keys("<C-g>"), context: .navigation) == .action(.cancel))
        #expect(keymap.resolve(try keys("<C-g>"), context: .compose) == .action(.cancel))
        #expect(keymap.resolve(try keys("<Esc>"), context: .compose) == .unbound)
    }

    @Test func emptyOverrideUnbinds() throws {
        let keymap = Keymap.defaults.overriding([.quit: []])
        #expect(keymap.bindings(for: .quit).isEmpty)
        #expect(keymap.resolve(try keys("q"), context: .navigation) == .unbound)
        #expect(keymap.helpLines(context: .navigation).allSatisfy { $0.action != .quit })
    }

    @Test func laterActionWinsWhenTwoOverridesClaimOneKey() throws {
        let keymap = Keymap.defaults.overriding([.moveUp: [try keys("x")], .quit: [try keys("x")]])
        #expect(keymap.resolve(try keys("x"), context: .navigation) == .action(.moveUp))
        #expect(keymap.bindings(for: .quit).isEmpty)
    }
}
