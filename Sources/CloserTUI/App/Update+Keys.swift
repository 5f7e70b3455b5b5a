import CloserCore
import Foundation

extension Update {
    static func handleKey(_ key: KeyEvent, state: inout AppState) -> [AppEffect] {
        if state.toasts.current != nil, key == KeyEvent(.escape), state.overlay == nil, state.focus != .compose, !state.searchActive {
            state.toasts.dismiss(now: state.now)
            return []
        }
        if let overlay = state.overlay, overlay != .sidebar {
            return handleOverlayKey(key, overlay: overlay, state: &state)
        }
        if state.searchActive {
            return handleSearchKey(key, state: &state)
        }
        let context: KeyContext = state.focus == .compose ? .compose : .navigation
        let sequence = state.pendingKeys + [key]
        switch state.settings.keymap.resolve(sequence, context: context) {
        case .prefix:
            state.pendingKeys = sequence
            return []
        case .action(let action):
            state.pendingKeys = []
            return perform(action, state: &state)
        case .unbound:
            let wasPending = !state.pendingKeys.isEmpty
            state.pendingKeys = []
            guard !wasPending else { return [] }
            if context == .compose, case .character(let character) = key.key, key.modifiers.isDisjoint(with: [.control, .alt]) {
                return insertText(String(character), state: &state)
            }
            return []
        }
    }

    /// Pasted text goes into whatever takes text, and is never read as bindings.
    static func handlePaste(_ text: String, state: inout AppState) -> [AppEffect] {
        if case .command(var command) = state.overlay {
            command.editor.insert(singleLine(text))
            state.overlay = .command(command)
            return []
        }
        if state.searchActive {
            state.search?.insert(singleLine(text))
            return []
        }
        guard state.selectedLead != nil else { return [] }
        if state.focus != .compose { focus(.compose, state: &state) }
        return insertText(text, state: &state)
    }

    static func singleLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
    }

    // MARK: Actions

    static func perform(_ action: KeyAction, state: inout AppState) -> [AppEffect] {
        switch action {
        case .quit: return quit(&state)
        case .help: state.overlay = .help(scroll: 0)
        case .commandLine: state.overlay = .command(CommandLineState())
        case .search:
            state.search = state.search ?? TextEditor()
            state.searchActive = true
            focus(.leads, state: &state)
        case .focusNext: cycleFocus(by: 1, state: &state)
        case .focusPrevious: cycleFocus(by: -1, state: &state)
        case .nextPanel:
            let order: [Panel] = [.leads, .thread, .sidebar]
            let current = order.firstIndex(of: state.narrowPanel == .compose ? .thread : state.narrowPanel) ?? 0
            state.narrowPanel = order[(current + 1) % order.count]
            state.focus = state.narrowPanel
            if state.narrowPanel == .thread { return openedLead(state: &state) }
        case .toggleSidebar: toggleSidebar(state: &state)
        case .toggleActivity:
            state.activityVisible.toggle()
            if state.activityVisible {
                showSidebar(state: &state)
                // Shown to be read and opened: j/k move through it and Enter jumps to the lead.
                state.focus = .sidebar
            }
        case .notifications: state.overlay = .notifications(selected: 0)
        case .redraw: return [.redraw]
        case .back:
            guard state.focus != .leads else { return [] }
            if state.overlay == .sidebar { state.overlay = nil }
            focus(.leads, state: &state)
        case .cancel:
            state.pendingKeys = []
            if state.focus == .compose { focus(.thread, state: &state) }
            else if state.search != nil { state.search = nil }
            else if state.overlay == .sidebar {
                state.overlay = nil
                if state.focus == .sidebar { state.focus = .leads }
            }
        case .moveDown: return move(by: 1, state: &state)
        case .moveUp: return move(by: -1, state: &state)
        case .pageDown: return move(by: pageSize(state), state: &state)
        case .pageUp: return move(by: -pageSize(state), state: &state)
        case .top: return jump(toTop: true, state: &state)
        case .bottom: return jump(toTop: false, state: &state)
        case .open:
            if state.focus == .leads {
                focus(.thread, state: &state)
                return openedLead(state: &state)
            }
            if state.focus == .sidebar && state.activityVisible {
                return openActivity(state: &state)
            }
        case .compose:
            guard state.selectedLead != nil else { return [] }
            focus(.compose, state: &state)
        case .filterStatus:
            let all: [LeadStatus?] = [nil] + LeadStatus.allCases.map { $0 }
            let index = all.firstIndex(of: state.statusFilter) ?? 0
            state.statusFilter = all[(index + 1) % all.count]
            return keepSelectionVisible(state: &state)
        case .markMeetingBooked: return setStatus(.meetingBooked, state: &state)
        case .markConverted: return setStatus(.converted, state: &state)
        case .retrySend:
            guard let (_, clientId) = lastFailedMessage(&state, verb: "retry") else { return [] }
            return [.backend(.retry(clientId: clientId))]
        case .editFailed:
            return editFailed(state: &state)
        default:
            return performCompose(action, state: &state)
        }
        return []
    }

    static func setStatus(_ status: LeadStatus, state: inout AppState) -> [AppEffect] {
        guard let lead = state.selectedLead else { return [] }
        guard lead.status != status else {
            state.toasts.push(Toast(text: "\(TerminalSanitizer.sanitize(lead.name, mode: .singleLine)) is already \(status.rawValue)", kind: .info), now: state.now)
            return []
        }
        return [.backend(.setStatus(leadId: lead.id, status: status))]
    }

    static func focus(_ panel: Panel, state: inout AppState) {
        state.focus = panel
        if Layout.compute(state).mode == .narrow {
            state.narrowPanel = panel
        }
    }

    static func cycleFocus(by step: Int, state: inout AppState) {
        let panels = Layout.compute(state).visiblePanels.filter { $0 != .compose || state.selectedLead != nil }
        guard !panels.isEmpty else { return }
        let index = panels.firstIndex(of: state.focus) ?? 0
        state.focus = panels[(index + step + panels.count) % panels.count]
    }

    static func toggleSidebar(state: inout AppState) {
        switch Layout.compute(state).mode {
        case .wide: state.sidebarHidden.toggle()
        case .medium: state.overlay = state.overlay == .sidebar ? nil : .sidebar
        case .narrow:
            state.narrowPanel = state.narrowPanel == .sidebar ? .leads : .sidebar
            state.focus = state.narrowPanel
        case .tooSmall: break
        }
    }

    static func showSidebar(state: inout AppState) {
        switch Layout.compute(state).mode {
        case .wide: state.sidebarHidden = false
        case .medium: state.overlay = .sidebar
        case .narrow:
            state.narrowPanel = .sidebar
            state.focus = .sidebar
        case .tooSmall: break
        }
    }

    // MARK: Moving

    static func pageSize(_ state: AppState) -> Int {
        let layout = Layout.compute(state)
        if state.focus == .thread, let thread = layout.thread { return max(1, thread.height - 3) }
        if let leads = layout.leads { return max(1, (leads.height - 2) / LeadListView.rowsPerLead - 1) }
        return 10
    }

    static func move(by step: Int, state: inout AppState) -> [AppEffect] {
        switch state.focus {
        case .thread:
            return scrollThread(by: -step, state: &state)
        case .leads:
            let leads = state.visibleLeads
            guard !leads.isEmpty else { return [] }
            let index = state.selectedLeadId.flatMap { state.visibleIndex(of: $0) } ?? 0
            let target = min(max(0, index + step), leads.count - 1)
            var effects = select(leadId: leads[target].id, state: &state)
            effects += keepSelectionVisible(state: &state)
            return effects
        case .sidebar where state.activityVisible:
            moveActivitySelection(by: step, state: &state)
            return []
        case .compose, .sidebar:
            return []
        }
    }

    /// The selected activity entry's position (the newest when none is chosen or it scrolled off).
    static func selectedActivityIndex(_ state: AppState) -> Int {
        state.selectedActivityId.flatMap { id in state.activity.firstIndex { $0.id == id } } ?? 0
    }

    static func moveActivitySelection(by step: Int, state: inout AppState) {
        guard !state.activity.isEmpty else { return }
        let index = min(max(0, selectedActivityIndex(state) + step), state.activity.count - 1)
        state.selectedActivityId = state.activity[index].id
    }

    /// Enter on an activity entry: that lead's thread.
    static func openActivity(state: inout AppState) -> [AppEffect] {
        guard !state.activity.isEmpty else { return [] }
        let entry = state.activity[selectedActivityIndex(state)]
        guard let leadId = entry.leadId else {
            state.toasts.push(Toast(text: "That activity is not about a lead", kind: .info), now: state.now)
            return []
        }
        if state.overlay == .sidebar { state.overlay = nil }
        return jumpTo(leadId: leadId, messageId: nil, state: &state)
    }

    /// Scrolls the thread by `rows` (positive = towards older), loading older pages at the top.
    static func scrollThread(by rows: Int, state: inout AppState) -> [AppEffect] {
        guard let leadId = state.selectedLeadId, let rect = Layout.compute(state).thread else { return [] }
        let width = max(1, rect.width - 2)
        let total = ThreadView.totalRows(&state, leadId: leadId, width: width)
        let maxScroll = max(0, total - (rect.height - 2))
        state.threadScroll.rowsFromBottom = min(max(0, state.threadScroll.rowsFromBottom + rows), maxScroll)
        if state.threadScroll.rowsFromBottom == 0 { state.threadScroll.unseenCount = 0 }
        if rows > 0 && state.threadScroll.rowsFromBottom >= maxScroll { return loadOlder(leadId: leadId, state: &state) }
        return []
    }

    static func loadOlder(leadId: String, state: inout AppState) -> [AppEffect] {
        guard var thread = state.threads[leadId], thread.hasMore, !thread.loading, let oldest = thread.messages.first else { return [] }
        thread.loading = true
        state.threads[leadId] = thread
        return [.backend(.loadThread(leadId: leadId, before: oldest.id))]
    }

    static func jump(toTop: Bool, state: inout AppState) -> [AppEffect] {
        switch state.focus {
        case .thread:
            return scrollThread(by: toTop ? Int.max / 4 : -Int.max / 4, state: &state)
        case .sidebar where state.activityVisible:
            state.selectedActivityId = (toTop ? state.activity.first : state.activity.last)?.id
            return []
        case .leads:
            let leads = state.visibleLeads
            guard let target = toTop ? leads.first : leads.last else { return [] }
            var effects = select(leadId: target.id, state: &state)
            effects += keepSelectionVisible(state: &state)
            return effects
        default:
            return []
        }
    }

    /// After filtering or moving: select something visible and scroll the list to it.
    static func keepSelectionVisible(state: inout AppState) -> [AppEffect] {
        let leads = state.visibleLeads
        var effects: [AppEffect] = []
        if state.selectedLeadId.flatMap({ state.visibleIndex(of: $0) }) == nil, let first = leads.first {
            effects = select(leadId: first.id, state: &state)
        }
        if let rect = Layout.compute(state).leads {
            let capacity = max(1, (rect.height - 2 - (state.search != nil ? 1 : 0)) / LeadListView.rowsPerLead)
            state.leadListTop = LeadListView.clampedTop(state, visibleCount: leads.count, capacity: capacity)
        }
        return effects
    }

    // MARK: Search

    static func handleSearchKey(_ key: KeyEvent, state: inout AppState) -> [AppEffect] {
        switch (key.key, key.modifiers) {
        case (.escape, _):
            state.search = nil
            state.searchActive = false
            return keepSelectionVisible(state: &state)
        case (.enter, _):
            state.searchActive = false
            if state.searchQuery == nil { state.search = nil }
            return keepSelectionVisible(state: &state)
        case (.backspace, _):
            state.search?.deleteBackward()
        case (.down, _):
            return move(by: 1, state: &state)
        case (.up, _):
            return move(by: -1, state: &state)
        case (.left, _): state.search?.moveLeft()
        case (.right, _): state.search?.moveRight()
        case (.character("u"), .control): state.search?.killToLineStart()
        case (.character("w"), .control): state.search?.deleteWordBackward()
        case (.character(let character), let modifiers) where modifiers.isDisjoint(with: [.control, .alt]):
            state.search?.insert(String(character))
        default:
            return []
        }
        return keepSelectionVisible(state: &state)
    }

    // MARK: Overlays

    static func handleOverlayKey(_ key: KeyEvent, overlay: Overlay, state: inout AppState) -> [AppEffect] {
        if case .command(let command) = overlay {
            return handleCommandKey(key, command: command, state: &state)
        }
        let navigation = state.settings.keymap.resolve([key], context: .navigation)
        if key.key == .escape || navigation == .action(.cancel) || navigation == .action(.quit) || navigation == .action(.help) && overlay == .help(scroll: 0) {
            state.overlay = nil
            return []
        }
        switch overlay {
        case .help(let scroll):
            switch navigation {
            case .action(.moveDown): state.overlay = .help(scroll: scroll + 1)
            case .action(.moveUp): state.overlay = .help(scroll: max(0, scroll - 1))
            case .action(.pageDown): state.overlay = .help(scroll: scroll + 10)
            case .action(.pageUp): state.overlay = .help(scroll: max(0, scroll - 10))
            case .action(.help): state.overlay = nil
            default: break
            }
        case .notifications(let selected):
            let count = state.notificationHistory.count
            switch navigation {
            case .action(.moveDown): state.overlay = .notifications(selected: min(max(0, count - 1), selected + 1))
            case .action(.moveUp): state.overlay = .notifications(selected: max(0, selected - 1))
            case .action(.open):
                guard selected < count else { return [] }
                let entry = state.notificationHistory[selected]
                state.overlay = nil
                return jumpTo(leadId: entry.notification.leadId, messageId: entry.notification.messageId, state: &state)
            default: break
            }
        case .drafts(let selected):
            let count = state.draftCopies.count
            switch navigation {
            case .action(.moveDown): state.overlay = .drafts(selected: min(max(0, count - 1), selected + 1))
            case .action(.moveUp): state.overlay = .drafts(selected: max(0, selected - 1))
            case .action(.open):
                guard selected < count else { return [] }
                return restoreDraftCopy(at: selected, state: &state)
            default: break
            }
        case .command, .sidebar:
            break
        }
        return []
    }

    /// Opens a lead from elsewhere (notification history, activity): clears filters that would hide it.
    static func jumpTo(leadId: String, messageId: String?, state: inout AppState) -> [AppEffect] {
        guard state.lead(id: leadId) != nil else {
            state.toasts.push(Toast(text: "That lead is no longer in your inbox", kind: .info), now: state.now)
            return []
        }
        if !state.visibleLeads.contains(where: { $0.id == leadId }) {
            state.statusFilter = nil
            state.search = nil
            state.searchActive = false
        }
        var effects = select(leadId: leadId, state: &state)
        focus(.thread, state: &state)
        effects += openedLead(state: &state)
        effects += keepSelectionVisible(state: &state)
        if let messageId, !scrollToMessage(messageId, state: &state) {
            state.pendingJumpMessageId = messageId
        }
        return effects
    }

    /// Scrolls the open thread so message `id` starts at the top of the pane (or as near as the
    /// thread allows). False when the message is not in the loaded thread.
    @discardableResult
    static func scrollToMessage(_ id: String, state: inout AppState) -> Bool {
        guard let leadId = state.selectedLeadId, let thread = state.threads[leadId], thread.loaded,
              let index = thread.messages.firstIndex(where: { $0.id == id }), let rect = Layout.compute(state).thread
        else { return false }
        // totalRows measures (and remembers) the rows before every message too.
        let total = ThreadView.totalRows(&state, leadId: leadId, width: max(1, rect.width - 2))
        let rowsFromMessage = total - (state.threadRowCount?.rowsBefore[index] ?? 0)
        let viewport = rect.height - 2
        state.threadScroll.rowsFromBottom = min(max(0, rowsFromMessage - viewport), max(0, total - viewport))
        state.threadScroll.unseenCount = 0
        state.pendingJumpMessageId = nil
        return true
    }

    /// Puts a kept-aside draft back into compose; the text there now is kept aside in its place.
    static func restoreDraftCopy(at index: Int, state: inout AppState) -> [AppEffect] {
        let copy = state.draftCopies.remove(at: index)
        var effects: [AppEffect] = [.backend(.forgetDraftCopy(copy))]
        var compose = state.compose(for: copy.leadId)
        if !compose.body.isEmpty {
            state.draftCopies.insert(DraftSnapshot(leadId: copy.leadId, content: compose.body.text, subject: compose.subject.text,
                                                   channel: compose.channel, savedAt: state.now, synced: false), at: index)
        }
        compose.body.replaceAll(copy.content)
        compose.subject.replaceAll(copy.subject ?? "")
        compose.channel = copy.channel
        state.composes[copy.leadId] = compose
        state.overlay = nil
        effects += jumpTo(leadId: copy.leadId, messageId: nil, state: &state)
        focus(.compose, state: &state)
        effects += edited(leadId: copy.leadId, state: &state)
        return effects
    }

    /// The open thread's newest failed outbound message; without one, a toast says there is
    /// nothing to `verb` (and nil comes back).
    static func lastFailedMessage(_ state: inout AppState, verb: String) -> (Message, clientId: String)? {
        guard let leadId = state.selectedLeadId,
              let failed = state.threads[leadId]?.messages.last(where: { $0.status == .failed && $0.direction == .outbound }),
              let clientId = failed.clientId
        else {
            state.toasts.push(Toast(text: "No failed message to \(verb) in this thread", kind: .info), now: state.now)
            return nil
        }
        return (failed, clientId)
    }

    /// `e` on a thread with a failed message: it leaves the outbox and comes back into compose to
    /// be changed and sent again. Text already in compose is kept aside in `:drafts`, not lost.
    static func editFailed(state: inout AppState) -> [AppEffect] {
        guard let (failed, clientId) = lastFailedMessage(&state, verb: "edit") else { return [] }
        let leadId = failed.leadId
        var compose = state.compose(for: leadId)
        if !compose.isEmpty {
            state.draftCopies.insert(DraftSnapshot(leadId: leadId, content: compose.body.text, subject: compose.subject.text,
                                                   channel: compose.channel, savedAt: state.now, synced: false), at: 0)
            state.toasts.push(Toast(text: "The text you had in compose is in :drafts", kind: .info), now: state.now)
        }
        compose.body.replaceAll(failed.body)
        compose.subject.replaceAll(failed.subject ?? "")
        compose.channel = failed.channel
        compose.field = .body
        state.composes[leadId] = compose
        state.threads[leadId]?.messages.removeAll { $0.id == failed.id }
        focus(.compose, state: &state)
        return [.backend(.withdraw(clientId: clientId))] + edited(leadId: leadId, state: &state)
    }
}
