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
            "\(TerminalSanitizer.sanitize(lead.name, mode: .singleLine))\(glyphs.separator)\(lead.status.rawValue.replacing("_", with: " "))"
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

        let rows = visibleRows(state, thread: thread, lead: lead, height: inner.height, width: inner.width)
        // Short threads sit at the bottom, next to the compose pane, like any chat.
        let firstY = inner.y + max(0, inner.height - rows.count)
        for (offset, row) in rows.enumerated() {
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

    /// The rows on screen, oldest first, at most `height`.
    ///
    /// Near the bottom (the usual case) messages are laid out from the newest up until the view and
    /// the scroll are covered. Scrolled further up than two screens, with the thread's row counts
    /// measured (they are, once the rep scrolls), only the messages the view starts in are laid
    /// out, found by binary search: Home on a 5,000-message thread costs a screenful, not a thread.
    static func visibleRows(_ state: AppState, thread: ThreadState, lead: Lead, height: Int, width: Int) -> [ThreadLayout.Row] {
        let scroll = state.threadScroll.rowsFromBottom
        let older = ThreadLayout.Row(indent: 0, pieces: [(thread.loading ? "Loading older messages" + state.settings.glyphs.ellipsis : "Older messages: PgUp", .dim)], centered: true)
        if scroll > 2 * height, let counts = state.threadRowCount, counts.key == key(thread, leadId: lead.id, width: width) {
            // Row 0 is the "older messages" line when there are older pages, then the messages' rows.
            let extra = thread.hasMore ? 1 : 0
            let total = counts.rows + extra
            let end = max(0, total - min(scroll, max(0, total - height)))
            let start = max(0, end - height)
            var rows: [ThreadLayout.Row] = []
            if start < extra { rows.append(older) }
            let firstRow = max(0, start - extra)
            var index = counts.message(containing: firstRow)
            var skip = firstRow - counts.rowsBefore[index]
            while rows.count < end - start && index < thread.messages.count {
                let chunk = ThreadLayout.rows(for: thread.messages[index], previous: index > 0 ? thread.messages[index - 1] : nil,
                                              lead: lead, state: state, width: width)
                rows += chunk.dropFirst(skip).prefix(end - start - rows.count)
                skip = 0
                index += 1
            }
            return rows
        }

        let needed = height + scroll
        var chunks: [[ThreadLayout.Row]] = []
        var count = 0
        var index = thread.messages.count - 1
        while index >= 0 && count < needed {
            let chunk = ThreadLayout.rows(for: thread.messages[index], previous: index > 0 ? thread.messages[index - 1] : nil,
                                          lead: lead, state: state, width: width)
            count += chunk.count
            chunks.append(chunk)
            index -= 1
        }
        var rows: [ThreadLayout.Row] = []
        rows.reserveCapacity(count + 1)
        for chunk in chunks.reversed() { rows += chunk }
        if index < 0 && thread.hasMore { rows.insert(older, at: 0) }
        let end = max(0, rows.count - min(scroll, max(0, rows.count - height)))
        let start = max(0, end - height)
        return Array(rows[start..<end])
    }

    static func key(_ thread: ThreadState, leadId: String, width: Int) -> ThreadRowCount.Key {
        ThreadRowCount.Key(leadId: leadId, width: width, count: thread.messages.count,
                           firstId: thread.messages.first?.id, lastId: thread.messages.last?.id)
    }

    /// The thread's rows before each message at a width (for Home and for measuring scroll bounds).
    static func rowsBefore(_ state: AppState, leadId: String, width: Int) -> [Int] {
        guard let thread = state.threads[leadId] else { return [0] }
        let lead = state.lead(id: leadId)
        var before = [0]
        before.reserveCapacity(thread.messages.count + 1)
        for (index, message) in thread.messages.enumerated() {
            before.append(before[index] + ThreadLayout.rowCount(for: message, previous: index > 0 ? thread.messages[index - 1] : nil,
                                                                lead: lead, state: state, width: width))
        }
        return before
    }

    /// The thread's total rows, measured once and remembered in the state until the thread or the
    /// width changes, so scrolling a long thread lays it out once rather than on every key.
    static func totalRows(_ state: inout AppState, leadId: String, width: Int) -> Int {
        guard let thread = state.threads[leadId] else { return 0 }
        let key = key(thread, leadId: leadId, width: width)
        if let cached = state.threadRowCount, cached.key == key { return cached.rows }
        let counts = ThreadRowCount(key: key, rowsBefore: rowsBefore(state, leadId: leadId, width: width))
        state.threadRowCount = counts
        return counts.rows
    }
}
