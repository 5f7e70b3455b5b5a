import CloserCore
import Hummingbird

/// `GET /api/messages/:leadId`, `POST /api/messages/:leadId`, `POST /api/messages/:leadId/read`.
struct MessageRoutes {
    let database: Database
    let inbox: Inbox
    let maxBodyBytes: Int

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("messages/:leadId", use: thread)
        group.post("messages/:leadId", use: send)
        group.post("messages/:leadId/read", use: markRead)
    }

    @Sendable func thread(request: Request, context: AppRequestContext) async throws -> JSONResponse<MessagePage> {
        let user = try context.requireUser()
        let leadId = try InputValidation.id(context.parameters.require("leadId"), field: "leadId")
        let limit = try request.queryInt("limit", default: 100, range: 1...500)
        let beforeId = try request.queryString("before").map { try InputValidation.id($0, field: "before") }
        let page = try await database.read { db -> MessagePage in
            // A rep's messages are stored with the rep's id, so any message the scoped queries
            // find proves the lead is theirs; only when they find none is the lead looked up, to
            // tell a missing or foreign lead (404) from an empty thread or a wrong anchor.
            let leadIsTheirs = { try await LeadStore(db: db).exists(id: leadId, userId: user.id) }
            let messages = MessageStore(db: db)
            var before: (Int64, String)?
            if let beforeId {
                guard let anchor = try await messages.find(id: beforeId, userId: user.id), anchor.leadId == leadId else {
                    guard try await leadIsTheirs() else { throw APIError.notFound("lead") }
                    throw APIError.invalid("before", "is not a message of this thread")
                }
                before = (anchor.createdAt.millis, anchor.id)
            }
            let result = try await messages.thread(leadId: leadId, userId: user.id, before: before, limit: limit)
            if result.messages.isEmpty, before == nil, try await !leadIsTheirs() { throw APIError.notFound("lead") }
            return MessagePage(messages: result.messages, hasMore: result.hasMore)
        }
        return JSONResponse(page)
    }

    @Sendable func send(request: Request, context: AppRequestContext) async throws -> JSONResponse<Message> {
        let user = try context.requireUser()
        let leadId = try InputValidation.id(context.parameters.require("leadId"), field: "leadId")
        var request = request
        let body = try await request.decodeJSON(SendMessageRequest.self, limit: maxBodyBytes)
        let (message, created) = try await inbox.send(body, leadId: leadId, user: user)
        return JSONResponse(message, status: created ? .created : .ok)
    }

    @Sendable func markRead(request: Request, context: AppRequestContext) async throws -> JSONResponse<MarkReadResponse> {
        let user = try context.requireUser()
        let leadId = try InputValidation.id(context.parameters.require("leadId"), field: "leadId")
        return JSONResponse(MarkReadResponse(updated: try await inbox.markRead(leadId: leadId, user: user)))
    }
}
