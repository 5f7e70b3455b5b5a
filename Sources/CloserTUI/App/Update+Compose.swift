import CloserCore
import Foundation

extension Update {
    /// Compose-context actions: sending, fields, channel, the editing keys.
    static func performCompose(_ action: KeyAction, state: inout AppState) -> [AppEffect] {
        guard let lead = state.selectedLead else { return [] }
        var compose = state.compose(for: lead.id)
        let width = composeWidth(state)
        var changed = false
        switch action {
        case .send:
            return send(lead: lead, state: &state)
        case .cycleChannel:
            let channels = lead.channels
            guard channels.count > 1, let index = channels.firstIndex(of: compose.channel) else { return [] }
            compose.channel = channels[(index + 1) % channels.count]
            if !compose.channel.hasSubject { compose.field = .body }
            changed = true
        case .nextField, .previousField:
            // Subject, body, then out of compose (as a form's Tab does); Shift-Tab goes back.
            let forward = action == .nextField
            if compose.channel.hasSubject && compose.field == (forward ? .subject : .body) {
                compose.field = forward ? .body : .subject
            } else {
                state.composes[lead.id] = compose
                cycleFocus(by: forward ? 1 : -1, state: &state)
                return []
            }
        case .openEditor:
            state.composes[lead.id] = compose
            return [.openEditor(leadId: lead.id, text: compose.body.text)]
        case .newline:
            if compose.field == .subject {
                compose.field = .body
            } else {
                compose.body.insert("\n")
                changed = true
            }
        default:
            changed = edit(&compose, action: action, width: width)
        }
        state.composes[lead.id] = compose
        return changed ? edited(leadId: lead.id, state: &state) : []
    }

    /// Applies an editing key to the focused field. Returns whether the text changed.
    static func edit(_ compose: inout ComposeState, action: KeyAction, width: Int) -> Bool {
        let before = (compose.body.text, compose.subject.text)
        func apply(_ editor: inout TextEditor, multiline: Bool) {
            switch action {
            case .lineStart: editor.moveToLineStart()
            case .lineEnd: editor.moveToLineEnd()
            case .killToEnd: editor.killToLineEnd()
            case .killToStart: editor.killToLineStart()
            case .deleteWordBackward: editor.deleteWordBackward()
            case .wordBackward: editor.moveWordBackward()
            case .wordForward: editor.moveWordForward()
            case .cursorLeft: editor.moveLeft()
            case .cursorRight: editor.moveRight()
            case .cursorUp: if multiline { editor.moveUp(width: width) }
            case .cursorDown: if multiline { editor.moveDown(width: width) }
            case .deleteBackward: editor.deleteBackward()
            case .deleteForward: editor.deleteForward()
            default: break
            }
        }
        switch compose.field {
        case .body:
            if action == .cursorUp && compose.body.cursorPosition(width: width).row == 0 && compose.channel.hasSubject {
                compose.field = .subject
                return false
            }
            apply(&compose.body, multiline: true)
        case .subject:
            if action == .cursorDown {
                compose.field = .body
                return false
            }
            apply(&compose.subject, multiline: false)
        }
        return (compose.body.text, compose.subject.text) != before
    }

    /// Typed or pasted text into the focused field (a subject stays one line).
    static func insertText(_ text: String, state: inout AppState) -> [AppEffect] {
        guard let lead = state.selectedLead else { return [] }
        var compose = state.compose(for: lead.id)
        switch compose.field {
        case .body: compose.body.insert(text)
        case .subject: compose.subject.insert(singleLine(text))
        }
        state.composes[lead.id] = compose
        return edited(leadId: lead.id, state: &state)
    }

    /// The text changed: schedule the debounced save (the deadline moves with every keystroke).
    static func edited(leadId: String, state: inout AppState) -> [AppEffect] {
        var compose = state.compose(for: leadId)
        compose.save = .pending
        compose.autosaveDeadline = state.now.addingTimeInterval(state.settings.autosaveDelay)
        state.composes[leadId] = compose
        return []
    }

    /// Sends the compose pane's message. The pane empties at once; the message shows as queued or
    /// sending until the backend reports it.
    static func send(lead: Lead, state: inout AppState) -> [AppEffect] {
        let compose = state.compose(for: lead.id)
        let body = compose.body.text
        guard !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            state.toasts.push(Toast(text: "Nothing to send", kind: .info), now: state.now)
            return []
        }
        let subject = compose.subject.text.trimmingCharacters(in: .whitespaces)
        if compose.channel.hasSubject && subject.isEmpty {
            var updated = compose
            updated.field = .subject
            state.composes[lead.id] = updated
            state.toasts.push(Toast(text: "Email needs a subject", kind: .error), now: state.now)
            return []
        }
        state.clientIdCounter += 1
        let message = OutgoingMessage(
            leadId: lead.id, body: body, subject: compose.channel.hasSubject ? subject : nil,
            channel: compose.channel, clientId: "\(state.clientIdSeed)-\(state.clientIdCounter)"
        )
        // The draft goes with the message: the backend removes it locally and on the server.
        state.composes[lead.id] = ComposeState(channel: compose.channel)
        state.threadScroll = ThreadScroll()
        return [.backend(.send(message))]
    }

    /// The width the compose body wraps at, for cursor up/down.
    static func composeWidth(_ state: AppState) -> Int {
        max(1, (Layout.compute(state).compose?.width ?? 80) - 2)
    }
}
