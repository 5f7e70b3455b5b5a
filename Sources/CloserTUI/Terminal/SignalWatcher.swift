import Dispatch
import Foundation

/// Turns signals into callbacks on a queue of their own, so the UI thread acts on them between
/// frames instead of a signal handler interrupting it mid-frame:
/// - SIGTERM, SIGHUP (an SSH connection dropping) and SIGINT: save drafts, restore the terminal, leave;
/// - SIGTSTP (Ctrl-Z): save drafts, restore the terminal, stop, and redraw on `fg`.
///
/// SIGTSTP is caught here rather than by ncurses' own handler, which does its curses work inside
/// the handler on whichever thread the signal lands on, racing the UI thread.
/// Create it before `initscr`: ncurses only installs its handler where the disposition is default.
final class SignalWatcher {
    private let sources: [any DispatchSourceSignal]

    init(terminate: @escaping @Sendable () -> Void, suspend: @escaping @Sendable () -> Void) {
        let queue = DispatchQueue(label: "closer.signals")
        let handlers: [(Int32, @Sendable () -> Void)] = [(SIGTERM, terminate), (SIGHUP, terminate), (SIGINT, terminate), (SIGTSTP, suspend)]
        sources = handlers.map { number, handler in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler(handler: handler)
            source.resume()
            return source
        }
        signal(SIGPIPE, SIG_IGN)
    }

    func cancel() {
        for source in sources { source.cancel() }
    }
}
