import Dispatch
import Foundation

/// Turns SIGTERM, SIGHUP (an SSH connection dropping) and SIGINT into one callback, so the UI
/// thread saves drafts and restores the terminal instead of dying mid-frame.
final class SignalWatcher {
    private let sources: [any DispatchSourceSignal]

    init(_ handler: @escaping @Sendable () -> Void) {
        let queue = DispatchQueue(label: "closer.signals")
        sources = [SIGTERM, SIGHUP, SIGINT].map { number in
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
