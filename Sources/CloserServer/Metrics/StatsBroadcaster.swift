import CloserCore
import Foundation
import Logging
import Synchronization

/// Sends `stats_updated` and `analytics_updated` after KPI-changing events, coalesced: at most one
/// pair per rep every `interval` (4 a second by default), and always a last one with the figures
/// as they are after the final change.
final class StatsBroadcaster: Sendable {
    private struct RepState {
        var lastEmit: ContinuousClock.Instant?
        var scheduled = false
        var dirty = false
    }

    private let database: Database
    private let committer: ChangeCommitter
    private let logger: Logger
    private let interval: Duration
    private let windowDays: Int
    private let analyticsDays: Int
    private let state = Mutex<[String: RepState]>([:])

    init(database: Database, committer: ChangeCommitter, logger: Logger, interval: Duration = .milliseconds(250), windowDays: Int = 30, analyticsDays: Int = 14) {
        self.database = database
        self.committer = committer
        self.logger = logger
        self.interval = interval
        self.windowDays = windowDays
        self.analyticsDays = analyticsDays
    }

    /// Notes that the rep's KPIs changed; an update goes out as soon as the rate allows.
    func invalidate(userId: String) {
        let delay: Duration? = state.withLock { state in
            var rep = state[userId] ?? RepState()
            defer { state[userId] = rep }
            if rep.scheduled {
                rep.dirty = true
                return nil
            }
            rep.scheduled = true
            guard let last = rep.lastEmit else { return .zero }
            return max(.zero, last + interval - .now)
        }
        guard let delay else { return }
        Task {
            if delay > .zero { try? await Task.sleep(for: delay) }
            await emit(userId: userId)
        }
    }

    private func emit(userId: String) async {
        state.withLock { $0[userId]?.dirty = false }
        do {
            let (stats, analytics) = try await database.read { db in
                (try await StatsCalculator(db: db).stats(userId: userId, windowDays: windowDays),
                 try await AnalyticsCalculator(db: db).analytics(userId: userId, days: analyticsDays))
            }
            try await committer.commit(userId: userId) { _, events in
                events.append(.statsUpdated(StatsUpdated(stats: stats, timestamp: stats.computedAt)))
                events.append(.analyticsUpdated(analytics))
            }
        } catch {
            logger.error("could not compute stats for a rep", metadata: ["error": "\(error)"])
        }
        let again = state.withLock { state -> Bool in
            state[userId]?.lastEmit = .now
            state[userId]?.scheduled = false
            return state[userId]?.dirty ?? false
        }
        if again { invalidate(userId: userId) }
    }
}
