import CloserCore

/// The compose pane: recipient and channel, the subject for email, and the body editor.
enum ComposeView {
    static func draw(_ state: AppState, in rect: Rect, into frame: inout Frame) {
        let glyphs = state.settings.glyphs
        let focused = state.focus == .compose
        frame.box(rect, title: "Compose", role: focused ? .borderFocused : .border, titleRole: focused ? .titleFocused : .title, glyphs: glyphs)
        let inner = rect.inset(by: 1)
        guard !inner.isEmpty, let lead = state.selectedLead else { return }
        let compose = state.compose(for: lead.id)
        drawSaveIndicator(compose, state: state, rect: rect, into: &frame)

        var y = inner.y
        // Recipient and the channels this lead can be reached on, the current one highlighted.
        var x = frame.text("To ", x: inner.x, y: y, role: .fieldLabel, clip: inner)
        x = frame.text(TextLayout.truncate(TerminalSanitizer.sanitize(lead.name, mode: .singleLine), width: max(0, inner.width / 3), ellipsis: glyphs.ellipsis),
                       x: x, y: y, role: .emphasis, clip: inner)
        x = frame.text("  via ", x: x, y: y, role: .fieldLabel, clip: inner)
        for channel in lead.channels {
            let label = "\(glyphs.channel[channel.rawValue] ?? "") \(channel.rawValue)"
            x = frame.text(channel == compose.channel ? "[\(label)]" : " \(label) ", x: x, y: y, role: channel == compose.channel ? .channelSelected : .dim, clip: inner)
            x += 1
        }
        y += 1

        if compose.channel.hasSubject, y < inner.maxY {
            let labelEnd = frame.text("Subject ", x: inner.x, y: y, role: .fieldLabel, clip: inner)
            let fieldWidth = max(1, inner.maxX - labelEnd)
            if compose.subject.isEmpty && !(focused && compose.field == .subject) {
                frame.text("(required for email)", x: labelEnd, y: y, role: .placeholder, clip: inner)
            } else {
                frame.text(TextLayout.truncate(TerminalSanitizer.sanitize(compose.subject.text, mode: .singleLine), width: fieldWidth, ellipsis: ""),
                           x: labelEnd, y: y, role: .composeText, clip: inner)
            }
            if focused && compose.field == .subject {
                frame.cursor = (min(inner.maxX - 1, labelEnd + compose.subject.cursorPosition(width: 10_000).column), y)
            }
            y += 1
        }

        let body = Rect(x: inner.x, y: y, width: inner.width, height: inner.maxY - y)
        guard !body.isEmpty else { return }
        if compose.body.isEmpty {
            let placeholder = (compose.hasStoredDraft || !compose.subject.isEmpty ? "Continue draft" : "Type message") + glyphs.ellipsis
            frame.text(placeholder, x: body.x, y: body.y, role: .placeholder, clip: body)
            if focused && compose.field == .body { frame.cursor = (body.x, body.y) }
            return
        }
        let lines = TextLayout.wrap(compose.body.text, width: body.width)
        let cursor = compose.body.cursorPosition(width: body.width)
        // Keep the cursor's row visible.
        let top = max(0, min(cursor.row - body.height + 1, lines.count - body.height))
        for (offset, line) in lines.dropFirst(top).prefix(body.height).enumerated() {
            frame.text(line, x: body.x, y: body.y + offset, role: .composeText, clip: body)
        }
        if focused && compose.field == .body {
            frame.cursor = (min(body.maxX - 1, body.x + cursor.column), body.y + cursor.row - top)
        }
    }

    /// "Draft saved 14:02" / "Synced" on the pane's bottom border, driven by the save state.
    private static func drawSaveIndicator(_ compose: ComposeState, state: AppState, rect: Rect, into frame: inout Frame) {
        let zone = state.settings.timeZone
        let label: String
        switch compose.save {
        case .clean: return
        case .pending: label = " Editing\(state.settings.glyphs.ellipsis) "
        case .savedLocally(let at): label = " Draft saved \(Formatting.clock(at, timeZone: zone)) "
        case .synced(let at): label = " Draft saved \(Formatting.clock(at, timeZone: zone)) \(state.settings.glyphs.read) synced "
        }
        let width = DisplayWidth.of(label)
        guard rect.width > width + 4 else { return }
        frame.text(label, x: rect.maxX - width - 2, y: rect.maxY - 1, role: .draftSaved, clip: rect)
    }
}
