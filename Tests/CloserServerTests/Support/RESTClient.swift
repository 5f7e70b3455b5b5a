import AsyncHTTPClient
import CloserCore
import Foundation
import NIOCore
import NIOHTTP1

/// Plain HTTP calls to a `LiveServer`, as any API client would make them.
struct RESTClient: Sendable {
    let baseURL: String
    var token: String?

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    func call<Response: Decodable>(_ method: HTTPMethod, _ path: String, body: (some Encodable)? = nil as String?, as type: Response.Type) async throws -> Response {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try CloserJSON.encoder().encode(body)))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 1 << 24)
        guard (200..<300).contains(Int(response.status.code)) else {
            throw Failure(description: "\(method) \(path) answered \(response.status.code): \(String(buffer: bytes))")
        }
        return try CloserJSON.decoder().decode(Response.self, from: Data(bytes.readableBytesView))
    }

    func login(email: String, password: String) async throws -> RESTClient {
        let response = try await call(.POST, "/api/auth/login", body: LoginRequest(email: email, password: password), as: LoginResponse.self)
        return RESTClient(baseURL: baseURL, token: response.token)
    }

    func createLead(name: String = "Dana Kim", email: String = "dana@northwind.example") async throws -> Lead {
        try await call(.POST, "/api/leads", body: CreateLeadRequest(name: name, email: email), as: Lead.self)
    }

    func send(to leadId: String, body: String, clientId: String = UUID().uuidString) async throws -> Message {
        try await call(.POST, "/api/messages/\(leadId)", body: SendMessageRequest(body: body, subject: "Hello", channel: .email, clientId: clientId), as: Message.self)
    }

    func saveDraft(_ leadId: String, _ content: String) async throws -> Draft {
        try await call(.POST, "/api/drafts/\(leadId)", body: SaveDraftRequest(content: content, channel: .email), as: Draft.self)
    }
}
