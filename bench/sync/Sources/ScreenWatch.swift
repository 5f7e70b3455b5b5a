import CloserCore
import CloserTUI
import Foundation
import Synchronization

/// Waits for one text to appear on the drawing client's screen, and records when its engine
/// reported the message and when the first frame showing it was presented.
///
/// Frames are searched on a queue of their own, not on the UI thread: the search (the text of
/// 10,000 cells) must not delay the next frame, which may be the one being timed.
final class ScreenWatch: Sendable {
    struct Outcome: Sendable {
        /// When the engine emitted the message with this body (`messageUpserted`), if it did.
        var eventAt: ContinuousClock.Instant?
        /// When the first frame containing the text was presented; nil after a timeout.
        var drawnAt: ContinuousClock.Instant?
    }

    private struct Expectation {
        var text: String
        var outcome = Outcome()
        var timedOut = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let expectation = Mutex<Expectation?>(nil)
    private let search = DispatchQueue(label: "bench.screen-search")

    /// Starts watching for `text`; call before the action that should make it appear.
    func expect(_ text: String) {
        expectation.withLock { $0 = Expectation(text: text) }
    }

    /// An event the drawing client's engine emitted (called on the engine's threads).
    func note(_ event: InboxEvent) {
        guard case .messageUpserted(let message) = event else { return }
        let at = ContinuousClock.now
        expectation.withLock { expected in
            if expected?.text == message.body, expected?.outcome.eventAt == nil { expected?.outcome.eventAt = at }
        }
    }

    /// A frame was presented at `at` (called on the UI thread).
    func presented(_ frame: Frame, at: ContinuousClock.Instant) {
        guard let text = expectation.withLock({ $0?.outcome.drawnAt == nil ? $0?.text : nil }) else { return }
        search.async { [self] in
            guard frame.textLines().contains(where: { $0.contains(text) }) else { return }
            let waiter = expectation.withLock { expected -> CheckedContinuation<Void, Never>? in
                // Frames are searched in the order they were presented: the first hit is the first frame.
                guard expected?.text == text, expected?.outcome.drawnAt == nil else { return nil }
                expected?.outcome.drawnAt = at
                defer { expected?.waiter = nil }
                return expected?.waiter
            }
            waiter?.resume()
        }
    }

    /// Waits until the expected text is drawn or `timeout` passes.
    func wait(timeout: Duration) async -> Outcome {
        let timer = Task { [self] in
            try? await Task.sleep(for: timeout)
            guard !Task.isCancelled else { return }
            let waiter = expectation.withLock { expected -> CheckedContinuation<Void, Never>? in
                expected?.timedOut = true
                defer { expected?.waiter = nil }
                return expected?.waiter
            }
            waiter?.resume()
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = expectation.withLock { expected -> Bool in
                guard let current = expected, current.outcome.drawnAt == nil, !current.timedOut else { return true }
                expected?.waiter = continuation
                return false
            }
            if done { continuation.resume() }
        }
        timer.cancel()
        return expectation.withLock { $0?.outcome ?? Outcome() }
    }
}
