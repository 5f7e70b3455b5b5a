import Synchronization

/// Runs async work one piece at a time, in arrival order.
///
/// SQLite allows one writer. Queuing writers here (`SQLiteGroupCommit`), instead of inside SQLite's
/// busy handler, keeps them from blocking the database thread pool, where a waiting writer could
/// starve the one that holds the lock of the thread it needs to commit. The event hub keeps each
/// rep's deliveries in order with one lane per rep.
final class AsyncSerialLane: Sendable {
    private struct State {
        var busy = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Runs `body` once every piece of work that arrived earlier has finished.
    func run<T>(_ body: () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    /// Whether work is waiting for the lane (read by its holder, so it only ever grows meanwhile).
    var hasWaiters: Bool { state.withLock { !$0.waiters.isEmpty } }

    /// Waits for the lane; every `acquire` is followed by exactly one `release`.
    func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let mustWait = state.withLock { state -> Bool in
                if state.busy {
                    state.waiters.append(continuation)
                    return true
                }
                state.busy = true
                return false
            }
            if !mustWait { continuation.resume() }
        }
    }

    func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.busy = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
