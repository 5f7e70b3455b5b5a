import CloserCore
import Foundation

/// The conversation with the selected lead, newest at the bottom. Only the messages that reach the
/// visible rows are laid out, so a 5,000-message thread draws as fast as a short one.
enum ThreadView {
    static func draw(_ state: AppState, in rect: Rect, into frame: inout Frame) {
        let glyphs = state.settings.glyphs
        let focused = state.focus == .thread
        let lead = state.selectedLead
        let title = lead.map { lead in
            "\(TerminalSanitizer.sanitize(lead.name, mode: .singleLine))\(glyphs.separator)\(lead.status.rawValue.replacingOccurrences(of: "_", with: " "))"
        } ?? "Thread"
        frame.box(rect, title: title, role: focused ? .borderFocused : .border, titleRole: focused ? .titleFocused : .title, glyphs: glyphs)
        let inner = rect.inset(by: 1)
        guard !inner.isEmpty, let lead else {
            if !inner.isEmpty { frame.text("Select a lead", x: inner.x + 1, y: inner.y, role: .dim, clip: inner) }
            return
        }
        let thread = state.threads[lead.id] ?? ThreadState()
        if thread.messages.isEmpty {
            frame.text(thread.loaded ? "No messages yet" : "Loading" + glyphs.ellipsis, x: inner.x + 1, y: inner.y, role: .dim, clip: inner)
            return
        }

        // Lay out from the newest message up until the visible window (plus the scroll) is covered.
        let needed = inner.height + state.threadScroll.rowsFromBottom
        var chunks: [[ThreadLayout.Row]] = []
        var count = 0
        var index = thread.messages.count - 1
        while index >= 0 && count < needed {
            let message = thread.messages[index]
            let previous = index > 0 ? thread.messages[index - 1] : nil
            let chunk = ThreadLayout.rows(for: message, previous: previous, lead: lead, state: state, width: inner.width)
            count += chunk.count
            chunks.append(chunk)
            index -= 1
        }
        var rows: [ThreadLayout.Row] = []
        rows.reserveCapacity(count + 1)
        for chunk in chunks.reversed() { rows += chunk }
        let reachedTop = index < 0
        if reachedTop && thread.hasMore {
            rows.insert(ThreadLayout.Row(indent: 0, pieces: [(thread.loading ? "Loading older messages" + glyphs.ellipsis : "Older messages: PgUp", .dim)], centered: true), at: 0)
        }
        let end = max(0, rows.count - min(state.threadScroll.rowsFromBottom, max(0, rows.count - inner.height)))
        let start = max(0, end - inner.height)
        // Short threads sit at the bottom, next to the compose pane, like any chat.
        let firstY = inner.y + max(0, inner.height - (end - start))
        for (offset, row) in rows[start..<end].enumerated() {
            let y = firstY + offset
            var x = inner.x + row.indent
            if row.centered, let text = row.pieces.first?.0 {
                let label = " \(text) "
                let labelWidth = DisplayWidth.of(label)
                let left = inner.x + max(0, (inner.width - labelWidth) / 2)
                for column in inner.x..<inner.maxX { frame.text(glyphs.horizontal, x: column, y: y, role: .dateSeparator, clip: inner) }
                frame.text(label, x: left, y: y, role: row.pieces.first?.1 ?? .dim, clip: inner)
                continue
            }
            for (text, role) in row.pieces {
                x = frame.text(text, x: x, y: y, role: role, clip: inner)
            }
        }
        if !state.threadScroll.isFollowing {
            let marker = state.threadScroll.unseenCount > 0
                ? " \(glyphs.newBelow) \(state.threadScroll.unseenCount) new "
                : " \(glyphs.newBelow) End "
            let width = DisplayWidth.of(marker)
            frame.text(marker, x: inner.maxX - width - 1, y: inner.maxY - 1, role: .newMessagesMarker, clip: inner)
        }
    }

    /// The thread's rows at a width, all of them (for Home and for measuring scroll bounds).
    static func allRows(_ state: AppState, leadId: String, width: Int) -> Int {
        guard let thread = state.threads[leadId] else { return 0 }
        let lead = state.lead(id: leadId)
        var total = 0
        for (index, message) in thread.messages.enumerated() {
            total += ThreadLayout.rowCount(for: message, previous: index > 0 ? thread.messages[index - 1] : nil, lead: lead, state: state, width: width)
        }
        return total
    }

    /// `allRows`, remembered in the state until the thread or the width changes, so scrolling a
    /// long thread lays it out once rather than on every key.
    static func totalRows(_ state: inout AppState, leadId: String, width: Int) -> Int {
        guard let thread = state.threads[leadId] else { return 0 }
        let key = ThreadRowCount.Key(leadId: leadId, width: width, count: thread.messages.count,
                                     firstId: thread.messages.first?.id, lastId: thread.messages.last?.id)
        if let cached = state.threadRowCount, cached.key == key { return cached.rows }
        let rows = allRows(state, leadId: leadId, width: width)
        state.threadRowCount = ThreadRowCount(key: key, rows: rows)
        return rows
    }
}
