import CloserCore
import CloserTUI
import Foundation
import Synchronization

/// Events the fixture backend reports, queued until the loop picks them up, as `TerminalApp`
/// queues them behind its wake-up pipe.
final class EventQueue: Sendable {
    private let events = Mutex<[InboxEvent]>([])

    func append(_ event: InboxEvent) {
        events.withLock { $0.append(event) }
    }

    var isEmpty: Bool {
        events.withLock { $0.isEmpty }
    }

    func take() -> [InboxEvent] {
        events.withLock { queue in
            defer { queue.removeAll() }
            return queue
        }
    }
}

/// `TerminalApp`'s loop without the terminal: the real `FixtureBackend`, `Update` and `AppView`.
///
/// One `iterate` is one turn of the real loop: a tick, the new actions (keys, or the events the
/// backend queued during the previous turn), their effects carried out, one frame drawn. Like the
/// real loop, events a backend command reports synchronously (a thread page, a lead marked read)
/// are handled on the next turn, so a key that selects a lead gives two frames: the list moved
/// with the thread "Loading…", then the thread.
struct InProcessApp {
    var state: AppState
    let backend: FixtureBackend
    let queue: EventQueue
    /// The clock the loop's ticks read: fixed, advanced a millisecond a turn, so relative times
    /// ("2m") stay the same across iterations.
    private(set) var now: Date

    /// Starts the backend as `closer --fixture --fixture-size` does and handles its start-up
    /// events (session, leads, drafts, stats, analytics, activity, then the first thread).
    init(inbox: FixtureInbox, size: Size, now: Date) {
        var settings = AppSettings()
        settings.glyphs = .unicode
        settings.timeZone = .utc
        state = AppState(size: size, now: now, settings: settings)
        state.clientIdSeed = "bench"
        self.now = now
        let pageSize = max(200, inbox.threads.values.map(\.count).max() ?? 0)
        backend = FixtureBackend(inbox: inbox, pageSize: pageSize)
        let queue = EventQueue()
        self.queue = queue
        backend.start { queue.append($0) }
        settle()
    }

    /// One turn of the loop with `actions` (keys); returns the frame it draws.
    mutating func iterate(_ actions: [AppAction]) -> Frame {
        now += 0.001
        var all: [AppAction] = [.tick(now)]
        all += actions
        all += queue.take().map { AppAction.inbox($0) }
        for action in all {
            for effect in Update.apply(action, to: &state) {
                if case .backend(let command) = effect { backend.perform(command) }
            }
        }
        return AppView.render(state)
    }

    /// Whether the backend queued events that the next turn will handle.
    var hasQueuedWork: Bool { !queue.isEmpty }

    /// Turns the loop until nothing is queued; returns how many frames that drew.
    @discardableResult
    mutating func settle() -> Int {
        var frames = 0
        while hasQueuedWork {
            _ = iterate([])
            frames += 1
        }
        return frames
    }

    /// Applies keys without drawing, to move to a starting position.
    mutating func press(_ keys: KeyEvent...) {
        for key in keys {
            _ = iterate([.key(key)])
            settle()
        }
    }
}
