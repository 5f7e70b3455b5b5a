import CloserCore

/// The lead list: two rows per lead (name line, preview line), newest activity first.
enum LeadListView {
    static let rowsPerLead = 2

    static func draw(_ state: AppState, in rect: Rect, into frame: inout Frame) {
        let glyphs = state.settings.glyphs
        let focused = state.focus == .leads
        let leads = state.visibleLeads
        frame.box(rect, title: title(state, count: leads.count), role: focused ? .borderFocused : .border,
                  titleRole: focused ? .titleFocused : .title, glyphs: glyphs)
        var inner = rect.inset(by: 1)
        if state.search != nil {
            let (searchRow, rest) = inner.splitTop(1)
            drawSearch(state, in: searchRow, into: &frame)
            inner = rest
        }
        guard !inner.isEmpty else { return }
        if leads.isEmpty {
            let message = state.leads.isEmpty ? "No leads yet" : "No lead matches"
            frame.text(message, x: inner.x + 1, y: inner.y, role: .dim, clip: inner)
            return
        }
        let capacity = max(1, inner.height / rowsPerLead)
        let top = clampedTop(state, visibleCount: leads.count, capacity: capacity)
        for (slot, lead) in leads[top..<min(leads.count, top + capacity)].enumerated() {
            let y = inner.y + slot * rowsPerLead
            drawRow(lead, state: state, selected: lead.id == state.selectedLeadId, focused: focused,
                    in: Rect(x: inner.x, y: y, width: inner.width, height: rowsPerLead), into: &frame)
        }
    }

    /// The first lead shown: the stored scroll position, moved just enough to keep the selection visible.
    static func clampedTop(_ state: AppState, visibleCount: Int, capacity: Int) -> Int {
        var top = min(max(0, state.leadListTop), max(0, visibleCount - capacity))
        if let id = state.selectedLeadId, let index = state.visibleIndex(of: id) {
            if index < top { top = index }
            if index >= top + capacity { top = index - capacity + 1 }
        }
        return top
    }

    private static func title(_ state: AppState, count: Int) -> String {
        // A large cache shows its top first; the count is the whole list's from the start.
        let total = state.statusFilter == nil && state.searchQuery == nil ? state.leadTotalHint ?? count : count
        var title = "Leads \(total)"
        if let filter = state.statusFilter { title += state.settings.glyphs.separator + filter.rawValue }
        if let query = state.searchQuery, !state.searchActive { title += state.settings.glyphs.separator + "/\(TerminalSanitizer.sanitize(query, mode: .singleLine))" }
        return title
    }

    private static func drawSearch(_ state: AppState, in row: Rect, into frame: inout Frame) {
        guard let search = state.search else { return }
        let x = frame.text("/", x: row.x, y: row.y, role: .commandLine, clip: row)
        frame.text(TerminalSanitizer.sanitize(search.text, mode: .singleLine), x: x, y: row.y, role: .commandLine, clip: row)
        if state.searchActive {
            let column = search.cursorPosition(width: max(1, row.width - 1)).column
            frame.cursor = (min(row.maxX - 1, x + column), row.y)
        }
    }

    private static func drawRow(_ lead: Lead, state: AppState, selected: Bool, focused: Bool, in rect: Rect, into frame: inout Frame) {
        let glyphs = state.settings.glyphs
        let flashing = (state.flashingLeads[lead.id].map { $0 > state.now }) ?? false
        let first = Rect(x: rect.x, y: rect.y, width: rect.width, height: 1)
        frame.text(glyphs.statusMarker, x: rect.x, y: rect.y, role: flashing ? .leadFlash : Role.status(lead.status.rawValue), clip: first)

        // Right side, drawn first so the name gets whatever is left: channel, unread badge, time.
        let time = lead.lastMessage.map { Formatting.relative($0.createdAt, now: state.now, timeZone: state.settings.timeZone) } ?? ""
        let channel = lead.lastMessage?.channel ?? AppState.preferredChannel(for: lead)
        let badge = lead.unreadCount > 0 ? "\(glyphs.unreadDot)\(lead.unreadCount > 99 ? "99+" : String(lead.unreadCount))" : ""
        let timeWidth = DisplayWidth.of(time)
        var right = rect.maxX - timeWidth
        frame.text(time, x: right, y: rect.y, role: .leadTime, clip: first)
        if !badge.isEmpty {
            right -= DisplayWidth.of(badge) + 1
            frame.text(badge, x: right, y: rect.y, role: .unreadBadge, clip: first)
        }
        let channelGlyph = glyphs.channel[channel.rawValue] ?? "?"
        right -= DisplayWidth.of(channelGlyph) + 1
        frame.text(channelGlyph, x: right, y: rect.y, role: .channelGlyph, clip: first)

        let nameRole: Role = flashing ? .leadFlash : lead.unreadCount > 0 ? .leadNameUnread : .leadName
        let nameWidth = max(0, right - rect.x - 3)
        let name = TextLayout.truncate(TerminalSanitizer.sanitize(lead.name, mode: .singleLine), width: nameWidth, ellipsis: glyphs.ellipsis)
        frame.text(name, x: rect.x + 2, y: rect.y, role: nameRole, clip: first)

        if rect.height > 1 {
            let second = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: 1)
            var preview = lead.lastMessage.map { message in
                (message.direction == .outbound ? "You: " : "") + TerminalSanitizer.sanitize(message.body, mode: .singleLine)
            } ?? TerminalSanitizer.sanitize(lead.email ?? "", mode: .singleLine)
            if let compose = state.composes[lead.id], !compose.body.isEmpty {
                preview = "Draft: " + TerminalSanitizer.sanitize(compose.body.text, mode: .singleLine)
            }
            frame.text(TextLayout.truncate(preview, width: max(0, rect.width - 3), ellipsis: glyphs.ellipsis),
                       x: rect.x + 2, y: rect.y + 1, role: .leadPreview, clip: second)
        }
        if selected {
            frame.restyle(Rect(x: rect.x + 1, y: rect.y, width: rect.width - 1, height: rect.height), role: focused ? .selection : .selectionUnfocused)
        }
    }
}
