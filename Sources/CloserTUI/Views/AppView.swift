/// Draws the whole application state into a frame: immediate mode, every frame from scratch.
public enum AppView {
    public static func render(_ state: AppState) -> Frame {
        var frame = Frame(size: state.size)
        let layout = Layout.compute(state)
        if layout.mode == .tooSmall {
            drawTooSmall(state, into: &frame)
            return frame
        }
        if let rect = layout.leads { LeadListView.draw(state, in: rect, into: &frame) }
        if let rect = layout.thread { ThreadView.draw(state, in: rect, into: &frame) }
        if let rect = layout.compose { ComposeView.draw(state, in: rect, into: &frame) }
        if let rect = layout.sidebar { SidebarView.draw(state, in: rect, into: &frame) }
        StatusBarView.draw(state, in: layout.statusBar, into: &frame)
        let body = Rect(x: 0, y: 0, width: state.size.width, height: state.size.height - 1)
        OverlayView.draw(state, body: body, into: &frame)
        if state.overlay != nil, !isTextOverlay(state.overlay) { frame.cursor = nil }
        return frame
    }

    private static func isTextOverlay(_ overlay: Overlay?) -> Bool {
        if case .command = overlay { return true }
        return overlay == .sidebar
    }

    /// Under 40x10: a clear message rather than a broken layout.
    private static func drawTooSmall(_ state: AppState, into frame: inout Frame) {
        let lines = ["Terminal too small", "\(state.size.width)x\(state.size.height), need 40x10"]
        let top = max(0, (state.size.height - lines.count) / 2)
        for (offset, line) in lines.enumerated() {
            let shown = TextLayout.truncate(line, width: state.size.width)
            let x = max(0, (state.size.width - DisplayWidth.of(shown)) / 2)
            frame.text(shown, x: x, y: top + offset, role: offset == 0 ? .error : .dim)
        }
    }
}
