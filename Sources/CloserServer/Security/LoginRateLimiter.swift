import Foundation
import Synchronization

/// Sliding-window limits on login attempts, per email and per client IP.
///
/// In memory and per instance: behind a load balancer with several instances the effective limit
/// is the per-instance limit times the number of instances (documented in README.md).
final class LoginRateLimiter: Sendable {
    private let limit: Int
    private let window: Duration
    private let attempts = Mutex<[String: [ContinuousClock.Instant]]>([:])

    init(limit: Int, window: Duration = .seconds(60)) {
        self.limit = limit
        self.window = window
    }

    /// Records an attempt for each key. Returns how long to wait when any key is over its limit,
    /// or nil when the attempt may go ahead.
    func attempt(keys: [String], now: ContinuousClock.Instant = .now) -> Duration? {
        attempts.withLock { attempts in
            if attempts.count > 50_000 { prune(&attempts, now: now) }
            var wait: Duration?
            for key in keys {
                var recent = (attempts[key] ?? []).filter { now - $0 < window }
                if recent.count >= limit, let oldest = recent.first {
                    let remaining = window - (now - oldest)
                    wait = max(wait ?? .zero, remaining)
                } else {
                    recent.append(now)
                }
                attempts[key] = recent
            }
            return wait
        }
    }

    private func prune(_ attempts: inout [String: [ContinuousClock.Instant]], now: ContinuousClock.Instant) {
        attempts = attempts.filter { _, times in times.contains { now - $0 < window } }
    }
}
