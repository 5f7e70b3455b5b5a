import SQLKit
import Synchronization

/// SQLite's one writer, with group commit: write transactions that queue up while another runs
/// share its transaction, and one COMMIT ends them all.
///
/// Each statement is a round trip to SQLite's thread, so a draft save (BEGIN, the upsert, the
/// offset bump, the event, COMMIT) spent two of its five trips on BEGIN and COMMIT. Under load the
/// writers queue anyway; here each one, when its turn comes, runs its body in the transaction its
/// predecessor left open and hands it on, and the last in line (or the one that fills the batch)
/// commits. Nobody returns before the COMMIT that makes their change durable.
///
/// The bodies stay where they are: every caller runs its own body in its own task, in turn, so a
/// body may capture whatever it likes. If a body throws, SQLite may hold part of what it wrote,
/// so the whole transaction is rolled back; the one that threw runs again at once on its own, and
/// the others that had joined it run again on their own afterwards. That keeps the outcome exactly
/// that of one transaction per write, including the unique-key races callers resolve by re-reading
/// the winner's row (the winner of a rolled-back batch may become the loser).
final class SQLiteGroupCommit: Sendable {
    /// How many writes share one transaction at most, so a steady stream of writers still commits.
    static let maximumBatch = 64

    private let db: StoreDatabase
    /// Transactions committed so far (each may hold several writes).
    let commits = Atomic<Int>(0)

    private let lane = AsyncSerialLane()
    /// The transaction the last writer left open for the next, with who is in it. Read and
    /// written only by the lane's holder.
    private let open = Mutex<Batch?>(nil)

    init(db: StoreDatabase) {
        self.db = db
    }

    /// Runs `body` in a transaction and returns once it has committed.
    func write<T: Sendable>(_ body: (StoreDatabase) async throws -> T) async throws -> T {
        await lane.acquire()
        switch try await writeInBatch(body) {
        case .committed(let result):
            return result
        case .failedInBatch:
            // The batch, with whatever part of this body SQLite had taken, was rolled back. Run
            // it again on its own, before anyone else, against what is really committed; what it
            // throws then is its own.
            return try await writeAlone(body, holdingLane: true)
        case .rolledBackByOther:
            return try await writeAlone(body, holdingLane: false)
        }
    }

    private enum Attempt<T> {
        case committed(T)
        /// This body threw after others had joined its transaction; the lane is still held.
        case failedInBatch
        /// A batch-mate's body threw and everything was rolled back; the lane was released.
        case rolledBackByOther
    }

    /// Runs `body` in the open transaction, or a new one, while holding the lane; then hands the
    /// transaction to the next writer or commits it. Throws, with the lane released, what BEGIN,
    /// COMMIT, or a body that ran first in its transaction threw.
    private func writeInBatch<T: Sendable>(_ body: (StoreDatabase) async throws -> T) async throws -> Attempt<T> {
        let batch: Batch
        let joined: Bool
        if let current = open.withLock({ $0 }) {
            batch = current
            joined = true
        } else {
            joined = false
            do {
                try await db.raw("BEGIN IMMEDIATE").run()
            } catch {
                lane.release()
                throw error
            }
            batch = Batch()
            open.withLock { $0 = batch }
        }
        let result: T
        do {
            result = try await body(db)
        } catch {
            try? await db.raw("ROLLBACK").run()
            open.withLock { $0 = nil }
            guard joined else {
                lane.release()
                throw error
            }
            batch.resolve(.retry)
            return .failedInBatch
        }
        let handOver = lane.hasWaiters && batch.size + 1 < Self.maximumBatch
        if !handOver { open.withLock { $0 = nil } }
        let outcome: Batch.Outcome
        if handOver {
            outcome = await batch.join { self.lane.release() }
        } else {
            outcome = await commit()
            batch.resolve(outcome)
            lane.release()
        }
        switch outcome {
        case .committed: return .committed(result)
        case .retry: return .rolledBackByOther
        case .failed(let error): throw error
        }
    }

    /// One write in a transaction of its own. A transaction left open for it is committed first.
    private func writeAlone<T: Sendable>(_ body: (StoreDatabase) async throws -> T, holdingLane: Bool) async throws -> T {
        if !holdingLane { await lane.acquire() }
        defer { lane.release() }
        if let current = open.withLock({ open -> Batch? in
            defer { open = nil }
            return open
        }) {
            current.resolve(await commit())
        }
        let result = try await Database.transaction(on: db, begin: "BEGIN IMMEDIATE", body)
        commits.add(1, ordering: .relaxed)
        return result
    }

    private func commit() async -> Batch.Outcome {
        do {
            try await db.raw("COMMIT").run()
            commits.add(1, ordering: .relaxed)
            return .committed
        } catch {
            try? await db.raw("ROLLBACK").run()
            return .failed(error)
        }
    }

    /// The writes sharing one open transaction, waiting for its end.
    private final class Batch: Sendable {
        enum Outcome: Sendable {
            case committed
            /// Someone's body failed and everything was rolled back: write again.
            case retry
            case failed(any Error)
        }

        private let members = Mutex<[CheckedContinuation<Outcome, Never>]>([])

        /// Writers whose bodies have run in this transaction and who wait for it to end.
        var size: Int { members.withLock { $0.count } }

        /// Waits for the transaction's end; `then` runs once this writer is counted in.
        func join(then: @Sendable () -> Void) async -> Outcome {
            await withCheckedContinuation { continuation in
                members.withLock { $0.append(continuation) }
                then()
            }
        }

        func resolve(_ outcome: Outcome) {
            for member in members.withLock({ members in
                defer { members = [] }
                return members
            }) {
                member.resume(returning: outcome)
            }
        }
    }
}
