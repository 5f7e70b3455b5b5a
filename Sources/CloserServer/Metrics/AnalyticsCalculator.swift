import CloserCore
import Foundation
import SQLKit

/// Daily series for the dashboard chart, one UTC day per point, oldest first, today included.
struct AnalyticsCalculator {
    let db: StoreDatabase

    func analytics(userId: String, days: Int, now: Date = Date()) async throws -> Analytics {
        let dayMillis = StatsCalculator.dayMillis
        let today = now.millis / dayMillis
        let firstDay = today - Int64(days - 1)
        let start = firstDay * dayMillis

        var series: [Int64: Analytics.Day] = [:]
        for day in firstDay...today {
            series[day] = Analytics.Day(date: Self.dateString(day: day))
        }
        func add(_ sql: SQLQueryString, _ apply: (inout Analytics.Day, Int) -> Void) async throws {
            for row in try await db.raw(sql).all() {
                let day = try row.decode(column: "day", as: Int64.self)
                guard series[day] != nil else { continue }
                apply(&series[day]!, try row.int("n"))
            }
        }
        let day: SQLQueryString = "\(literal: Int(dayMillis))"
        try await add("""
            SELECT created_at / \(day) AS day, COUNT(*) AS n FROM messages
            WHERE user_id = \(bind: userId) AND direction = 'outbound' AND status <> 'failed' AND created_at >= \(bind: start)
            GROUP BY created_at / \(day)
            """) { $0.sent = $1 }
        try await add("""
            SELECT created_at / \(day) AS day, COUNT(*) AS n FROM messages
            WHERE user_id = \(bind: userId) AND direction = 'outbound' AND status IN ('sent', 'delivered') AND created_at >= \(bind: start)
            GROUP BY created_at / \(day)
            """) { $0.delivered = $1 }
        try await add("""
            SELECT opened_at / \(day) AS day, COUNT(*) AS n FROM messages
            WHERE user_id = \(bind: userId) AND opened_at >= \(bind: start)
            GROUP BY opened_at / \(day)
            """) { $0.opened = $1 }
        try await add("""
            SELECT clicked_at / \(day) AS day, COUNT(*) AS n FROM messages
            WHERE user_id = \(bind: userId) AND clicked_at >= \(bind: start)
            GROUP BY clicked_at / \(day)
            """) { $0.clicked = $1 }
        try await add("""
            SELECT created_at / \(day) AS day, COUNT(*) AS n FROM messages
            WHERE user_id = \(bind: userId) AND direction = 'inbound' AND created_at >= \(bind: start)
            GROUP BY created_at / \(day)
            """) { $0.replied = $1 }
        try await add("""
            SELECT at / \(day) AS day, COUNT(*) AS n FROM activities
            WHERE user_id = \(bind: userId) AND kind = 'status_changed' AND tag = 'converted' AND at >= \(bind: start)
            GROUP BY at / \(day)
            """) { $0.converted = $1 }

        return Analytics(data: (firstDay...today).compactMap { series[$0] })
    }

    static func dateString(day: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(day) * 86_400)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }
}
