import CNcursesw
import CTerminalSignals
import CloserCore
import Foundation
import Synchronization

/// Runs the application in a terminal: one thread owns ncurses and waits (`poll`) on the keyboard
/// and a wake-up pipe, with a timeout at the next timer. Everything else (the backend, signals)
/// talks to it by queueing actions and writing a byte to the pipe. An idle client sleeps in `poll`.
public final class TerminalApp: Sendable {
    /// How the app was set up from the command line and config.
    public struct Options: Sendable {
        public var settings: AppSettings
        public var theme: Theme
        public var themeName: String
        public var themeWarning: String?
        public var catalog: ThemeCatalog
        public var environment: [String: String]
        public var desktopNotifications: DesktopNotificationStyle

        public init(settings: AppSettings, theme: Theme, themeName: String, themeWarning: String?, catalog: ThemeCatalog,
                    environment: [String: String], desktopNotifications: DesktopNotificationStyle) {
            self.settings = settings
            self.theme = theme
            self.themeName = themeName
            self.themeWarning = themeWarning
            self.catalog = catalog
            self.environment = environment
            self.desktopNotifications = desktopNotifications
        }
    }

    private let backend: any InboxBackend
    private let options: Options
    private let wake: WakePipe
    private let queued = Mutex<[AppAction]>([])
    private let trace: TraceLog

    public init(backend: any InboxBackend, options: Options) throws {
        self.backend = backend
        self.options = options
        self.wake = try WakePipe()
        self.trace = TraceLog(environment: options.environment)
    }

    /// Queues an action from any thread and wakes the UI thread.
    public func send(_ action: AppAction) {
        queued.withLock { $0.append(action) }
        wake.wake()
    }

    /// Runs until the rep quits or a signal asks to stop. Call on a thread of its own: it blocks.
    public func run() {
        setlocale(LC_ALL, "")
        let signals = SignalWatcher(terminate: { [weak self] in self?.send(.terminate) },
                                    suspend: { [weak self] in self?.send(.suspend) })
        guard let window = TerminalSession.start() else {
            FileHandle.standardError.write(Data("closer: cannot initialise the terminal (is TERM set?)\n".utf8))
            return
        }
        defer {
            TerminalSession.stop()
            signals.cancel()
        }
        closer_install_resize_wakeup(wake.writeEnd)
        let depth = ColorDepth.detect(colors: Int(closer_colors()), hasRGBFlag: tigetflag("RGB") > 0, environment: options.environment)
        let screen = NcursesScreen(window: window, theme: options.theme, depth: depth)
        var state = AppState(size: screen.size, now: Date(), settings: options.settings, themeName: options.themeName)
        state.clientIdSeed = "tui-" + UUID().uuidString.prefix(8).lowercased()
        if let warning = options.themeWarning {
            state.toasts.push(Toast(text: warning, kind: .error), now: state.now)
        }
        var decoder = InputDecoder()
        backend.start { [weak self] event in self?.send(.inbox(event)) }
        trace.log("start")

        var running = true
        var ringBell = false
        render(&state, screen: screen, bell: &ringBell)
        while running {
            let timeout = Update.nextDeadline(state).map { max(0, Int($0.timeIntervalSinceNow * 1000) + 1) } ?? -1
            var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0), pollfd(fd: wake.readEnd, events: Int16(POLLIN), revents: 0)]
            _ = poll(&fds, 2, Int32(clamping: timeout))

            var actions: [AppAction] = [.tick(Date())]
            // The terminal is gone (the pty hung up, SIGHUP or not): poll would return at once for
            // ever. Leave as SIGHUP does, drafts flushed first.
            if fds[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 {
                trace.log("hangup")
                actions.append(.terminate)
            }
            // Read even when only the pipe woke us: a resize arrives as KEY_RESIZE from the next read.
            if fds[0].revents != 0 || fds[1].revents != 0 {
                for event in decoder.decode(TerminalSession.readInput(window)) {
                    switch event {
                    case .key(let key):
                        trace.log("key \(KeyName.format([key]))")
                        actions.append(.key(key))
                    case .paste(let text):
                        actions.append(.paste(text))
                    case .resize:
                        actions.append(.resize(screen.size))
                    case .mouse:
                        if let mouse = TerminalSession.readMouse() { actions.append(.mouse(mouse)) }
                    }
                }
            }
            if fds[1].revents != 0 {
                wake.drain()
                // A resize whose KEY_RESIZE ncurses has not produced (signals can coalesce under
                // load): compare with the terminal's real size and catch up.
                if TerminalSession.catchUpWithTerminalSize(window) {
                    actions.append(.resize(screen.size))
                }
            }
            actions += queued.withLock { queue in
                defer { queue.removeAll() }
                return queue
            }
            for action in actions {
                if case .inbox(let event) = action { trace.log("event \(Self.traceName(event))") }
                for effect in Update.apply(action, to: &state) {
                    running = perform(effect, state: &state, screen: screen, window: window, bell: &ringBell) && running
                }
            }
            if running { render(&state, screen: screen, bell: &ringBell) }
        }
        trace.log("quit")
    }

    private func render(_ state: inout AppState, screen: NcursesScreen, bell: inout Bool) {
        var frame = AppView.render(state)
        frame.bell = bell
        screen.present(frame)
        if bell { trace.log("bell") }
        if trace.isEnabled {
            trace.log("flush toast=\(state.toasts.current?.text ?? "")")
        }
        bell = false
    }

    /// Carries out one effect. Returns false when the app should stop.
    private func perform(_ effect: AppEffect, state: inout AppState, screen: NcursesScreen, window: CursesWindow, bell: inout Bool) -> Bool {
        switch effect {
        case .backend(let command):
            backend.perform(command)
        case .bell:
            bell = true
        case .desktopNotification(let title, let body):
            TerminalSession.writeDesktopNotification(title: title, body: body, style: options.desktopNotifications,
                                                     insideTmux: options.environment["TMUX"] != nil)
        case .openEditor(let leadId, let text):
            let result = ExternalEditor.edit(text, environment: options.environment)
            screen.invalidate()
            send(.editorFinished(leadId: leadId, text: result.text, error: result.error))
        case .loadTheme(let name):
            let (theme, warning) = options.catalog.load(name)
            screen.apply(theme: theme)
            send(.themeChanged(name: warning == nil ? name : "default", warning: warning))
        case .suspend:
            TerminalSession.suspend()
            // Continued (`fg`): the terminal may have changed size, and the shell drew over it.
            _ = TerminalSession.catchUpWithTerminalSize(window)
            state.size = screen.size
            screen.invalidate()
        case .redraw:
            screen.invalidate()
        case .quit:
            backend.flush(timeout: 3)
            backend.stop()
            return false
        }
        return true
    }

    private static func traceName(_ event: InboxEvent) -> String {
        switch event {
        case .notification(let notification, let replayed): "notification kind=\(notification.kind.rawValue) replayed=\(replayed)"
        case .messageUpserted(let message): "message id=\(message.id) direction=\(message.direction.rawValue) status=\(message.status.rawValue)"
        case .stats(let stats): "stats opens=\(stats.activityCounts.window.opens) received=\(stats.activityCounts.window.received) converted=\(stats.activityCounts.window.conversions)"
        case .draftSaved(let leadId, _, let synced): "draftSaved lead=\(leadId) synced=\(synced)"
        case .connection(let status): "connection \(status)"
        case .leads(let leads): "leads count=\(leads.count)"
        case .leadsPreview(let leads, let total): "preview leads count=\(leads.count) total=\(total)"
        case .thread(let leadId, let messages, _, _): "thread lead=\(leadId) count=\(messages.count)"
        default: "other"
        }
    }
}
