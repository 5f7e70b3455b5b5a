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
        // Two rows at most per entry; start early enough that the selected one is on screen.
        let selected = Update.selectedActivityIndex(state)
        let textWidth = max(1, inner.width - 8)
        func lines(_ entry: Activity) -> [String] {
            Array(TextLayout.wrap(TerminalSanitizer.sanitize(entry.summary, mode: .singleLine), width: textWidth).prefix(2))
        }
        var first = 0
        var rowsThroughSelected = state.activity[...selected].reduce(0) { $0 + max(1, lines($1).count) }
        while rowsThroughSelected > inner.height && first < selected {
            rowsThroughSelected -= max(1, lines(state.activity[first]).count)
            first += 1
        }
        var y = inner.y
        for (index, entry) in state.activity.enumerated().dropFirst(first) where y < inner.maxY {
            let top = y
            let time = Formatting.relative(entry.at, now: state.now, timeZone: state.settings.timeZone)
            frame.text(time, x: inner.x + 1, y: y, role: .leadTime, clip: inner)
            let entryLines = lines(entry)
            for line in entryLines where y < inner.maxY {
                frame.text(line, x: inner.x + 7, y: y, role: .text, clip: inner)
                y += 1
            }
            if entryLines.isEmpty { y += 1 }
            if focused && index == selected {
                frame.restyle(Rect(x: inner.x, y: top, width: inner.width, height: min(y, inner.maxY) - top), role: .selection)
            }
        }
    }
}
