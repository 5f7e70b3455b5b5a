import CloserCore
import Foundation

/// Windows over the panels: help, notification history, kept-aside drafts, and command completions.
enum OverlayView {
    static func draw(_ state: AppState, body: Rect, into frame: inout Frame) {
        switch state.overlay {
        case .help(let scroll): drawHelp(state, scroll: scroll, body: body, into: &frame)
        case .notifications(let selected): drawNotifications(state, selected: selected, body: body, into: &frame)
        case .drafts(let selected): drawDrafts(state, selected: selected, body: body, into: &frame)
        case .command(let command): drawCompletions(command, state: state, body: body, into: &frame)
        case .sidebar, nil: break
        }
    }

    /// The help lines, generated from the live keymap so they are never out of date.
    static func helpLines(_ state: AppState) -> [(String, String, Role)] {
        var lines: [(String, String, Role)] = []
        for context in KeyContext.allCases {
            lines.append((context == .navigation ? "Navigation" : "Compose", "", .title))
            for (keys, action) in state.settings.keymap.helpLines(context: context) {
                lines.append((keys, action.summary, .keyName))
            }
            lines.append(("", "", .text))
        }
        return lines
    }

    private static func window(_ body: Rect, width: Int, height: Int, title: String, into frame: inout Frame, glyphs: Glyphs) -> Rect {
        let rect = body.centered(width: width, height: height)
        frame.fill(rect, role: .overlay)
        frame.box(rect, title: title, role: .overlayBorder, titleRole: .titleFocused, glyphs: glyphs)
        return rect.inset(by: 1)
    }

    private static func drawHelp(_ state: AppState, scroll: Int, body: Rect, into frame: inout Frame) {
        let lines = helpLines(state)
        let inner = window(body, width: 76, height: body.height - 2, title: "Keys\(state.settings.glyphs.separator)Esc closes", into: &frame, glyphs: state.settings.glyphs)
        guard !inner.isEmpty else { return }
        let keyWidth = min(26, inner.width / 3)
        for (offset, line) in lines.dropFirst(min(scroll, max(0, lines.count - inner.height))).prefix(inner.height).enumerated() {
            let y = inner.y + offset
            if line.2 == .title {
                frame.text(line.0, x: inner.x + 1, y: y, role: .title, clip: inner)
                continue
            }
            frame.text(TextLayout.truncate(line.0, width: keyWidth - 1), x: inner.x + 1, y: y, role: .keyName, clip: inner)
            frame.text(line.1, x: inner.x + 1 + keyWidth, y: y, role: .overlay, clip: inner)
        }
    }

    private static func drawNotifications(_ state: AppState, selected: Int, body: Rect, into frame: inout Frame) {
        let inner = window(body, width: 80, height: body.height - 2, title: "Notifications\(state.settings.glyphs.separator)Enter opens\(state.settings.glyphs.separator)Esc closes", into: &frame, glyphs: state.settings.glyphs)
        guard !inner.isEmpty else { return }
        if state.notificationHistory.isEmpty {
            frame.text("No notifications yet", x: inner.x + 1, y: inner.y, role: .dim, clip: inner)
            return
        }
        let top = max(0, min(selected - inner.height + 1, state.notificationHistory.count - inner.height))
        for (offset, entry) in state.notificationHistory.dropFirst(top).prefix(inner.height).enumerated() {
            let y = inner.y + offset
            let time = Formatting.relative(entry.notification.at, now: state.now, timeZone: state.settings.timeZone)
            let row = Rect(x: inner.x, y: y, width: inner.width, height: 1)
            frame.text(TextLayout.pad(time, width: 10), x: inner.x + 1, y: y, role: .leadTime, clip: inner)
            frame.text(NotificationText.summary(entry), x: inner.x + 12, y: y, role: .overlay, clip: inner)
            if top + offset == selected { frame.restyle(row, role: .selection) }
        }
    }

    private static func drawDrafts(_ state: AppState, selected: Int, body: Rect, into frame: inout Frame) {
        let inner = window(body, width: 80, height: min(body.height - 2, 14), title: "Drafts kept from other devices\(state.settings.glyphs.separator)Enter restores", into: &frame, glyphs: state.settings.glyphs)
        guard !inner.isEmpty else { return }
        if state.draftCopies.isEmpty {
            frame.text("No conflicting drafts", x: inner.x + 1, y: inner.y, role: .dim, clip: inner)
            return
        }
        for (offset, copy) in state.draftCopies.prefix(inner.height).enumerated() {
            let y = inner.y + offset
            let name = state.lead(id: copy.leadId).map { TerminalSanitizer.sanitize($0.name, mode: .singleLine) } ?? "Unknown lead"
            let text = "\(name): " + TerminalSanitizer.sanitize(copy.content, mode: .singleLine)
            frame.text(TextLayout.truncate(text, width: inner.width - 2), x: inner.x + 1, y: y, role: .overlay, clip: inner)
            if offset == selected { frame.restyle(Rect(x: inner.x, y: y, width: inner.width, height: 1), role: .selection) }
        }
    }

    private static func drawCompletions(_ command: CommandLineState, state: AppState, body: Rect, into frame: inout Frame) {
        guard !command.completions.isEmpty else { return }
        let shown = command.completions.prefix(8)
        let width = min(body.width, (shown.map { DisplayWidth.of($0) }.max() ?? 10) + 4)
        let rect = Rect(x: body.x, y: body.maxY - shown.count, width: width, height: shown.count)
        frame.fill(rect, role: .overlay)
        for (offset, completion) in shown.enumerated() {
            frame.text(completion, x: rect.x + 2, y: rect.y + offset, role: offset == 0 ? .match : .overlay, clip: rect)
        }
    }
}
