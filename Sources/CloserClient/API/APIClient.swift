import CloserCore
import Foundation

/// Every REST endpoint of closer-server, typed: CloserCore's bodies in, CloserCore's types out,
/// error answers decoded into `APIClientError` with the server's message.
public struct APIClient: Sendable {
    public let baseURL: String
    public var token: String?
    private let http: CurlHTTPClient

    /// `baseURL` is the server's root, e.g. `https://closer.example.com` (a trailing `/` is fine).
    public init(baseURL: String, token: String? = nil, http: CurlHTTPClient) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.http = http
    }

    // MARK: Auth

    public func login(email: String, password: String) async throws -> LoginResponse {
        try await call("POST", "/api/auth/login", body: LoginRequest(email: email, password: password))
    }

    public func logout() async throws {
        try await callNoContent("POST", "/api/auth/logout")
    }

    public func me() async throws -> MeResponse {
        try await call("GET", "/api/me")
    }

    // MARK: Leads

    public func leads(status: LeadStatus? = nil, query: String? = nil, cursor: String? = nil, limit: Int? = nil) async throws -> LeadPage {
        try await call("GET", "/api/leads", query: [("status", status?.rawValue), ("q", query), ("cursor", cursor), ("limit", limit.map(String.init))])
    }

    /// Every lead of the rep, newest activity first, fetched page by page.
    public func allLeads(pageSize: Int = 200) async throws -> [Lead] {
        var leads: [Lead] = []
        var cursor: String?
        repeat {
            let page = try await self.leads(cursor: cursor, limit: pageSize)
            leads += page.leads
            cursor = page.nextCursor
        } while cursor != nil
        return leads
    }

    public func lead(id: String) async throws -> Lead {
        try await call("GET", "/api/leads/\(Self.segment(id))")
    }

    public func createLead(_ body: CreateLeadRequest) async throws -> Lead {
        try await call("POST", "/api/leads", body: body)
    }

    public func updateLead(id: String, _ body: UpdateLeadRequest) async throws -> Lead {
        try await call("PATCH", "/api/leads/\(Self.segment(id))", body: body)
    }

    // MARK: Messages

    /// The thread oldest-first; `before` pages backwards from a message id.
    public func thread(leadId: String, before: String? = nil, limit: Int? = nil) async throws -> MessagePage {
        try await call("GET", "/api/messages/\(Self.segment(leadId))", query: [("before", before), ("limit", limit.map(String.init))])
    }

    /// Idempotent on `clientId`: sending the same one again returns the message already stored.
    @discardableResult
    public func send(leadId: String, _ body: SendMessageRequest) async throws -> Message {
        try await call("POST", "/api/messages/\(Self.segment(leadId))", body: body)
    }

    public func markRead(leadId: String) async throws -> MarkReadResponse {
        try await call("POST", "/api/messages/\(Self.segment(leadId))/read")
    }

    // MARK: Drafts

    /// The rep's draft for a lead, or nil when there is none.
    public func draft(leadId: String) async throws -> Draft? {
        do {
            return try await call("GET", "/api/drafts/\(Self.segment(leadId))")
        } catch APIClientError.server(404, let detail) where detail.message.hasPrefix("draft") {
            return nil
        }
    }

    /// Saves when `baseVersion` is still the server's version; throws `.draftConflict` otherwise.
    public func saveDraft(leadId: String, _ body: SaveDraftRequest) async throws -> Draft {
        try await call("POST", "/api/drafts/\(Self.segment(leadId))", body: body)
    }

    public func deleteDraft(leadId: String) async throws {
        try await callNoContent("DELETE", "/api/drafts/\(Self.segment(leadId))")
    }

    // MARK: Dashboard and events

    public func stats() async throws -> DashboardStats {
        try await call("GET", "/api/dashboard/stats")
    }

    public func analytics() async throws -> Analytics {
        try await call("GET", "/api/dashboard/analytics")
    }

    public func activity(cursor: String? = nil) async throws -> ActivityPage {
        try await call("GET", "/api/dashboard/activity", query: [("cursor", cursor)])
    }

    /// The rep's event log after `offset`: the same replay the socket gives, over HTTP.
    public func events(after offset: Int, limit: Int? = nil) async throws -> EventsPage {
        try await call("GET", "/api/events", query: [("after", String(offset)), ("limit", limit.map(String.init))])
    }

    // MARK: Plumbing

    private func call<Answer: Decodable>(_ method: String, _ path: String, query: [(String, String?)] = []) async throws -> Answer {
        try decode(try await perform(method, path, query: query, body: nil))
    }

    private func call<Answer: Decodable>(_ method: String, _ path: String, body: some Encodable) async throws -> Answer {
        try decode(try await perform(method, path, query: [], body: try CloserJSON.encoder().encode(body)))
    }

    private func callNoContent(_ method: String, _ path: String) async throws {
        _ = try await perform(method, path, query: [], body: nil)
    }

    private func perform(_ method: String, _ path: String, query: [(String, String?)], body: Data?) async throws -> HTTPResponseData {
        var headers: [(name: String, value: String)] = [("Accept", "application/json")]
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        if body != nil { headers.append(("Content-Type", "application/json")) }
        let request = HTTPRequestSpec(method: method, url: baseURL + path + Self.queryString(query), headers: headers, body: body.map { [UInt8]($0) })
        let response: HTTPResponseData
        do {
            response = try await http.send(request)
        } catch let error as CurlError {
            throw APIClientError.transport(error)
        }
        switch response.status {
        case 200..<300:
            return response
        case 401:
            throw APIClientError.unauthorized
        case 409:
            if let conflict = try? CloserJSON.decoder().decode(DraftConflictBody.self, from: Data(response.body)) {
                throw APIClientError.draftConflict(current: conflict.draft)
            }
            throw APIClientError.server(status: 409, detail: Self.detail(response))
        default:
            throw APIClientError.server(status: response.status, detail: Self.detail(response))
        }
    }

    private func decode<Answer: Decodable>(_ response: HTTPResponseData) throws -> Answer {
        do {
            return try CloserJSON.decoder().decode(Answer.self, from: Data(response.body))
        } catch {
            throw APIClientError.invalidResponse(status: response.status, reason: "\(Answer.self) expected: \(error)")
        }
    }

    private static func detail(_ response: HTTPResponseData) -> APIErrorBody.Detail {
        if let body = try? CloserJSON.decoder().decode(APIErrorBody.self, from: Data(response.body)) { return body.error }
        return APIErrorBody.Detail(code: "http_\(response.status)", message: "the server answered HTTP \(response.status)", field: nil)
    }

    /// Ids come from the server, but a path segment is escaped all the same.
    private static func segment(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))) ?? value
    }

    private static func queryString(_ items: [(String, String?)]) -> String {
        let present = items.compactMap { name, value in value.map { (name, $0) } }
        guard !present.isEmpty else { return "" }
        let allowed = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+?#"))
        return "?" + present.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
    }
}
