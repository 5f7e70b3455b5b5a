import CloserCore
import Foundation

extension Update {
    static func handleInbox(_ event: InboxEvent, state: inout AppState) -> [AppEffect] {
        switch event {
        case .session(let rep, let server):
            state.rep = rep
            state.server = server
            state.sessionExpired = false
            return []

        case .leadsPreview(let leads, let total):
            return showLeads(leads, total: total, state: &state)

        case .leads(let leads):
            return showLeads(leads, total: nil, state: &state)

        case .leadUpserted(let lead):
            var lead = lead
            if lead.id == state.selectedLeadId && threadIsVisible(state) && lead.unreadCount > 0 {
                // The rep is looking at this thread: it is read as it arrives.
                lead.unreadCount = 0
                state.upsertLead(lead)
                return [.backend(.markRead(leadId: lead.id))]
            }
            state.upsertLead(lead)
            return state.selectedLeadId == lead.id && state.threads[lead.id] == nil ? openedLead(state: &state) : []

        case .thread(let leadId, let messages, let hasMore, let replacing):
            var thread = state.threads[leadId] ?? ThreadState()
            if replacing {
                // Keep outbox messages the server does not know yet.
                let pending = thread.messages.filter { local in local.id.hasPrefix("local:") && !messages.contains { $0.clientId == local.clientId } }
                thread.messages = messages
                for message in pending { thread.upsert(message) }
                thread.hasMore = hasMore
            } else {
                for message in messages { thread.upsert(message) }
                thread.hasMore = hasMore
            }
            thread.loading = false
            thread.loaded = true
            state.threads[leadId] = thread
            if leadId == state.selectedLeadId, let pending = state.pendingJumpMessageId {
                scrollToMessage(pending, state: &state)
            }
            return []

        case .messageUpserted(let message):
            return messageArrived(message, state: &state)

        case .drafts(let drafts):
            for draft in drafts where state.composes[draft.leadId]?.autosaveDeadline == nil {
                var compose = ComposeState(body: draft.content, subject: draft.subject, channel: draft.channel, hasStoredDraft: true)
                compose.save = draft.synced ? .synced(draft.savedAt) : .savedLocally(draft.savedAt)
                state.composes[draft.leadId] = compose
            }
            return []

        case .draftSaved(let leadId, let savedAt, let synced):
            guard var compose = state.composes[leadId] else { return [] }
            if compose.autosaveDeadline == nil {
                compose.save = synced ? .synced(savedAt) : .savedLocally(savedAt)
            }
            compose.hasStoredDraft = !compose.isEmpty
            state.composes[leadId] = compose
            return []

        case .draftReplaced(let draft):
            if let compose = state.composes[draft.leadId], compose.autosaveDeadline != nil {
                // The rep is typing here (the save is still due): their text stays and goes up
                // next; the other device's is kept aside, as in any conflict.
                guard draft.content != compose.body.text || (draft.subject ?? "") != compose.subject.text else { return [] }
                return handleInbox(.draftConflict(leadId: draft.leadId, theirs: draft), state: &state)
            }
            var compose = state.compose(for: draft.leadId)
            let keepCursor = compose.body.text == TextEditor(text: draft.content).text
            if !keepCursor { compose.body.replaceAll(draft.content) }
            compose.subject.replaceAll(draft.subject ?? "")
            compose.channel = draft.channel
            compose.hasStoredDraft = !draft.content.isEmpty
            // Deleted elsewhere (sent from another device, or discarded): there is no draft to
            // call saved any more.
            compose.save = draft.content.isEmpty ? .clean : .synced(draft.savedAt)
            state.composes[draft.leadId] = compose
            return []

        case .draftCopies(let copies):
            state.draftCopies = copies + state.draftCopies.filter { !copies.contains($0) }
            return []

        case .draftConflict(let leadId, let theirs):
            guard !theirs.content.isEmpty else { return [] }
            state.draftCopies.insert(theirs, at: 0)
            let name = state.lead(id: leadId).map { TerminalSanitizer.sanitize($0.name, mode: .singleLine) } ?? "a lead"
            state.toasts.push(Toast(text: "Draft to \(name) changed on another device; yours is kept, theirs is in :drafts", kind: .alert), now: state.now)
            return []

        case .stats(let stats):
            if let previous = state.stats {
                state.changedKPIs = changedFigures(from: previous, to: stats)
                state.statsHighlightUntil = state.changedKPIs.isEmpty ? nil : state.now.addingTimeInterval(2)
            }
            state.stats = stats
            return []

        case .analytics(let analytics):
            state.analytics = analytics
            return []

        case .activity(let entries, let live):
            if live {
                let known = Set(state.activity.map(\.id))
                state.activity = (entries.filter { !known.contains($0.id) } + state.activity).sorted { $0.at > $1.at }
                if state.activity.count > 500 { state.activity.removeLast(state.activity.count - 500) }
            } else {
                state.activity = entries
            }
            return []

        case .notification(let notification, let replayed):
            return notify(notification, replayed: replayed, state: &state)

        case .replayFinished:
            return replaySummary(state: &state)

        case .connection(let status):
            state.connection = status
            if status == .online { state.sessionExpired = false }
            return []

        case .sessionExpired:
            state.sessionExpired = true
            state.toasts.push(Toast(text: "Session expired: run `closer login`. Your drafts are saved.", kind: .error), now: state.now)
            return []

        case .problem(let text):
            state.toasts.push(Toast(text: TerminalSanitizer.sanitize(text, mode: .singleLine), kind: .error), now: state.now)
            return []
        }
    }

    /// A new lead list (the whole one, or a large cache's newest with `total` for the title): the
    /// selection stays on its lead, and a newly selected lead's thread loads.
    static func showLeads(_ leads: [Lead], total: Int?, state: inout AppState) -> [AppEffect] {
        let before = state.selectedLeadId
        state.setLeads(leads)
        state.leadTotalHint = total
        return state.selectedLeadId != before || state.threads[state.selectedLeadId ?? ""] == nil ? openedLead(state: &state) : []
    }

    /// A new or changed message: into its thread (keeping the rep's scroll position), and into the
    /// lead list (order, preview, unread badge).
    static func messageArrived(_ message: Message, state: inout AppState) -> [AppEffect] {
        var effects: [AppEffect] = []
        let viewing = message.leadId == state.selectedLeadId && threadIsVisible(state)
        var thread = state.threads[message.leadId] ?? ThreadState()
        let isNew = thread.upsert(message)
        if viewing && isNew && !state.threadScroll.isFollowing, let layout = Layout.compute(state).thread {
            // Scrolled up: stay on the same rows, and count what arrived below.
            let index = thread.messages.firstIndex { $0.id == message.id } ?? 0
            let rows = ThreadLayout.rowCount(for: message, previous: index > 0 ? thread.messages[index - 1] : nil,
                                             lead: state.lead(id: message.leadId), state: state, width: max(1, layout.width - 2))
            state.threadScroll.rowsFromBottom += rows
            state.threadScroll.unseenCount += 1
        }
        state.threads[message.leadId] = thread

        state.modifyLead(id: message.leadId) { lead in
            if let last = lead.lastMessage, last.id == message.id || (message.clientId != nil && last.clientId == message.clientId) {
                lead.lastMessage = message
            } else if (lead.lastMessage?.createdAt ?? .distantPast) <= message.createdAt {
                lead.lastMessage = message
            }
            if message.createdAt > lead.lastActivityAt { lead.lastActivityAt = message.createdAt }
            if isNew && message.direction == .inbound && !message.isRead && !viewing {
                lead.unreadCount += 1
            }
        }
        if viewing && isNew && message.direction == .inbound && !message.isRead {
            effects.append(.backend(.markRead(leadId: message.leadId)))
            markThreadRead(leadId: message.leadId, state: &state)
        }
        return effects
    }

    /// The KPI keys whose figures differ, for the brief highlight.
    static func changedFigures(from old: DashboardStats, to new: DashboardStats) -> Set<String> {
        var changed: Set<String> = []
        if old.conversionRate != new.conversionRate { changed.insert("conversionRate") }
        if old.responseTime.medianSeconds != new.responseTime.medianSeconds { changed.insert("responseTime") }
        if old.openRate != new.openRate { changed.insert("openRate") }
        if old.clickRate != new.clickRate { changed.insert("clickRate") }
        if old.pipelineValue.openCents != new.pipelineValue.openCents { changed.insert("pipeline") }
        if old.pipelineValue.convertedCents != new.pipelineValue.convertedCents { changed.insert("won") }
        for (prefix, a, b) in [("today", old.activityCounts.today, new.activityCounts.today), ("window", old.activityCounts.window, new.activityCounts.window)] {
            if a.sent != b.sent { changed.insert("\(prefix).sent") }
            if a.received != b.received { changed.insert("\(prefix).received") }
            if a.opens != b.opens { changed.insert("\(prefix).opens") }
            if a.clicks != b.clicks { changed.insert("\(prefix).clicks") }
            if a.meetingsBooked != b.meetingsBooked { changed.insert("\(prefix).meetings") }
            if a.conversions != b.conversions { changed.insert("\(prefix).won") }
        }
        return changed
    }
}
