import CloserCore
import Foundation

/// The application's logic: `apply(action, to: &state)` changes the state and returns the effects
/// (network, bell, editor, quit) for the runtime to carry out. No I/O, no clock, no randomness:
/// the same state and action always give the same result, so every behaviour is a unit test.
public enum Update {
    public static func apply(_ action: AppAction, to state: inout AppState) -> [AppEffect] {
        switch action {
        case .key(let key):
            return handleKey(key, state: &state)
        case .paste(let text):
            return handlePaste(text, state: &state)
        case .mouse(let event):
            return handleMouse(event, state: &state)
        case .resize(let size):
            state.size = size
            keepFocusVisible(&state)
            return []
        case .tick(let now):
            return tick(now, state: &state)
        case .inbox(let event):
            return handleInbox(event, state: &state)
        case .editorFinished(let leadId, let text, let error):
            if let error { state.toasts.push(Toast(text: "Editor failed: \(error)", kind: .error), now: state.now) }
            guard let text else { return [] }
            var compose = state.compose(for: leadId)
            compose.body.replaceAll(text)
            state.composes[leadId] = compose
            return edited(leadId: leadId, state: &state)
        case .themeChanged(let name, let warning):
            state.themeName = name
            if let warning { state.toasts.push(Toast(text: warning, kind: .error), now: state.now) }
            return []
        case .terminate:
            return quit(&state)
        case .suspend:
            // A stopped client may never be continued: save what is typed first.
            return savePendingDrafts(&state) + [.suspend]
        }
    }

    /// After a resize: keys go to the panel on screen. A narrow terminal shows the focused panel;
    /// a wider one moves focus off a panel it no longer shows.
    static func keepFocusVisible(_ state: inout AppState) {
        let layout = Layout.compute(state)
        switch layout.mode {
        case .narrow:
            state.narrowPanel = state.focus
        case .wide, .medium:
            let shown = layout.visiblePanels.contains(state.focus) || (state.focus == .sidebar && state.overlay == .sidebar)
            if !shown { state.focus = .leads }
        case .tooSmall:
            break
        }
    }

    /// The next time something is due without input: an autosave, a toast ending, a highlight
    /// fading. The runtime sleeps until then (or until input arrives), so an idle client uses no CPU.
    public static func nextDeadline(_ state: AppState) -> Date? {
        var deadlines: [Date] = state.composes.values.compactMap(\.autosaveDeadline)
        if let until = state.toasts.currentUntil { deadlines.append(until) }
        if let until = state.statsHighlightUntil, until > state.now { deadlines.append(until) }
        deadlines += state.flashingLeads.values.filter { $0 > state.now }
        if case .connecting(let retryAt?) = state.connection, retryAt > state.now {
            // Count the retry down once a second.
            deadlines.append(state.now.addingTimeInterval(1))
        }
        return deadlines.min()
    }

    // MARK: Time

    static func tick(_ now: Date, state: inout AppState) -> [AppEffect] {
        state.now = now
        var effects: [AppEffect] = []
        for (leadId, compose) in state.composes {
            guard let deadline = compose.autosaveDeadline, deadline <= now else { continue }
            effects += saveDraft(leadId: leadId, state: &state)
        }
        state.toasts.advance(now: now)
        state.flashingLeads = state.flashingLeads.filter { $0.value > now }
        if let until = state.statsHighlightUntil, until <= now {
            state.statsHighlightUntil = nil
            state.changedKPIs = []
        }
        return effects
    }

    /// The debounced save: hands the draft to the backend (which writes the cache, then the server).
    static func saveDraft(leadId: String, state: inout AppState) -> [AppEffect] {
        guard var compose = state.composes[leadId] else { return [] }
        compose.autosaveDeadline = nil
        defer { state.composes[leadId] = compose }
        if compose.isEmpty {
            guard compose.hasStoredDraft else {
                compose.save = .clean
                return []
            }
            compose.hasStoredDraft = false
            return [.backend(.discardDraft(leadId: leadId))]
        }
        return [.backend(.saveDraft(compose.edit(leadId: leadId)))]
    }

    /// Saves every pending draft now, then quits.
    static func quit(_ state: inout AppState) -> [AppEffect] {
        let effects = savePendingDrafts(&state)
        state.quitting = true
        return effects + [.quit]
    }

    /// Saves now every draft whose debounced save is still pending.
    static func savePendingDrafts(_ state: inout AppState) -> [AppEffect] {
        var effects: [AppEffect] = []
        for leadId in state.composes.keys.sorted() where state.composes[leadId]?.autosaveDeadline != nil {
            effects += saveDraft(leadId: leadId, state: &state)
        }
        return effects
    }

    // MARK: Selection

    /// Selects a lead: resets the thread scroll, loads the thread if needed, marks it read.
    static func select(leadId: String?, state: inout AppState) -> [AppEffect] {
        guard let leadId, leadId != state.selectedLeadId else { return [] }
        state.selectedLeadId = leadId
        state.threadScroll = ThreadScroll()
        state.pendingJumpMessageId = nil
        return openedLead(state: &state)
    }

    /// What happens when a lead's thread comes into view: load it, mark it read.
    static func openedLead(state: inout AppState) -> [AppEffect] {
        guard let lead = state.selectedLead else { return [] }
        var effects: [AppEffect] = []
        if state.threads[lead.id]?.loaded != true && state.threads[lead.id]?.loading != true {
            var thread = state.threads[lead.id] ?? ThreadState()
            thread.loading = true
            state.threads[lead.id] = thread
            effects.append(.backend(.loadThread(leadId: lead.id, before: nil)))
        }
        if lead.unreadCount > 0 && threadIsVisible(state) {
            effects.append(.backend(.markRead(leadId: lead.id)))
            state.modifyLead(id: lead.id) { $0.unreadCount = 0 }
            markThreadRead(leadId: lead.id, state: &state)
        }
        return effects
    }

    static func markThreadRead(leadId: String, state: inout AppState) {
        guard var thread = state.threads[leadId] else { return }
        for index in thread.messages.indices where thread.messages[index].direction == .inbound {
            thread.messages[index].isRead = true
        }
        state.threads[leadId] = thread
    }

    static func threadIsVisible(_ state: AppState) -> Bool {
        Layout.compute(state).thread != nil
    }
}
