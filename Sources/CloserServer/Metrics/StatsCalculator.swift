import CloserCore
import Foundation
import SQLKit

/// Computes the dashboard KPIs. This is the one implementation of the formulas in README.md.
struct StatsCalculator {
    let db: StoreDatabase

    static let dayMillis: Int64 = 86_400_000

    func stats(userId: String, windowDays: Int, now: Date = Date()) async throws -> DashboardStats {
        let nowMillis = now.millis
        let start = nowMillis - Int64(windowDays) * Self.dayMillis
        let todayStart = nowMillis - nowMillis % Self.dayMillis

        let created = try await count("SELECT COUNT(*) AS n FROM leads WHERE user_id = \(bind: userId) AND created_at >= \(bind: start)")
        let converted = try await count("""
            SELECT COUNT(*) AS n FROM leads WHERE user_id = \(bind: userId) AND created_at >= \(bind: start) AND status = 'converted'
            """)

        let emails = try await db.raw("""
            SELECT COUNT(*) AS sent,
                   CAST(COALESCE(SUM(CASE WHEN opened_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS opened,
                   CAST(COALESCE(SUM(CASE WHEN clicked_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS clicked
            FROM messages
            WHERE user_id = \(bind: userId) AND direction = 'outbound' AND provider = 'email'
              AND status IN ('sent', 'delivered') AND created_at >= \(bind: start)
            """).first()
        let emailsSent = try emails?.int("sent") ?? 0
        let emailsOpened = try emails?.int("opened") ?? 0
        let emailsClicked = try emails?.int("clicked") ?? 0

        let window = try await tally(userId: userId, from: start)
        let today = try await tally(userId: userId, from: todayStart)

        let pipeline = try await db.raw("""
            SELECT CAST(COALESCE(SUM(CASE WHEN status NOT IN ('converted', 'lost') THEN value_cents ELSE 0 END), 0) AS BIGINT) AS open_cents,
                   CAST(COALESCE(SUM(CASE WHEN status = 'converted' THEN value_cents ELSE 0 END), 0) AS BIGINT) AS converted_cents
            FROM leads WHERE user_id = \(bind: userId)
            """).first()

        return DashboardStats(
            windowDays: windowDays,
            windowStart: Date(millis: start),
            computedAt: Date(millis: nowMillis),
            leadsCreated: created,
            leadsConverted: converted,
            conversionRate: Self.ratio(converted, created),
            responseTime: try await responseTime(userId: userId, from: start),
            emailsSent: emailsSent,
            openRate: Self.ratio(emailsOpened, emailsSent),
            clickRate: Self.ratio(emailsClicked, emailsSent),
            opens: .init(unique: emailsOpened, total: window.opens),
            clicks: .init(unique: emailsClicked, total: window.clicks),
            activityCounts: .init(today: today, window: window),
            pipelineValue: .init(openCents: try pipeline?.int("open_cents") ?? 0, convertedCents: try pipeline?.int("converted_cents") ?? 0)
        )
    }

    /// Messages sent and received, human opens and clicks, meetings booked and conversions since `from`.
    private func tally(userId: String, from: Int64) async throws -> DashboardStats.ActivityTally {
        let messages = try await db.raw("""
            SELECT CAST(COALESCE(SUM(CASE WHEN direction = 'outbound' AND status <> 'failed' THEN 1 ELSE 0 END), 0) AS BIGINT) AS sent,
                   CAST(COALESCE(SUM(CASE WHEN direction = 'inbound' THEN 1 ELSE 0 END), 0) AS BIGINT) AS received
            FROM messages WHERE user_id = \(bind: userId) AND created_at >= \(bind: from)
            """).first()
        let tracking = try await db.raw("""
            SELECT CAST(COALESCE(SUM(CASE WHEN kind = 'open' THEN 1 ELSE 0 END), 0) AS BIGINT) AS opens,
                   CAST(COALESCE(SUM(CASE WHEN kind = 'click' THEN 1 ELSE 0 END), 0) AS BIGINT) AS clicks
            FROM tracking_events WHERE user_id = \(bind: userId) AND machine = 0 AND at >= \(bind: from)
            """).first()
        let statuses = try await db.raw("""
            SELECT CAST(COALESCE(SUM(CASE WHEN tag = 'meeting_booked' THEN 1 ELSE 0 END), 0) AS BIGINT) AS meetings,
                   CAST(COALESCE(SUM(CASE WHEN tag = 'converted' THEN 1 ELSE 0 END), 0) AS BIGINT) AS conversions
            FROM activities WHERE user_id = \(bind: userId) AND kind = 'status_changed' AND at >= \(bind: from)
            """).first()
        return .init(
            sent: try messages?.int("sent") ?? 0,
            received: try messages?.int("received") ?? 0,
            opens: try tracking?.int("opens") ?? 0,
            clicks: try tracking?.int("clicks") ?? 0,
            meetingsBooked: try statuses?.int("meetings") ?? 0,
            conversions: try statuses?.int("conversions") ?? 0
        )
    }

    /// For each run of inbound messages on a lead, the time from the first of them to the rep's
    /// next outbound message. Runs still unanswered are not counted.
    private func responseTime(userId: String, from: Int64) async throws -> DashboardStats.ResponseTime {
        let rows = try await db.raw("""
            SELECT lead_id, direction, created_at FROM messages
            WHERE user_id = \(bind: userId) AND created_at >= \(bind: from)
            ORDER BY lead_id, created_at
            """).all()
        var samples: [Double] = []
        var currentLead: String?
        var waitingSince: Int64?
        for row in rows {
            let lead = try row.string("lead_id")
            if lead != currentLead {
                currentLead = lead
                waitingSince = nil
            }
            let at = try row.decode(column: "created_at", as: Int64.self)
            if try row.string("direction") == MessageDirection.inbound.rawValue {
                if waitingSince == nil { waitingSince = at }
            } else if let since = waitingSince {
                samples.append(Double(at - since) / 1000)
                waitingSince = nil
            }
        }
        return .init(medianSeconds: Self.median(samples), meanSeconds: samples.isEmpty ? nil : samples.reduce(0, +) / Double(samples.count), samples: samples.count)
    }

    private func count(_ sql: SQLQueryString) async throws -> Int {
        try await db.raw(sql).first()?.int("n") ?? 0
    }

    static func ratio(_ part: Int, _ whole: Int) -> Double {
        whole == 0 ? 0 : Double(part) / Double(whole)
    }

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
