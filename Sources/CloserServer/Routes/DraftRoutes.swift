import CloserCore
import Hummingbird

/// `GET`, `POST` (upsert) and `DELETE /api/drafts/:leadId`.
struct DraftRoutes {
    let database: Database
    let inbox: Inbox
    let maxBodyBytes: Int

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("drafts/:leadId", use: show)
        group.post("drafts/:leadId", use: save)
        group.delete("drafts/:leadId", use: delete)
    }

    @Sendable func show(request: Request, context: AppRequestContext) async throws -> JSONResponse<Draft> {
        let user = try context.requireUser()
        let leadId = try InputValidation.id(context.parameters.require("leadId"), field: "leadId")
        return try await database.read { db in
            guard try await LeadStore(db: db).exists(id: leadId, userId: user.id) else { throw APIError.notFound("lead") }
            guard let draft = try await DraftStore(db: db).find(leadId: leadId, userId: user.id) else { throw APIError.notFound("draft") }
            return JSONResponse(draft)
        }
    }

    @Sendable func save(request: Request, context: AppRequestContext) async throws -> JSONResponse<Draft> {
        let user = try context.requireUser()
        let leadId = try InputValidation.id(context.parameters.require("leadId"), field: "leadId")
        var request = request
        let body = try await request.decodeJSON(SaveDraftRequest.self, limit: maxBodyBytes)
        return JSONResponse(try await inbox.saveDraft(body, leadId: leadId, user: user))
    }

    @Sendable func delete(request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let leadId = try InputValidation.id(context.parameters.require("leadId"), field: "leadId")
        try await inbox.deleteDraft(leadId: leadId, user: user)
        return Response(status: .noContent)
    }
}
