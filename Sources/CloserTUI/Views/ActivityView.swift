import CloserCore

/// The live activity stream, newest first, with time and actor.
enum ActivityView {
    static func draw(_ state: AppState, in rect: Rect, into frame: inout Frame) {
        let glyphs = state.settings.glyphs
        let focused = state.focus == .sidebar
        frame.fill(rect, role: .background)
        frame.box(rect, title: "Activity", role: focused ? .borderFocused : .border, titleRole: focused ? .titleFocused : .title, glyphs: glyphs)
        let inner = rect.inset(by: 1)
        guard !inner.isEmpty else { return }
        if state.activity.isEmpty {
            frame.text("Nothing yet", x: inner.x + 1, y: inner.y, role: .dim, clip: inner)
            return
        }
        var y = inner.y
        for entry in state.activity where y < inner.maxY {
            let time = Formatting.relative(entry.at, now: state.now, timeZone: state.settings.timeZone)
            frame.text(time, x: inner.x + 1, y: y, role: .leadTime, clip: inner)
            let lines = TextLayout.wrap(TerminalSanitizer.sanitize(entry.summary, mode: .singleLine), width: max(1, inner.width - 8))
            for line in lines.prefix(2) where y < inner.maxY {
                frame.text(line, x: inner.x + 7, y: y, role: .text, clip: inner)
                y += 1
            }
        }
    }
}
