import CloserCore
@testable import CloserTUI
import Foundation
import Testing

@Suite("update: compose, drafts and sending")
struct UpdateComposeTests {
    let inbox = Fixtures.inbox()
    var dana: Lead { inbox.leads[0] }

    @Test("typing edits the body; j and q are text in compose, not bindings")
    func typing() {
        var app = TestApp()
        app.press("c")
        app.type("jq?:")
        #expect(app.state.composes[dana.id]?.body.text == "jq?:")
        #expect(app.state.overlay == nil)
        #expect(!app.effects.contains(.quit))
    }

    @Test("Enter is a newline; emacs keys move and delete")
    func emacsKeys() {
        var app = TestApp()
        app.press("c")
        app.type("hello world")
        app.press("<Enter>")
        app.type("second")
        app.press("<C-a>")
        app.press("<C-k>")
        #expect(app.state.composes[dana.id]?.body.text == "hello world\n")
        app.press("<BS>")
        app.press("<C-w>")
        #expect(app.state.composes[dana.id]?.body.text == "hello ")
        app.type("there")
        app.press("<M-b>")
        app.type("X")
        #expect(app.state.composes[dana.id]?.body.text == "hello Xthere")
        app.press("<C-u>")
        #expect(app.state.composes[dana.id]?.body.text == "there")
    }

    @Test("a bracketed paste inserts text and never triggers bindings")
    func paste() {
        var app = TestApp()
        app.send(.paste("q\n:quit\n<C-s>"))
        #expect(app.state.focus == .compose)
        #expect(app.state.composes[dana.id]?.body.text == "q\n:quit\n<C-s>")
        #expect(!app.effects.contains(.quit))
        #expect(!app.effects.contains { if case .backend(.send) = $0 { true } else { false } })
    }

    @Test("the channel selector cycles only through the lead's channels")
    func channels() {
        var app = TestApp()
        app.press("c")
        #expect(app.state.compose(for: dana.id).channel == .email)
        app.press("<C-t>")
        #expect(app.state.compose(for: dana.id).channel == .sms)
        app.press("<C-t>")
        #expect(app.state.compose(for: dana.id).channel == .whatsapp)
        app.press("<C-t>")
        #expect(app.state.compose(for: dana.id).channel == .email)

        // Aiko has only Instagram: nothing to cycle to.
        app.press("<Esc>")
        app.press("<S-Tab>")
        let aiko = app.state.leads.firstIndex { $0.instagram == "sora_studio" }!
        for _ in 0..<aiko { app.press("j") }
        app.press("c")
        app.press("<C-t>")
        #expect(app.state.compose(for: app.state.selectedLeadId!).channel == .instagram)
    }

    @Test("email needs a subject: Ctrl-S without one moves to the subject field")
    func subjectRequired() {
        var app = TestApp()
        app.press("c")
        app.type("Body only")
        app.clearEffects()
        app.press("<C-s>")
        #expect(!app.effects.contains { if case .backend(.send) = $0 { true } else { false } })
        #expect(app.state.compose(for: dana.id).field == .subject)
        #expect(app.state.toasts.current?.text == "Email needs a subject")
        app.type("Pricing")
        app.press("<Tab>")
        app.press("<M-Enter>")
        #expect(app.effects.last == .backend(.send(OutgoingMessage(leadId: dana.id, body: "Body only", subject: "Pricing", channel: .email, clientId: "test-1"))))
        #expect(app.state.compose(for: dana.id).body.isEmpty)
        #expect(app.state.compose(for: dana.id).autosaveDeadline == nil)
    }

    @Test("a sent message shows as sending, then as sent when the server has it")
    func sendingStates() {
        var app = TestApp()
        app.press("c")
        app.press("<C-t>")
        app.type("Text me back")
        app.press("<C-s>")
        var queued = Message(id: "local:test-1", leadId: dana.id, body: "Text me back", channel: .sms, direction: .outbound,
                             status: .queued, clientId: "test-1", createdAt: Fixtures.referenceNow)
        app.send(.inbox(.messageUpserted(queued)))
        #expect(app.screenText.contains("sending…"))
        app.send(.inbox(.connection(.offline(reason: "no network"))))
        #expect(app.screenText.contains("◷ queued"))
        queued.id = "55555555-0000-4000-8000-000000000001"
        queued.status = .sent
        app.send(.inbox(.messageUpserted(queued)))
        #expect(app.state.threads[dana.id]?.messages.filter { $0.clientId == "test-1" }.count == 1)
        #expect(!app.screenText.contains("queued"))
    }

    @Test("autosave: one save 500 ms after the last keystroke, the deadline moving with each key")
    func autosaveDebounce() {
        var app = TestApp()
        app.press("c")
        app.clearEffects()
        for character in "typing fast" {
            app.send(.key(.char(character)))
            _ = app.advance(by: 0.1)
        }
        #expect(app.effects.isEmpty)
        #expect(app.state.compose(for: dana.id).save == .pending)
        let effects = app.advance(by: 0.45)
        #expect(effects == [.backend(.saveDraft(DraftEdit(leadId: dana.id, content: "typing fast", subject: nil, channel: .email)))])
        #expect(app.advance(by: 1).isEmpty)
    }

    @Test("the delay is configurable")
    func autosaveDelaySetting() {
        var app = TestApp()
        app.state.settings.autosaveDelay = 2
        app.press("c")
        app.type("x")
        #expect(app.advance(by: 1.9).isEmpty)
        #expect(app.advance(by: 0.2).count == 1)
    }

    @Test("Draft saved follows the backend: cache first, then synced")
    func draftSavedIndicator() {
        var app = TestApp()
        app.press("c")
        app.type("Hello")
        #expect(app.render().textLines().joined().contains("Editing…"))
        _ = app.advance(by: 0.6)
        app.send(.inbox(.draftSaved(leadId: dana.id, savedAt: Fixtures.referenceNow, synced: false)))
        #expect(app.screenText.contains("Draft saved 14:02"))
        #expect(!app.screenText.contains("synced"))
        app.send(.inbox(.draftSaved(leadId: dana.id, savedAt: Fixtures.referenceNow, synced: true)))
        #expect(app.screenText.contains("Draft saved 14:02 ✓ synced"))
    }

    @Test("emptying the compose pane discards the stored draft")
    func discardEmptyDraft() {
        var app = TestApp()
        let marcus = inbox.leads.first { $0.name == "Marcus Webb" }!
        #expect(app.state.composes[marcus.id]?.hasStoredDraft == true)
        let index = app.state.leads.firstIndex { $0.id == marcus.id }!
        for _ in 0..<index { app.press("j") }
        app.press("c")
        for _ in 0..<200 { app.press("<BS>") }
        // Shift-Tab: from the body back to the subject.
        app.press("<S-Tab>")
        #expect(app.state.compose(for: marcus.id).field == .subject)
        for _ in 0..<20 { app.press("<BS>") }
        app.clearEffects()
        #expect(app.advance(by: 0.6) == [.backend(.discardDraft(leadId: marcus.id))])
    }

    @Test("placeholders: Type message… with no draft, Continue draft… with one")
    func placeholders() {
        var app = TestApp()
        #expect(app.screenText.contains("Type message…"))
        let marcus = inbox.leads.first { $0.name == "Marcus Webb" }!
        var compose = app.state.compose(for: marcus.id)
        compose.body.replaceAll("")
        compose.subject.replaceAll("")
        compose.hasStoredDraft = true
        app.state.composes[marcus.id] = compose
        let index = app.state.leads.firstIndex { $0.id == marcus.id }!
        for _ in 0..<index { app.press("j") }
        #expect(app.screenText.contains("Continue draft…"))
    }

    @Test("switching leads keeps each lead's draft")
    func draftsPerLead() {
        var app = TestApp()
        app.press("c")
        app.type("For Dana")
        app.press("<Esc>")
        app.press("<S-Tab>")
        app.press("j")
        app.press("c")
        app.type("For the next one")
        app.press("<Esc>")
        app.press("<S-Tab>")
        app.press("k")
        #expect(app.state.compose(for: dana.id).body.text == "For Dana")
        #expect(app.state.compose(for: inbox.leads[1].id).body.text == "For the next one")
    }

    @Test("C-x C-e opens $EDITOR on the draft and reads it back")
    func externalEditor() {
        var app = TestApp()
        app.press("c")
        app.type("first draft")
        app.clearEffects()
        app.press("<C-x>")
        #expect(app.state.pendingKeys == [.ctrl("x")])
        app.press("<C-e>")
        #expect(app.effects == [.openEditor(leadId: dana.id, text: "first draft")])
        app.send(.editorFinished(leadId: dana.id, text: "rewritten\nin vim", error: nil))
        #expect(app.state.compose(for: dana.id).body.text == "rewritten\nin vim")
        #expect(app.state.compose(for: dana.id).autosaveDeadline != nil)
    }

    @Test("a draft from another device replaces a clean draft, but never unsynced edits")
    func remoteDrafts() {
        var app = TestApp()
        let theirs = DraftSnapshot(leadId: dana.id, content: "typed on the laptop", subject: nil, channel: .email, savedAt: Fixtures.referenceNow, synced: true)
        app.send(.inbox(.draftReplaced(theirs)))
        #expect(app.state.compose(for: dana.id).body.text == "typed on the laptop")
        #expect(app.state.compose(for: dana.id).save == .synced(Fixtures.referenceNow))
        // Sent or discarded on the laptop: the compose empties and no longer claims a saved draft.
        app.send(.inbox(.draftReplaced(DraftSnapshot(leadId: dana.id, content: "", subject: nil, channel: .email, savedAt: Fixtures.referenceNow, synced: true))))
        #expect(app.state.compose(for: dana.id).body.text.isEmpty)
        #expect(app.state.compose(for: dana.id).save == .clean)
        app.send(.inbox(.draftReplaced(theirs)))

        app.press("c")
        app.type(" and here")
        let other = DraftSnapshot(leadId: dana.id, content: "other", subject: nil, channel: .email, savedAt: Fixtures.referenceNow, synced: true)
        app.send(.inbox(.draftReplaced(other)))
        // Typing here, not yet saved: the rep's text stays, and the other device's is kept aside.
        #expect(app.state.compose(for: dana.id).body.text == "typed on the laptop and here")
        #expect(app.state.draftCopies == [other])

        let conflicting = DraftSnapshot(leadId: dana.id, content: "phone version", subject: nil, channel: .email, savedAt: Fixtures.referenceNow, synced: true)
        app.send(.inbox(.draftConflict(leadId: dana.id, theirs: conflicting)))
        #expect(app.state.compose(for: dana.id).body.text == "typed on the laptop and here")
        #expect(app.state.draftCopies == [conflicting, other])
        #expect(app.state.toasts.current?.text.contains(":drafts") == true)

        app.press("<Esc>")
        app.press(":")
        app.type("drafts")
        app.press("<Enter>")
        #expect(app.screenText.contains("phone version"))
        app.clearEffects()
        app.press("<Enter>")
        #expect(app.state.compose(for: dana.id).body.text == "phone version")
        // Restored: the stored copy is forgotten, so a restart does not list it again.
        #expect(app.effects.first == .backend(.forgetDraftCopy(conflicting)))
        // Nothing is lost: the text that was in compose is now the kept copy.
        #expect(app.state.draftCopies.first?.content == "typed on the laptop and here")
    }

    @Test("r retries the last failed message of the thread")
    func retry() {
        var app = TestApp()
        let jamal = inbox.leads.first { $0.name == "Jamal Carter" }!
        app.send(.inbox(.thread(leadId: jamal.id, messages: [Message(id: "x", leadId: jamal.id, body: "contract", subject: "c", channel: .email,
                                                                     direction: .outbound, status: .failed, failureReason: "550", clientId: "c-9",
                                                                     createdAt: Fixtures.referenceNow)], hasMore: false, replacing: true)))
        let index = app.state.leads.firstIndex { $0.id == jamal.id }!
        for _ in 0..<index { app.press("j") }
        app.clearEffects()
        app.press("r")
        #expect(app.effects == [.backend(.retry(clientId: "c-9"))])
        #expect(app.screenText.contains("Not delivered: 550"))
    }

    @Test("e takes the last failed message back into compose, keeping what was there in :drafts")
    func editFailed() {
        var app = TestApp()
        let jamal = inbox.leads.first { $0.name == "Jamal Carter" }!
        app.send(.inbox(.thread(leadId: jamal.id, messages: [Message(id: "local:c-9", leadId: jamal.id, body: "the contract, v1", subject: "Contract", channel: .email,
                                                                     direction: .outbound, status: .failed, failureReason: "550 mailbox full", clientId: "c-9",
                                                                     createdAt: Fixtures.referenceNow)], hasMore: false, replacing: true)))
        let index = app.state.leads.firstIndex { $0.id == jamal.id }!
        for _ in 0..<index { app.press("j") }
        app.press("c")
        app.type("half a thought")
        app.press("<Esc>")
        app.clearEffects()
        app.press("e")
        #expect(app.effects.first == .backend(.withdraw(clientId: "c-9")))
        #expect(app.state.focus == .compose)
        #expect(app.state.compose(for: jamal.id).body.text == "the contract, v1")
        #expect(app.state.compose(for: jamal.id).subject.text == "Contract")
        #expect(app.state.draftCopies.first?.content == "half a thought")
        #expect(!app.screenText.contains("Not delivered"))
        // It autosaves as a draft like any typing, and sends as a new message.
        app.type(", v2")
        #expect(app.advance(by: 0.6).contains { if case .backend(.saveDraft(let edit)) = $0 { edit.content == "the contract, v1, v2" } else { false } })
        let sent = app.press("<C-s>")
        #expect(sent.contains { if case .backend(.send(let m)) = $0 { m.body == "the contract, v1, v2" && m.clientId != "c-9" } else { false } })
    }

    @Test("a message the server keeps failing on shows queued with why, not sending")
    func retryingLabel() {
        var app = TestApp()
        app.send(.inbox(.messageUpserted(Message(id: "local:c-7", leadId: dana.id, body: "pricing", subject: "Pricing", channel: .email,
                                                 direction: .outbound, status: .queued, failureReason: "Internal error (HTTP 500)", clientId: "c-7",
                                                 createdAt: Fixtures.referenceNow))))
        #expect(app.screenText.contains("◷ queued"))
        #expect(!app.screenText.contains("sending…"))
        #expect(app.screenText.contains("Will retry: Internal error (HTTP 500)"))
    }
}
