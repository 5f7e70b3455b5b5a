import CloserCore
@testable import CloserTUI
import Foundation
import Testing

@Suite("update: thread scrolling and live messages")
struct UpdateThreadTests {
    /// An app on the large fixture's first lead, whose thread has `length` messages.
    func longThreadApp(length: Int = 60) -> TestApp {
        let inbox = Fixtures.large(leadCount: 5, threadLength: length)
        var app = TestApp(inbox: inbox)
        app.answerThreadLoads(inbox)
        app.press("<Tab>")
        return app
    }

    @Test("PgUp, PgDn, Home and End scroll the thread")
    func scrolling() {
        var app = longThreadApp()
        #expect(app.state.focus == .thread)
        #expect(app.state.threadScroll.isFollowing)
        app.press("<PageUp>")
        let page = app.state.threadScroll.rowsFromBottom
        #expect(page > 10)
        app.press("<PageUp>")
        #expect(app.state.threadScroll.rowsFromBottom == 2 * page)
        app.press("<PageDown>")
        #expect(app.state.threadScroll.rowsFromBottom == page)
        app.press("<Home>")
        #expect(app.screenText.contains("Thread message 0:"))
        app.press("<End>")
        #expect(app.state.threadScroll.isFollowing)
        #expect(app.screenText.contains("Thread message 59:"))
    }

    @Test("new messages follow at the bottom, or show '↓ N new' when scrolled up")
    func newMessageMarker() {
        var app = longThreadApp()
        let leadId = app.state.selectedLeadId!
        func inbound(_ n: Int) -> Message {
            Message(id: "99999999-0000-4000-8000-00000000000\(n)", leadId: leadId, body: "Fresh reply \(n)", channel: .email,
                    direction: .inbound, isRead: false, createdAt: Fixtures.referenceNow.addingTimeInterval(Double(n)))
        }
        app.send(.inbox(.messageUpserted(inbound(1))))
        #expect(app.state.threadScroll.isFollowing)
        #expect(app.screenText.contains("Fresh reply 1"))
        #expect(app.effects.contains(.backend(.markRead(leadId: leadId))))

        app.press("<PageUp>")
        let before = app.screenText
        app.send(.inbox(.messageUpserted(inbound(2))))
        app.send(.inbox(.messageUpserted(inbound(3))))
        #expect(app.state.threadScroll.unseenCount == 2)
        let after = app.screenText
        #expect(after.contains("↓ 2 new"))
        // The rows the rep was reading did not move.
        #expect(Array(before.split(separator: "\n").dropLast(3)).map { $0.prefix(60) }.count > 0)
        #expect(after.contains(String(before.split(separator: "\n")[5].dropFirst(32).prefix(20))))
        app.press("<End>")
        #expect(app.state.threadScroll.unseenCount == 0)
        #expect(app.screenText.contains("Fresh reply 3"))
    }

    @Test("scrolling to the top of a thread with more history asks for the older page")
    func loadsOlderPages() {
        let inbox = Fixtures.large(leadCount: 3, threadLength: 40)
        var app = TestApp(inbox: inbox)
        let leadId = app.state.selectedLeadId!
        let all = inbox.threads[leadId]!
        app.send(.inbox(.thread(leadId: leadId, messages: Array(all.suffix(20)), hasMore: true, replacing: true)))
        app.press("<Tab>")
        app.clearEffects()
        app.press("<Home>")
        #expect(app.effects == [.backend(.loadThread(leadId: leadId, before: all[20].id))])
        app.send(.inbox(.thread(leadId: leadId, messages: Array(all.prefix(20)), hasMore: false, replacing: false)))
        #expect(app.state.threads[leadId]?.messages.count == 40)
        #expect(app.state.threads[leadId]?.messages.first?.id == all[0].id)
    }

    @Test("a message for another lead moves it up the list with a new preview and unread badge")
    func leadListFollowsMessages() {
        var app = TestApp()
        let inbox = Fixtures.inbox()
        let quiet = inbox.leads.last!
        let reply = Message(id: "88888888-0000-4000-8000-000000000001", leadId: quiet.id, body: "Changed my mind, let's talk!",
                            channel: .whatsapp, direction: .inbound, isRead: false, createdAt: Fixtures.referenceNow)
        app.send(.inbox(.messageUpserted(reply)))
        #expect(app.state.leads.first?.id == quiet.id)
        #expect(app.state.leads.first?.unreadCount == 1)
        #expect(app.state.leads.first?.lastMessage?.body == reply.body)
        #expect(app.state.selectedLeadId == inbox.leads[0].id)
        #expect(app.screenText.contains("Changed my mind"))
    }

    @Test("the list keeps only the start of a long last message; the thread keeps all of it")
    func longLastMessage() {
        var app = TestApp()
        let dana = Fixtures.inbox().leads[0]
        let body = "Thanks for the proposal, here are our notes. " + String(repeating: "Quoted history line. ", count: 3_000)
        let reply = Message(id: "88888888-0000-4000-8000-000000000002", leadId: dana.id, body: body,
                            channel: .email, direction: .inbound, isRead: false, createdAt: Fixtures.referenceNow)
        app.send(.inbox(.messageUpserted(reply)))
        let kept = app.state.lead(id: dana.id)?.lastMessage
        #expect(kept?.id == reply.id)
        #expect(kept?.body.count == AppState.previewLength)
        #expect(kept.map { body.hasPrefix($0.body) } == true)
        #expect(app.state.threads[dana.id]?.messages.last?.body == body)
        #expect(app.screenText.contains("Thanks for the proposal"))

        // The same through a whole list, as the sync engine loads it from the cache.
        var lead = dana
        lead.lastMessage = reply
        app.send(.inbox(.leads([lead])))
        #expect(app.state.lead(id: dana.id)?.lastMessage?.body.count == AppState.previewLength)
    }

    @Test("an update shows Read at and the link mark on the sent message")
    func readReceipts() {
        var app = TestApp()
        let dana = Fixtures.inbox().leads[0]
        var message = app.state.threads[dana.id]!.messages.first { $0.direction == .outbound && $0.clickedAt == nil }!
        #expect(!app.screenText.contains("Read at 14:01"))
        message.openedAt = Fixtures.referenceNow.addingTimeInterval(-60)
        message.clickedAt = Fixtures.referenceNow
        app.send(.inbox(.messageUpserted(message)))
        let text = app.screenText
        #expect(text.contains("Read at 14:01 🔗"))
    }

    @Test("a thread scrolled far up is drawn from where the view starts, exactly as laid out from the bottom",
          arguments: [false, true])
    func scrolledFromMeasuredRows(hasMore: Bool) throws {
        var app = longThreadApp(length: 300)
        let leadId = try #require(app.state.selectedLeadId)
        app.state.threads[leadId]?.hasMore = hasMore
        let rect = try #require(Layout.compute(app.state).thread)
        let (height, width) = (rect.height - 2, rect.width - 2)
        let total = ThreadView.totalRows(&app.state, leadId: leadId, width: width)
        #expect(app.state.threadRowCount != nil)
        let lead = try #require(app.state.selectedLead)
        let thread = try #require(app.state.threads[leadId])
        for scroll in Array(stride(from: 0, through: total + 5, by: 7)) + [total - height, total - height + 1, total] {
            app.state.threadScroll.rowsFromBottom = scroll
            var unmeasured = app.state
            unmeasured.threadRowCount = nil
            let fast = ThreadView.visibleRows(app.state, thread: thread, lead: lead, height: height, width: width)
            let slow = ThreadView.visibleRows(unmeasured, thread: thread, lead: lead, height: height, width: width)
            #expect(fast == slow, "scrolled \(scroll) of \(total) rows")
        }
    }
}
