import CloserCore
import Foundation

/// The bottom line: connection state, the rep, the current toast, and the way to help.
enum StatusBarView {
    static func draw(_ state: AppState, in rect: Rect, into frame: inout Frame) {
        frame.fill(rect, role: .statusBar)
        if case .command(let command) = state.overlay {
            drawCommandLine(command, in: rect, into: &frame)
            return
        }
        let glyphs = state.settings.glyphs
        let (label, role) = connectionLabel(state)
        var x = frame.text(" \(label) ", x: rect.x, y: rect.y, role: role, clip: rect)
        if let rep = state.rep {
            x = frame.text(" " + TerminalSanitizer.sanitize(rep.name, mode: .singleLine) + " ", x: x, y: rect.y, role: .statusBar, clip: rect)
        }
        let help = " ? help "
        let helpX = rect.maxX - DisplayWidth.of(help)
        let pending = state.pendingKeys.isEmpty ? "" : " " + KeyName.format(state.pendingKeys) + " "
        let right = frame.text(pending, x: helpX - DisplayWidth.of(pending), y: rect.y, role: .keyName, clip: rect)
        _ = right
        frame.text(help, x: helpX, y: rect.y, role: .statusBar, clip: rect)
        if let toast = state.toasts.current {
            let text = toast.count > 1 && toast.coalesceKey != nil ? toast.text : toast.text
            let available = max(0, helpX - DisplayWidth.of(pending) - x - 2)
            let role: Role = toast.kind == .alert ? .toastAlert : toast.kind == .error ? .error : .toast
            frame.text(" " + TextLayout.truncate(text, width: max(0, available - 2), ellipsis: glyphs.ellipsis) + " ", x: x + 1, y: rect.y, role: role, clip: rect)
        }
    }

    static func connectionLabel(_ state: AppState) -> (String, Role) {
        let glyphs = state.settings.glyphs
        let dot = glyphs.online
        let hollow = glyphs.offline
        if state.sessionExpired { return ("\(hollow) session expired: run closer login", .statusOffline) }
        switch state.connection {
        case .online: return ("\(dot) online", .statusOnline)
        case .local: return ("\(dot) local", .statusOnline)
        case .connecting(let retryAt):
            guard let retryAt else { return ("\(hollow) connecting\(glyphs.ellipsis)", .statusConnecting) }
            let seconds = max(0, Int(retryAt.timeIntervalSince(state.now).rounded(.up)))
            return ("\(hollow) connecting (retry in \(seconds)s)", .statusConnecting)
        case .offline(let reason):
            return ("\(hollow) offline: \(TerminalSanitizer.sanitize(reason, mode: .singleLine))", .statusOffline)
        }
    }

    private static func drawCommandLine(_ command: CommandLineState, in rect: Rect, into frame: inout Frame) {
        frame.fill(rect, role: .commandLine)
        let x = frame.text(":", x: rect.x, y: rect.y, role: .commandLine, clip: rect)
        frame.text(TerminalSanitizer.sanitize(command.editor.text, mode: .singleLine), x: x, y: rect.y, role: .commandLine, clip: rect)
        frame.cursor = (min(rect.maxX - 1, x + command.editor.cursorPosition(width: 10_000).column), rect.y)
    }
}
