import CloserCore
import Hummingbird

/// `GET /api/leads`, `POST /api/leads`, `GET /api/leads/:id`, `PATCH /api/leads/:id`.
struct LeadRoutes {
    let database: Database
    let inbox: Inbox
    let maxBodyBytes: Int

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("leads", use: list)
        group.post("leads", use: create)
        group.get("leads/:id", use: show)
        group.patch("leads/:id", use: update)
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> JSONResponse<LeadPage> {
        let user = try context.requireUser()
        let limit = try request.queryInt("limit", default: 50, range: 1...200)
        let status = try request.queryString("status").map { raw -> LeadStatus in
            guard let status = LeadStatus(rawValue: raw) else { throw APIError.invalid("status", "must be one of \(LeadStatus.acceptedValues)") }
            return status
        }
        let query = try request.queryString("q")
        let cursor = try request.queryString("cursor", maxLength: 400).map { text -> LeadCursor in
            guard let cursor = LeadCursor(encoded: text) else { throw APIError.invalid("cursor", "is not a cursor this server issued") }
            return cursor
        }
        let page = try await database.read { db in
            try await LeadStore(db: db).list(userId: user.id, status: status, query: query, after: cursor, limit: limit)
        }
        return JSONResponse(LeadPage(leads: page.leads, nextCursor: page.nextCursor?.encoded))
    }

    @Sendable func create(request: Request, context: AppRequestContext) async throws -> JSONResponse<Lead> {
        let user = try context.requireUser()
        var request = request
        let body = try await request.decodeJSON(CreateLeadRequest.self, limit: maxBodyBytes)
        return JSONResponse(try await inbox.createLead(body, user: user), status: .created)
    }

    @Sendable func show(request: Request, context: AppRequestContext) async throws -> JSONResponse<Lead> {
        let user = try context.requireUser()
        let id = try InputValidation.id(context.parameters.require("id"), field: "id")
        guard let lead = try await database.read({ db in try await LeadStore(db: db).find(id: id, userId: user.id) }) else {
            throw APIError.notFound("lead")
        }
        return JSONResponse(lead)
    }

    @Sendable func update(request: Request, context: AppRequestContext) async throws -> JSONResponse<Lead> {
        let user = try context.requireUser()
        let id = try InputValidation.id(context.parameters.require("id"), field: "id")
        var request = request
        let body = try await request.decodeJSON(UpdateLeadRequest.self, limit: maxBodyBytes)
        return JSONResponse(try await inbox.updateLead(id: id, body, user: user))
    }
}
