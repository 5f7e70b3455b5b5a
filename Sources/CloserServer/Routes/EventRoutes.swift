import CloserCore
import Hummingbird

/// `GET /api/events?after=OFFSET`: the socket's replay, over HTTP.
struct EventRoutes {
    let database: Database

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("events", use: events)
    }

    @Sendable func events(request: Request, context: AppRequestContext) async throws -> JSONResponse<EventsPage> {
        let user = try context.requireUser()
        let after = try request.queryInt("after", default: 0, range: 0...Int.max)
        let limit = try request.queryInt("limit", default: 500, range: 1...1000)
        return JSONResponse(try await database.read { db in
            let log = EventLogStore(db: db)
            let bounds = try await log.bounds(userId: user.id)
            guard after >= bounds.prunedThrough, after <= bounds.current else {
                return EventsPage(events: [], resync: true, currentOffset: bounds.current, hasMore: false)
            }
            let events = try await log.events(userId: user.id, after: after, limit: limit)
            let reached = events.last?.offset ?? after
            return EventsPage(events: events, resync: false, currentOffset: bounds.current, hasMore: reached < bounds.current)
        })
    }
}
