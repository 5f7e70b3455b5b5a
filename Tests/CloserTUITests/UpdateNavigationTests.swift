import CloserCore
@testable import CloserTUI
import Foundation
import Testing

@Suite("update: navigation, panels, search, commands")
struct UpdateNavigationTests {
    let inbox = Fixtures.inbox()

    @Test("starts on the newest lead, loads its thread and marks it read")
    func startsOnNewestLead() {
        var app = TestApp()
        #expect(app.state.selectedLeadId == inbox.leads[0].id)
        #expect(app.state.selectedLead?.unreadCount == 0)
        #expect(app.effects.contains(.backend(.markRead(leadId: inbox.leads[0].id))))
        #expect(app.state.threads[inbox.leads[0].id]?.loaded == true)
        app.clearEffects()
    }

    @Test("j and k move through the list, load threads, and stop at the ends")
    func moveSelection() {
        var app = TestApp()
        app.clearEffects()
        app.press("j")
        #expect(app.state.selectedLeadId == inbox.leads[1].id)
        #expect(app.effects.contains(.backend(.loadThread(leadId: inbox.leads[1].id, before: nil))))
        app.press("k")
        app.press("k")
        #expect(app.state.selectedLeadId == inbox.leads[0].id)
        app.press("G")
        #expect(app.state.selectedLeadId == inbox.leads.last?.id)
        app.press("j")
        #expect(app.state.selectedLeadId == inbox.leads.last?.id)
        app.press("g")
        #expect(app.state.selectedLeadId == inbox.leads[0].id)
    }

    @Test("the selection stays on the same lead when the list reorders under it")
    func selectionSurvivesReorder() {
        var app = TestApp()
        app.press("j", )
        app.press("j")
        let selected = app.state.selectedLeadId
        var bottom = app.state.leads.last!
        bottom.lastActivityAt = Fixtures.referenceNow
        app.send(.inbox(.leadUpserted(bottom)))
        #expect(app.state.leads.first?.id == bottom.id)
        #expect(app.state.selectedLeadId == selected)
    }

    @Test("a whole new lead list is ordered by activity with one row per lead, the last given winning, and keeps the selection")
    func wholeListReplaced() {
        var app = TestApp()
        app.press("j")
        let selected = app.state.selectedLeadId
        // In list order: shown as given.
        app.send(.inbox(.leads(inbox.leads)))
        #expect(app.state.leads.map(\.id) == inbox.leads.map(\.id))
        #expect(app.state.selectedLeadId == selected)

        // Out of order, and with the oldest lead twice: its later copy, moved to the top, wins.
        var moved = inbox.leads.last!
        moved.lastActivityAt = Fixtures.referenceNow + 60
        moved.unreadCount = 7
        app.send(.inbox(.leads(inbox.leads.reversed() + [moved])))
        #expect(app.state.leads.map(\.id) == [moved.id] + inbox.leads.dropLast().map(\.id))
        #expect(app.state.lead(id: moved.id)?.unreadCount == 7)
        #expect(app.state.selectedLeadId == selected)
        #expect(app.screenText.contains(moved.name))
    }

    @Test("Tab and Shift-Tab cycle focus through the visible panels")
    func focusCycle() {
        var app = TestApp()
        #expect(app.state.focus == .leads)
        app.press("<Tab>")
        #expect(app.state.focus == .thread)
        app.press("<Tab>")
        #expect(app.state.focus == .compose)
        app.press("<Esc>")
        #expect(app.state.focus == .thread)
        app.press("<S-Tab>")
        #expect(app.state.focus == .leads)
    }

    @Test("Enter opens the thread; c and i compose")
    func openAndCompose() {
        var app = TestApp()
        app.press("<Enter>")
        #expect(app.state.focus == .thread)
        app.press("c")
        #expect(app.state.focus == .compose)
        app.press("<Esc>")
        app.press("i")
        #expect(app.state.focus == .compose)
    }

    @Test("/ filters by name, email and handle as you type; Esc clears")
    func search() {
        var app = TestApp()
        app.press("/")
        #expect(app.state.searchActive)
        app.type("sora")
        #expect(app.state.visibleLeads.map(\.name) == ["Aiko Tanaka 田中愛子"])
        #expect(app.state.selectedLead?.instagram == "sora_studio")
        app.press("<BS>")
        app.press("<BS>")
        app.press("<BS>")
        app.press("<BS>")
        app.type("bluepeak")
        #expect(app.state.visibleLeads.map(\.name) == ["Marcus Webb"])
        app.press("<Enter>")
        #expect(!app.state.searchActive)
        #expect(app.state.visibleLeads.count == 1)
        app.press("<Esc>")
        #expect(app.state.search == nil)
        #expect(app.state.visibleLeads.count == inbox.leads.count)
    }

    @Test("f cycles the status filter and keeps a visible lead selected")
    func statusFilter() {
        var app = TestApp()
        app.press("f")
        #expect(app.state.statusFilter == .new)
        #expect(app.state.visibleLeads.allSatisfy { $0.status == .new })
        #expect(app.state.selectedLead?.status == .new)
        for _ in LeadStatus.allCases { app.press("f") }
        #expect(app.state.statusFilter == nil)
    }

    @Test("? opens help generated from the keymap; Esc closes it")
    func help() {
        var app = TestApp()
        app.press("?")
        #expect(app.state.overlay == .help(scroll: 0))
        let text = app.screenText
        #expect(text.contains("<C-s>"))
        #expect(text.contains("Send the message"))
        app.press("j")
        #expect(app.state.overlay == .help(scroll: 1))
        app.press("<Esc>")
        #expect(app.state.overlay == nil)
    }

    @Test("help follows rebound keys")
    func helpFollowsKeymap() {
        var app = TestApp()
        app.state.settings.keymap = Keymap.defaults.overriding([.send: [[KeyEvent.ctrl("g")]]])
        app.press("?")
        let text = app.screenText
        #expect(text.contains("<C-g>"))
        #expect(!text.contains("<C-s>"))
    }

    @Test(": runs commands with completion: theme, status, filter, quit")
    func commandLine() {
        var app = TestApp()
        app.press(":")
        app.type("th")
        app.press("<Tab>")
        guard case .command(let command) = app.state.overlay else { Issue.record("no command line"); return }
        #expect(command.editor.text == "theme ")
        app.type("li")
        app.press("<Tab>")
        app.press("<Enter>")
        #expect(app.effects.last == .loadTheme("light"))
        app.send(.themeChanged(name: "light", warning: nil))
        #expect(app.state.themeName == "light")

        app.press(":")
        app.type("status converted")
        app.press("<Enter>")
        #expect(app.effects.last == .backend(.setStatus(leadId: inbox.leads[0].id, status: .converted)))

        app.press(":")
        app.type("filter qualified")
        app.press("<Enter>")
        #expect(app.state.statusFilter == .qualified)

        app.press(":")
        app.type("bogus")
        app.press("<Enter>")
        #expect(app.state.toasts.current?.kind == .error)

        app.press(":")
        app.type("q")
        app.press("<Enter>")
        #expect(app.effects.last == .quit)
    }

    @Test("M and C change the lead's status through the backend")
    func statusKeys() {
        var app = TestApp()
        app.clearEffects()
        app.press("M")
        #expect(app.effects == [.backend(.setStatus(leadId: inbox.leads[0].id, status: .meetingBooked))])
        app.press("C")
        #expect(app.effects.last == .backend(.setStatus(leadId: inbox.leads[0].id, status: .converted)))
    }

    @Test("q quits after saving pending drafts")
    func quitSavesDrafts() {
        var app = TestApp()
        app.press("c")
        app.type("Hi")
        app.clearEffects()
        app.press("<Esc>")
        app.press("q")
        #expect(app.effects.count == 2)
        #expect(app.effects.first == .backend(.saveDraft(DraftEdit(leadId: inbox.leads[0].id, content: "Hi", subject: nil, channel: .email))))
        #expect(app.effects.last == .quit)
    }

    @Test("SIGTERM/SIGHUP flush the pending draft without waiting for the debounce")
    func terminateFlushes() {
        var app = TestApp()
        app.press("c")
        app.type("Unsaved")
        app.clearEffects()
        app.send(.terminate)
        #expect(app.effects.first == .backend(.saveDraft(DraftEdit(leadId: inbox.leads[0].id, content: "Unsaved", subject: nil, channel: .email))))
        #expect(app.effects.last == .quit)
    }

    @Test("Ctrl-Z saves the pending draft before the process stops, and keeps the compose open")
    func suspendFlushes() {
        var app = TestApp()
        app.press("c")
        app.type("Before the train tunnel")
        app.clearEffects()
        app.send(.suspend)
        #expect(app.effects == [
            .backend(.saveDraft(DraftEdit(leadId: inbox.leads[0].id, content: "Before the train tunnel", subject: nil, channel: .email))),
            .suspend,
        ])
        #expect(!app.state.quitting)
        #expect(app.state.compose(for: inbox.leads[0].id).body.text == "Before the train tunnel")
    }

    @Test("the sidebar toggles beside the thread when wide and as an overlay when medium")
    func sidebarToggle() {
        var wide = TestApp(width: 140)
        #expect(Layout.compute(wide.state).sidebar != nil)
        wide.press("s")
        #expect(Layout.compute(wide.state).sidebar == nil)

        var medium = TestApp(width: 100)
        #expect(Layout.compute(medium.state).sidebar == nil)
        medium.press("s")
        #expect(medium.state.overlay == .sidebar)
        #expect(Layout.compute(medium.state).sidebarIsOverlay)
        medium.press("s")
        #expect(medium.state.overlay == nil)
    }

    @Test("under 80 columns one panel shows at a time and C-w moves between them")
    func narrowPanels() {
        var app = TestApp(width: 70, height: 24)
        #expect(Layout.compute(app.state).visiblePanels == [.leads])
        app.press("<C-w>")
        #expect(Layout.compute(app.state).visiblePanels == [.thread, .compose])
        app.press("<C-w>")
        #expect(Layout.compute(app.state).visiblePanels == [.sidebar])
        app.press("<C-w>")
        #expect(Layout.compute(app.state).visiblePanels == [.leads])
        app.press("<Enter>")
        #expect(Layout.compute(app.state).visiblePanels == [.thread, .compose])
    }

    @Test("resizing relays out and keeps state")
    func resize() {
        var app = TestApp()
        app.press("j")
        app.press("c")
        app.type("Half-written")
        let selected = app.state.selectedLeadId
        app.send(.resize(Size(width: 60, height: 20)))
        #expect(Layout.compute(app.state).mode == .narrow)
        // The panel being typed in is the one shown, so the next keys land where the rep sees them.
        #expect(Layout.compute(app.state).visiblePanels.contains(.compose))
        app.type(" text")
        #expect(app.screenText.contains("Half-written text"))
        app.send(.resize(Size(width: 30, height: 8)))
        #expect(Layout.compute(app.state).mode == .tooSmall)
        #expect(app.screenText.contains("Terminal too small"))
        app.send(.resize(Size(width: 160, height: 45)))
        #expect(app.state.selectedLeadId == selected)
        #expect(app.state.composes[selected!]?.body.text == "Half-written text")
    }

    @Test("a sidebar focused on a wide terminal gives focus back to the leads when the terminal narrows to medium")
    func resizeHidesSidebar() {
        var app = TestApp(width: 160, height: 45)
        app.press("<Tab><Tab><Tab>")
        #expect(app.state.focus == .sidebar)
        app.send(.resize(Size(width: 100, height: 30)))
        #expect(app.state.focus == .leads)
        app.press("j")
        #expect(app.state.selectedLeadId != nil)
    }

    @Test("a click selects a lead and focuses its panel; the wheel scrolls")
    func mouse() {
        var app = TestApp()
        let layout = Layout.compute(app.state)
        let list = layout.leads!
        app.send(.mouse(MouseEvent(.press, x: list.x + 3, y: list.y + 1 + 2 * LeadListView.rowsPerLead)))
        #expect(app.state.selectedLeadId == inbox.leads[2].id)
        #expect(app.state.focus == .leads)
        let compose = layout.compose!
        app.send(.mouse(MouseEvent(.press, x: compose.x + 3, y: compose.y + 2)))
        #expect(app.state.focus == .compose)
        app.send(.mouse(MouseEvent(.wheelDown, x: list.x + 3, y: list.y + 3)))
        #expect(app.state.selectedLeadId == inbox.leads[3].id)
    }

    @Test("while only the top of a large list is loaded, the title counts the whole list")
    func leadPreviewTitle() {
        var app = TestApp()
        let inbox = Fixtures.inbox()
        app.send(.inbox(.leadsPreview(Array(inbox.leads.prefix(3)), total: 10_000)))
        #expect(app.screenText.contains("Leads 10000"))
        #expect(app.state.leads.count == 3)
        app.send(.inbox(.leads(inbox.leads)))
        #expect(app.screenText.contains("Leads \(inbox.leads.count)"))
        #expect(app.state.leadTotalHint == nil)
    }
}
