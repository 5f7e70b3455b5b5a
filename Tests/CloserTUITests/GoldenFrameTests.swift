import CloserCore
@testable import CloserTUI
import Foundation
import Testing

/// What a person sees, frame by frame, at 80x24, 120x40 and 200x50. Re-record on purpose with
/// `CLOSER_RECORD_GOLDENS=1 swift test --filter GoldenFrameTests`, and read the diff before committing.
@Suite("golden frames")
struct GoldenFrameTests {
    static let sizes = [Size(width: 80, height: 24), Size(width: 120, height: 40), Size(width: 200, height: 50)]

    /// Every row is exactly as wide as the screen: nothing overflows and no wide character is split.
    static func assertWellFormed(_ frame: Frame, sourceLocation: SourceLocation = #_sourceLocation) {
        for (row, line) in frame.textLines().enumerated() {
            #expect(DisplayWidth.of(line) == frame.size.width, "row \(row) is \(DisplayWidth.of(line)) columns: \(line)", sourceLocation: sourceLocation)
            #expect(!line.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }, "row \(row) has a control character", sourceLocation: sourceLocation)
        }
        for index in frame.cells.indices where frame.cells[index].isContinuation {
            let x = index % frame.size.width
            #expect(x > 0 && DisplayWidth.of(frame.cells[index - 1].text) == 2, "orphan continuation at \(x),\(index / frame.size.width)", sourceLocation: sourceLocation)
        }
    }

    static func check(_ app: TestApp, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let frame = app.render()
        assertWellFormed(frame, sourceLocation: sourceLocation)
        GoldenFrame.assertMatches(frame, named: name, sourceLocation: sourceLocation)
    }

    func app(_ size: Size, glyphs: Glyphs = .unicode) -> TestApp {
        TestApp(width: size.width, height: size.height, glyphs: glyphs)
    }

    @Test("the inbox as it opens", arguments: sizes)
    func inbox(size: Size) {
        Self.check(app(size), "inbox-\(size.width)x\(size.height)")
    }

    @Test("composing an email", arguments: sizes)
    func composing(size: Size) {
        var app = app(size)
        app.press("c")
        app.press("<Tab>")
        app.type("Onboarding fee")
        app.press("<Tab>")
        app.type("Hi Dana, of course — happy to include your CFO. The onboarding fee covers migration and training for up to 20 seats.")
        app.press("<Enter>")
        app.type("Best, Rita")
        _ = app.advance(by: 0.6)
        app.send(.inbox(.draftSaved(leadId: app.state.selectedLeadId!, savedAt: Fixtures.referenceNow, synced: true)))
        Self.check(app, "compose-\(size.width)x\(size.height)")
    }

    @Test("the thread scrolled up while messages arrive", arguments: sizes)
    func scrolledUp(size: Size) {
        let inbox = Fixtures.large(leadCount: 6, threadLength: 80)
        var app = TestApp(width: size.width, height: size.height, inbox: inbox)
        app.answerThreadLoads(inbox)
        app.press("<Tab>")
        app.press("<PageUp>")
        let leadId = app.state.selectedLeadId!
        for index in 0..<3 {
            app.send(.inbox(.messageUpserted(Message(id: "70000000-0000-4000-8000-00000000000\(index)", leadId: leadId, body: "Late reply \(index)",
                                                     channel: .email, direction: .inbound, isRead: false, createdAt: Fixtures.referenceNow.addingTimeInterval(Double(index))))))
        }
        Self.check(app, "thread-scrolled-\(size.width)x\(size.height)")
    }

    @Test("help overlay", arguments: sizes)
    func help(size: Size) {
        var app = app(size)
        app.press("?")
        Self.check(app, "help-\(size.width)x\(size.height)")
    }

    @Test("searching", arguments: sizes)
    func search(size: Size) {
        var app = app(size)
        app.press("/")
        app.type("ki")
        Self.check(app, "search-\(size.width)x\(size.height)")
    }

    @Test("command line with completions")
    func commandLine() {
        var app = app(Size(width: 120, height: 40))
        app.press(":")
        app.type("st")
        Self.check(app, "command-120x40")
    }

    @Test("hostile text: escapes, bidi overrides and controls never reach the screen", arguments: sizes)
    func hostile(size: Size) {
        var app = app(size)
        let evil = app.state.leads.firstIndex { $0.email == "ceo@evil.example" }!
        for _ in 0..<evil { app.press("j") }
        app.answerThreadLoads()
        Self.check(app, "hostile-\(size.width)x\(size.height)")
    }

    @Test("a lead with no messages previews its email, sanitised like every other field")
    func hostileEmailPreview() {
        var inbox = Fixtures.inbox()
        inbox.leads[0].email = "x\u{202E}\u{1B}]52;c;ZXZpbA==\u{07}\u{1B}[2J@evil.example"
        inbox.leads[0].lastMessage = nil
        let app = TestApp(width: 120, height: 40, inbox: inbox)
        let lines = app.render().textLines()
        // The escape sequence is gone; its ESC bytes show as control pictures, never raw.
        #expect(lines.joined().contains("@evil.example"))
        let leaked = lines.joined().unicodeScalars.filter(Frame.isControl)
        #expect(leaked.isEmpty, "controls on screen: \(leaked.map { String($0.value, radix: 16) })")
    }

    @Test("the frame drops controls even from text no view sanitised")
    func frameDropsControls() {
        var frame = Frame(size: Size(width: 20, height: 1))
        frame.text("ab\u{202E}c\u{1B}d\u{2066}e", x: 0, y: 0, role: .text)
        #expect(frame.textLines().joined().unicodeScalars.allSatisfy { !Frame.isControl($0) })
        #expect(frame.textLines().joined().hasPrefix("abc"))
    }

    @Test("wide characters at panel borders", arguments: sizes)
    func wideCharacters(size: Size) {
        var inbox = Fixtures.inbox()
        // Names whose wide characters land exactly on the truncation edge at every width.
        for index in 0..<6 {
            inbox.leads[index].name = String(repeating: "字", count: 8 + index) + "🇯🇵" + String(repeating: "界", count: 10) + "👩‍👩‍👧"
        }
        inbox.threads[inbox.leads[0].id]?.append(Message(
            id: "60000000-0000-4000-8000-000000000001", leadId: inbox.leads[0].id,
            body: String(repeating: "漢字かな交じり文 🇫🇷👩‍💻 ", count: 12), channel: .email, direction: .inbound, createdAt: Fixtures.referenceNow))
        var app = TestApp(width: size.width, height: size.height, inbox: inbox)
        app.answerThreadLoads(inbox)
        Self.check(app, "wide-\(size.width)x\(size.height)")
    }

    @Test("narrow terminals show one panel at a time")
    func narrow() {
        var app = app(Size(width: 60, height: 20))
        Self.check(app, "narrow-leads-60x20")
        app.press("<Enter>")
        Self.check(app, "narrow-thread-60x20")
        app.press("<C-w>")
        Self.check(app, "narrow-sidebar-60x20")
    }

    @Test("the sidebar as an overlay between 80 and 119 columns")
    func sidebarOverlay() {
        var app = app(Size(width: 100, height: 30))
        app.press("s")
        Self.check(app, "sidebar-overlay-100x30")
    }

    @Test("too small says so")
    func tooSmall() {
        Self.check(app(Size(width: 30, height: 8)), "too-small-30x8")
    }

    @Test("ASCII glyphs when the locale is not UTF-8")
    func ascii() {
        var app = app(Size(width: 120, height: 40), glyphs: .ascii)
        let dana = app.state.selectedLeadId!
        var message = app.state.threads[dana]!.messages.first { $0.direction == .outbound }!
        message.clickedAt = Fixtures.referenceNow
        app.send(.inbox(.messageUpserted(message)))
        Self.check(app, "ascii-120x40")
        let unicodeOnly = Set("─│┌┐└┘🔗▌●◀▶✉◎✆◉↓…".unicodeScalars)
        #expect(!app.render().textLines().joined().unicodeScalars.contains { unicodeOnly.contains($0) })
    }

    // MARK: Live notifications

    func notification(_ name: String, _ lead: Lead, at offset: TimeInterval = 0) -> AppAction {
        .inbox(.notification(ServerNotification(kind: .emailOpened, leadId: lead.id, leadName: lead.name, messageId: nil,
                                                text: "\(name) opened “Proposal Q3”", at: Fixtures.referenceNow.addingTimeInterval(offset)), replayed: false))
    }

    @Test("a toast")
    func toast() {
        var app = app(Size(width: 120, height: 40))
        let marcus = app.state.leads.first { $0.name == "Marcus Webb" }!
        app.send(notification("Marcus Webb", marcus))
        Self.check(app, "toast-120x40")
    }

    @Test("a coalesced toast")
    func coalescedToast() {
        var app = app(Size(width: 120, height: 40))
        let marcus = app.state.leads.first { $0.name == "Marcus Webb" }!
        for index in 0..<3 { app.send(notification("Marcus Webb", marcus, at: Double(index))) }
        Self.check(app, "toast-coalesced-120x40")
    }

    @Test("the notification history overlay")
    func historyOverlay() {
        var app = app(Size(width: 120, height: 40))
        let marcus = app.state.leads.first { $0.name == "Marcus Webb" }!
        let aiko = app.state.leads.first { $0.instagram == "sora_studio" }!
        app.send(notification("Marcus Webb", marcus))
        app.send(.inbox(.notification(ServerNotification(kind: .messageReceived, leadId: aiko.id, leadName: aiko.name, text: "Aiko Tanaka replied on instagram", at: Fixtures.referenceNow), replayed: false)))
        app.send(.inbox(.notification(ServerNotification(kind: .leadConverted, leadId: marcus.id, leadName: marcus.name, text: "Marcus Webb converted", at: Fixtures.referenceNow), replayed: false)))
        app.press("n")
        Self.check(app, "notifications-120x40")
    }

    @Test("the activity pane")
    func activityPane() {
        var app = app(Size(width: 160, height: 40))
        app.press("a")
        Self.check(app, "activity-160x40")
    }

    @Test("every theme gives every role a style", arguments: ["default", "light", "solarized-dark", "high-contrast", "monochrome"])
    func themeRoles(name: String) throws {
        let catalog = ThemeCatalog(environment: [:], executablePath: URL(fileURLWithPath: #filePath).path)
        let (theme, warning) = catalog.load(name)
        #expect(warning == nil)
        var lines = ["theme \(name)"]
        for role in Role.allCases {
            let style = theme.style(for: role)
            lines.append("\(role.rawValue.padding(toLength: 24, withPad: " ", startingAt: 0)) fg \(describe(style.foreground)) bg \(describe(style.background)) 256:\(approximate(style.foreground, depth: .palette256))/\(approximate(style.background, depth: .palette256)) \(attributes(style.attributes))")
        }
        GoldenFrame.assertMatches(lines.joined(separator: "\n") + "\n", named: "theme-\(name)")
    }

    private func describe(_ color: CloserTUI.Color) -> String {
        switch color {
        case .default: "default"
        case .indexed(let index): "\(index)"
        case .rgb(let r, let g, let b): String(format: "#%02x%02x%02x", r, g, b)
        }
    }

    private func attributes(_ attributes: TextAttributes) -> String {
        [(TextAttributes.bold, "bold"), (.dim, "dim"), (.underline, "underline"), (.reverse, "reverse"), (.italic, "italic")]
            .filter { attributes.contains($0.0) }.map(\.1).joined(separator: ",")
    }
}
