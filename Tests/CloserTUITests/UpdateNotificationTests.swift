import CloserCore
@testable import CloserTUI
import Foundation
import Testing

@Suite("update: notifications, live KPIs, connection")
struct UpdateNotificationTests {
    let inbox = Fixtures.inbox()

    func opened(_ lead: Lead, at offset: TimeInterval = 0, subject: String = "Proposal Q3") -> ServerNotification {
        ServerNotification(kind: .emailOpened, leadId: lead.id, leadName: lead.name, messageId: "m1",
                           text: "\(lead.name) opened “\(subject)”", at: Fixtures.referenceNow.addingTimeInterval(offset))
    }

    var marcus: Lead { inbox.leads.first { $0.name == "Marcus Webb" }! }

    @Test("a notification rings once, toasts with the lead and the time, and marks the lead row")
    func basic() {
        var app = TestApp()
        let effects = app.send(.inbox(.notification(opened(marcus), replayed: false)))
        #expect(effects == [.bell])
        #expect(app.state.toasts.current?.text == "Marcus Webb opened “Proposal Q3” · 14:02")
        #expect(app.state.flashingLeads[marcus.id] != nil)
        #expect(app.state.notificationHistory.count == 1)
        #expect(app.screenText.contains("Marcus Webb opened “Proposal Q3” · 14:02"))
    }

    @Test("repeats coalesce into one toast: 3 opens from Marcus Webb")
    func coalescing() {
        var app = TestApp()
        app.send(.inbox(.notification(opened(marcus), replayed: false)))
        app.send(.inbox(.notification(opened(marcus, at: 20), replayed: false)))
        app.send(.inbox(.notification(opened(marcus, at: 40), replayed: false)))
        #expect(app.state.toasts.current?.text == "3 opens from Marcus Webb · 14:02")
        #expect(app.state.toasts.waiting.isEmpty)
        #expect(app.state.notificationHistory.first?.count == 3)
    }

    @Test("a toast stays about 5 s and the next waits behind it")
    func queueing() {
        var app = TestApp()
        let liam = inbox.leads.first { $0.name == "Liam O'Connor" }!
        app.send(.inbox(.notification(opened(marcus), replayed: false)))
        app.send(.inbox(.notification(ServerNotification(kind: .messageReceived, leadId: liam.id, leadName: liam.name, text: "Liam O'Connor replied", at: Fixtures.referenceNow), replayed: false)))
        #expect(app.state.toasts.current?.text.hasPrefix("Marcus") == true)
        _ = app.advance(by: 4)
        #expect(app.state.toasts.current?.text.hasPrefix("Marcus") == true)
        _ = app.advance(by: 1.1)
        #expect(app.state.toasts.current?.text.hasPrefix("Liam") == true)
        _ = app.advance(by: 5.1)
        #expect(app.state.toasts.current == nil)
    }

    @Test("a burst rings the bell a bounded number of times")
    func bellRateLimit() {
        var app = TestApp()
        var bells = 0
        for index in 0..<500 {
            app.state.now = Fixtures.referenceNow.addingTimeInterval(Double(index) / 500)
            bells += app.send(.inbox(.notification(opened(marcus, at: Double(index) / 500), replayed: false))).filter { $0 == .bell }.count
        }
        #expect(bells == 1)
    }

    @Test("no bell for the lead open on screen when mute_focused_lead is on")
    func muteFocusedLead() {
        var app = TestApp()
        let dana = inbox.leads[0]
        #expect(app.state.selectedLeadId == dana.id)
        #expect(app.send(.inbox(.notification(opened(dana), replayed: false))).isEmpty)
        #expect(app.state.toasts.current != nil)
        app.state.settings.notifications.muteFocusedLead = false
        app.state.lastBellAt = nil
        #expect(app.send(.inbox(.notification(opened(dana, at: 5), replayed: false))) == [.bell])
    }

    @Test("quiet hours keep the bell and desktop notifications quiet, not the toast")
    func quietHours() {
        var app = TestApp()
        app.state.settings.notifications.quietHours = QuietHours("13:00-15:00")
        app.state.settings.notifications.desktop = .osc777
        #expect(app.send(.inbox(.notification(opened(marcus), replayed: false))).isEmpty)
        #expect(app.state.toasts.current != nil)
        app.state.settings.notifications.quietHours = QuietHours("22:00-07:00")
        let effects = app.send(.inbox(.notification(ServerNotification(kind: .linkClicked, leadId: marcus.id, leadName: marcus.name, text: "Marcus Webb clicked a link", at: Fixtures.referenceNow), replayed: false)))
        #expect(effects.contains(.bell))
        #expect(effects.contains(.desktopNotification(title: "Closer", body: "Marcus Webb clicked a link · 14:02")))
    }

    @Test("per-kind settings turn a kind's bell or toast off")
    func perKind() {
        var app = TestApp()
        app.state.settings.notifications.kinds["email_opened"] = NotificationKindSettings(bell: false, toast: false, desktop: false)
        #expect(app.send(.inbox(.notification(opened(marcus), replayed: false))).isEmpty)
        #expect(app.state.toasts.current == nil)
        #expect(app.state.notificationHistory.count == 1)
    }

    @Test("notifications replayed after a reconnect make one summary toast and at most one bell")
    func replaySummary() {
        var app = TestApp()
        var effects: [AppEffect] = []
        for index in 0..<5 { effects += app.send(.inbox(.notification(opened(marcus, at: Double(index)), replayed: true))) }
        for index in 0..<2 {
            effects += app.send(.inbox(.notification(ServerNotification(kind: .messageReceived, leadId: marcus.id, text: "reply", at: Fixtures.referenceNow.addingTimeInterval(Double(index))), replayed: true)))
        }
        #expect(effects.isEmpty)
        #expect(app.state.toasts.current == nil)
        effects = app.send(.inbox(.replayFinished))
        #expect(effects == [.bell])
        #expect(app.state.toasts.current?.text == "While you were away: 2 replies, 5 opens")
    }

    @Test(":notifications lists the history; Enter jumps to the lead")
    func history() {
        var app = TestApp()
        app.send(.inbox(.notification(opened(marcus), replayed: false)))
        app.press(":")
        app.type("notifications")
        app.press("<Enter>")
        #expect(app.state.overlay == .notifications(selected: 0))
        #expect(app.screenText.contains("Marcus Webb opened “Proposal Q3”"))
        app.press("<Enter>")
        #expect(app.state.overlay == nil)
        #expect(app.state.selectedLeadId == marcus.id)
        #expect(app.state.focus == .thread)
    }

    @Test("hostile text in a notification is sanitised before it reaches the toast or an escape")
    func hostileNotification() {
        var app = TestApp()
        app.state.settings.notifications.desktop = .osc777
        let evil = ServerNotification(kind: .messageReceived, leadId: marcus.id, leadName: "x\u{1B}]777;notify;pwned;x\u{07}",
                                      text: "Evil\u{1B}]777;notify;pwned;gotcha\u{07} wrote\u{1B}[2J", at: Fixtures.referenceNow)
        let effects = app.send(.inbox(.notification(evil, replayed: false)))
        let toast = app.state.toasts.current?.text ?? ""
        #expect(!toast.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        guard case .desktopNotification(let title, let body) = effects.last else {
            Issue.record("no desktop notification")
            return
        }
        let escape = DesktopNotification.escape(title: title, body: body, style: .osc777, insideTmux: false)!
        // One OSC 777 with three fields, nothing more.
        #expect(escape.filter { $0 == "\u{1B}" }.count == 1)
        #expect(escape.filter { $0 == "\u{07}" }.count == 1)
        #expect(escape.split(separator: ";").count == 4)
    }

    @Test("inside tmux the escape is wrapped for passthrough")
    func tmuxPassthrough() {
        let escape = DesktopNotification.escape(title: "Closer", body: "Dana Kim opened", style: .osc9, insideTmux: true)!
        #expect(escape.hasPrefix("\u{1B}Ptmux;\u{1B}\u{1B}]9;"))
        #expect(escape.hasSuffix("\u{1B}\\"))
        #expect(DesktopNotification.escape(title: "a", body: "b", style: .off, insideTmux: false) == nil)
    }

    @Test("stats_updated refreshes the sidebar in place and highlights what changed, briefly")
    func liveKPIs() {
        var app = TestApp()
        var stats = Fixtures.inbox().stats
        stats.openRate = 0.75
        stats.activityCounts.today.opens += 1
        app.send(.inbox(.stats(stats)))
        #expect(app.state.changedKPIs == ["openRate", "today.opens"])
        #expect(app.screenText.contains("75.0%"))
        _ = app.advance(by: 2.1)
        #expect(app.state.changedKPIs.isEmpty)
    }

    @Test("the status bar always says whether the client is online, connecting or offline")
    func connectionState() {
        var app = TestApp()
        #expect(app.screenText.contains("● online"))
        app.send(.inbox(.connection(.connecting(retryAt: Fixtures.referenceNow.addingTimeInterval(4)))))
        #expect(app.screenText.contains("○ connecting (retry in 4s)"))
        app.send(.inbox(.connection(.offline(reason: "server unreachable"))))
        #expect(app.screenText.contains("○ offline: server unreachable"))
        app.send(.inbox(.sessionExpired))
        #expect(app.screenText.contains("session expired: run closer login"))
    }

    @Test("the activity pane shows the stream newest first and takes live entries")
    func activityPane() {
        var app = TestApp()
        app.press("a")
        #expect(app.screenText.contains("Activity"))
        let entry = Activity(id: 100, kind: .emailOpened, leadId: marcus.id, leadName: marcus.name, actor: marcus.name,
                             summary: "Marcus Webb opened “Case study”", at: Fixtures.referenceNow)
        app.send(.inbox(.activity([entry], live: true)))
        #expect(app.state.activity.first?.id == 100)
        #expect(app.screenText.contains("now   Marcus Webb opened"))
    }

    @Test("j/k move through the activity pane and Enter opens that lead's thread")
    func activityEnterJumps() {
        var app = TestApp()
        let liam = inbox.leads.first { $0.name == "Liam O'Connor" }!
        app.send(.inbox(.activity([
            Activity(id: 201, kind: .emailOpened, leadId: marcus.id, leadName: marcus.name, actor: marcus.name,
                     summary: "Marcus Webb opened “Case study”", at: Fixtures.referenceNow),
            Activity(id: 200, kind: .messageReceived, leadId: liam.id, leadName: liam.name, actor: liam.name,
                     summary: "Liam O'Connor replied on sms", at: Fixtures.referenceNow.addingTimeInterval(-60)),
        ], live: true)))
        app.press("a")
        #expect(app.state.focus == .sidebar)
        app.press("j")
        #expect(app.state.selectedActivityId == 200)
        // A live entry arriving on top does not move the selection off Liam's.
        app.send(.inbox(.activity([Activity(id: 202, kind: .linkClicked, leadId: marcus.id, leadName: marcus.name, actor: marcus.name,
                                            summary: "Marcus Webb clicked a link", at: Fixtures.referenceNow.addingTimeInterval(1))], live: true)))
        #expect(app.state.selectedActivityId == 200)
        app.press("<Enter>")
        app.answerThreadLoads()
        #expect(app.state.selectedLeadId == liam.id)
        #expect(app.state.focus == .thread)
        #expect(app.screenText.contains("Liam O'Connor"))
    }

    @Test("Enter in the activity pane on a medium terminal closes the overlay and opens the lead")
    func activityEnterFromOverlay() {
        var app = TestApp(width: 100, height: 30)
        app.send(.inbox(.activity([Activity(id: 300, kind: .emailOpened, leadId: marcus.id, leadName: marcus.name, actor: marcus.name,
                                            summary: "Marcus Webb opened “Case study”", at: Fixtures.referenceNow)], live: true)))
        app.press("a")
        #expect(app.state.overlay == .sidebar)
        app.press("<Enter>")
        #expect(app.state.overlay == nil)
        #expect(app.state.selectedLeadId == marcus.id)
        #expect(app.state.focus == .thread)
    }

    @Test("Enter on a notification opens its lead with that message in view, also when the thread loads later")
    func notificationJumpsToMessage() {
        var app = TestApp(width: 120, height: 24)
        let dana = inbox.leads[0]
        let oldest = inbox.threads[dana.id]!.first!
        // Another lead is open; Dana's thread is not loaded in this state yet.
        app.press("j")
        app.state.threads[dana.id] = nil
        app.send(.inbox(.notification(ServerNotification(kind: .emailOpened, leadId: dana.id, leadName: dana.name, messageId: oldest.id,
                                                         text: "Dana Kim opened “Proposal Q3”", at: Fixtures.referenceNow), replayed: false)))
        app.press("n")
        app.clearEffects()
        app.press("<Enter>")
        #expect(app.state.selectedLeadId == dana.id)
        #expect(app.state.pendingJumpMessageId == oldest.id)
        app.answerThreadLoads()
        #expect(app.state.pendingJumpMessageId == nil)
        #expect(app.state.threadScroll.rowsFromBottom > 0)
        let firstLine = String(oldest.body.split(separator: "\n").first!.prefix(20))
        #expect(app.screenText.contains(firstLine))
    }
}
