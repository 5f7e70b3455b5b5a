import CloserCore
@testable import CloserTUI
import Foundation
import Testing

/// Every action, pressed with its first default key in its own context, on the fixture inbox.
/// The switch is exhaustive: an action added without a test here does not compile. The other
/// update suites test the actions in depth; this one makes sure none is left out.
@Suite("update: every action")
struct UpdateEveryActionTests {
    let inbox = Fixtures.inbox()

    /// Presses the action's first default binding in its context.
    func press(_ action: KeyAction, in app: inout TestApp) {
        let keys = Keymap.defaults.bindings(for: action, context: action.context)[0]
        for key in keys { app.send(.key(key)) }
    }

    /// The app with the compose pane focused on the selected lead (Dana, email), "one two three"
    /// typed into the body and the cursor after "two".
    func composing() -> TestApp {
        var app = TestApp()
        app.press("c")
        app.type("one two three")
        for _ in 0..<6 { app.press("<Left>") }
        app.clearEffects()
        return app
    }

    func body(_ app: TestApp) -> TextEditor {
        app.state.compose(for: inbox.leads[0].id).body
    }

    /// Text and cursor after each editing action in `composing()` ("one two| three").
    static let editing: [KeyAction: (text: String, cursor: Int)] = [
        .lineStart: ("one two three", 0),
        .lineEnd: ("one two three", 13),
        .killToEnd: ("one two", 7),
        .killToStart: (" three", 0),
        .deleteWordBackward: ("one  three", 4),
        .wordBackward: ("one two three", 4),
        .wordForward: ("one two three", 13),
        .cursorLeft: ("one two three", 6),
        .cursorRight: ("one two three", 8),
        .deleteBackward: ("one tw three", 6),
        .deleteForward: ("one twothree", 7),
        .newline: ("one two\n three", 8),
    ]

    @Test("each action does what the help says", arguments: KeyAction.allCases)
    func every(action: KeyAction) throws {
        var app = TestApp()
        app.clearEffects()
        let dana = inbox.leads[0]
        switch action {
        case .quit:
            press(action, in: &app)
            #expect(app.state.quitting && app.effects.last == .quit)
        case .help:
            press(action, in: &app)
            #expect(app.state.overlay == .help(scroll: 0))
        case .commandLine:
            press(action, in: &app)
            guard case .command = app.state.overlay else { Issue.record("no command line: \(String(describing: app.state.overlay))"); return }
        case .search:
            app.press("<Tab>")
            press(action, in: &app)
            #expect(app.state.searchActive && app.state.focus == .leads)
        case .focusNext:
            press(action, in: &app)
            #expect(app.state.focus == .thread)
        case .focusPrevious:
            app.press("<Tab>")
            press(action, in: &app)
            #expect(app.state.focus == .leads)
        case .nextPanel:
            var narrow = TestApp(width: 60, height: 24)
            press(action, in: &narrow)
            #expect(narrow.state.narrowPanel == .thread && narrow.state.focus == .thread)
        case .toggleSidebar:
            press(action, in: &app)
            #expect(app.state.sidebarHidden)
            #expect(!app.screenText.contains("KPIs"))
        case .toggleActivity:
            press(action, in: &app)
            #expect(app.state.activityVisible && app.state.focus == .sidebar)
        case .notifications:
            press(action, in: &app)
            #expect(app.state.overlay == .notifications(selected: 0))
        case .cancel:
            app.press("c")
            press(action, in: &app)
            #expect(app.state.focus == .thread)
        case .redraw:
            press(action, in: &app)
            #expect(app.effects == [.redraw])
        case .moveDown:
            press(action, in: &app)
            #expect(app.state.selectedLeadId == inbox.leads[1].id)
        case .moveUp:
            app.press("j")
            app.press("j")
            press(action, in: &app)
            #expect(app.state.selectedLeadId == inbox.leads[1].id)
        case .pageDown:
            press(action, in: &app)
            let index = try #require(app.state.selectedLeadId.flatMap { app.state.visibleIndex(of: $0) })
            #expect(index == min(Update.pageSize(app.state), inbox.leads.count - 1))
        case .pageUp:
            app.press("G")
            press(action, in: &app)
            let index = try #require(app.state.selectedLeadId.flatMap { app.state.visibleIndex(of: $0) })
            #expect(index == max(0, inbox.leads.count - 1 - Update.pageSize(app.state)))
        case .top:
            app.press("j")
            press(action, in: &app)
            #expect(app.state.selectedLeadId == dana.id)
        case .bottom:
            press(action, in: &app)
            #expect(app.state.selectedLeadId == inbox.leads.last?.id)
        case .open:
            press(action, in: &app)
            #expect(app.state.focus == .thread)
        case .back:
            app.press("<Enter>")
            press(action, in: &app)
            #expect(app.state.focus == .leads)
        case .compose:
            press(action, in: &app)
            #expect(app.state.focus == .compose)
        case .filterStatus:
            press(action, in: &app)
            #expect(app.state.statusFilter == LeadStatus.allCases.first)
            #expect(app.state.visibleLeads.allSatisfy { $0.status == LeadStatus.allCases.first })
        case .markMeetingBooked:
            press(action, in: &app)
            #expect(app.effects.last == .backend(.setStatus(leadId: dana.id, status: .meetingBooked)))
        case .markConverted:
            press(action, in: &app)
            #expect(app.effects.last == .backend(.setStatus(leadId: dana.id, status: .converted)))
        case .retrySend, .editFailed:
            app.send(.inbox(.thread(leadId: dana.id, messages: [Message(id: "local:c-9", leadId: dana.id, body: "the contract", subject: "Contract",
                                                                     channel: .email, direction: .outbound, status: .failed, failureReason: "550",
                                                                     clientId: "c-9", createdAt: Fixtures.referenceNow)], hasMore: false, replacing: true)))
            app.clearEffects()
            press(action, in: &app)
            if action == .retrySend {
                #expect(app.effects == [.backend(.retry(clientId: "c-9"))])
            } else {
                #expect(app.effects.first == .backend(.withdraw(clientId: "c-9")))
                #expect(body(app).text == "the contract" && app.state.focus == .compose)
            }
        case .send:
            app = composing()
            app.press("<S-Tab>")
            app.type("Subject")
            press(action, in: &app)
            #expect(app.effects.contains { if case .backend(.send(let message)) = $0 { message.body == "one two three" && message.subject == "Subject" } else { false } })
        case .cycleChannel:
            let lead = try #require(inbox.leads.first { $0.channels.count > 1 })
            while app.state.selectedLeadId != lead.id { app.press("j") }
            app.press("c")
            let before = app.state.compose(for: lead.id).channel
            press(action, in: &app)
            #expect(app.state.compose(for: lead.id).channel != before)
        case .nextField:
            app = composing()
            app.press("<S-Tab>")
            press(action, in: &app)
            #expect(app.state.compose(for: dana.id).field == .body)
        case .previousField:
            app = composing()
            press(action, in: &app)
            #expect(app.state.compose(for: dana.id).field == .subject)
        case .openEditor:
            app = composing()
            press(action, in: &app)
            #expect(app.effects == [.openEditor(leadId: dana.id, text: "one two three")])
        case .lineStart, .lineEnd, .killToEnd, .killToStart, .deleteWordBackward, .wordBackward, .wordForward, .cursorLeft, .cursorRight,
             .deleteBackward, .deleteForward, .newline:
            app = composing()
            press(action, in: &app)
            let expected = try #require(Self.editing[action])
            #expect(body(app).text == expected.text && body(app).cursor == expected.cursor, "\(action): \(body(app).text) at \(body(app).cursor)")
        case .cursorUp, .cursorDown:
            app = composing()
            app.press("<C-e>")
            app.press("<Enter>")
            app.type("four")
            press(.cursorUp, in: &app)
            #expect(body(app).cursor == "one ".count, "up keeps the column on the line above")
            if action == .cursorDown {
                press(action, in: &app)
                #expect(body(app).cursor == "one two three\nfour".count)
            }
        }
    }
}
