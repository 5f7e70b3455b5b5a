import CloserCore
import Hummingbird

/// `GET /api/dashboard/stats`, `/activity` and `/analytics`.
struct DashboardRoutes {
    let database: Database

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("dashboard/stats", use: stats)
        group.get("dashboard/activity", use: activity)
        group.get("dashboard/analytics", use: analytics)
    }

    @Sendable func stats(request: Request, context: AppRequestContext) async throws -> JSONResponse<DashboardStats> {
        let user = try context.requireUser()
        let window = try request.queryInt("window", default: 30, range: 1...365)
        return JSONResponse(try await database.read { db in
            try await StatsCalculator(db: db).stats(userId: user.id, windowDays: window)
        })
    }

    @Sendable func activity(request: Request, context: AppRequestContext) async throws -> JSONResponse<ActivityPage> {
        let user = try context.requireUser()
        let limit = try request.queryInt("limit", default: 50, range: 1...200)
        let before = try request.queryString("cursor").map { text -> Int in
            guard let id = Int(text), id > 0 else { throw APIError.invalid("cursor", "is not a cursor this server issued") }
            return id
        }
        let page = try await database.read { db in
            try await ActivityStore(db: db).page(userId: user.id, before: before, limit: limit)
        }
        return JSONResponse(ActivityPage(activities: page.activities, nextCursor: page.hasMore ? page.activities.last.map { String($0.id) } : nil))
    }

    @Sendable func analytics(request: Request, context: AppRequestContext) async throws -> JSONResponse<Analytics> {
        let user = try context.requireUser()
        let days = try request.queryInt("days", default: 14, range: 1...365)
        return JSONResponse(try await database.read { db in
            try await AnalyticsCalculator(db: db).analytics(userId: user.id, days: days)
        })
    }
}
