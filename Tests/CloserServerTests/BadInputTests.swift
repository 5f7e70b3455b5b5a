import CloserCore
@testable import CloserServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@Suite("Bad input gets a clear 4xx and writes nothing")
struct BadInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let body: String
        let status: HTTPResponse.Status
        let code: String
        let field: String?
        var testDescription: String { name }
    }

    static let sendCases: [Case] = [
        Case(name: "malformed JSON", body: #"{"body": "hi", "#, status: .badRequest, code: "invalid_json", field: nil),
        Case(name: "not an object", body: #"[1, 2]"#, status: .badRequest, code: "invalid_field", field: nil),
        Case(name: "empty body", body: "", status: .badRequest, code: "invalid_json", field: nil),
        Case(name: "missing field", body: #"{"body":"hi","subject":"s","channel":"email"}"#, status: .badRequest, code: "invalid_field", field: "clientId"),
        Case(name: "wrong type", body: #"{"body":42,"subject":"s","channel":"email","clientId":"c"}"#, status: .badRequest, code: "invalid_field", field: "body"),
        Case(name: "null where a string goes", body: #"{"body":null,"subject":"s","channel":"email","clientId":"c"}"#, status: .badRequest, code: "invalid_field", field: "body"),
        Case(name: "unknown enum value", body: #"{"body":"hi","subject":"s","channel":"pigeon","clientId":"c"}"#, status: .badRequest, code: "invalid_field", field: "channel"),
        Case(name: "empty body text", body: #"{"body":"   ","subject":"s","channel":"email","clientId":"c"}"#, status: .badRequest, code: "invalid_field", field: "body"),
        Case(name: "NUL in text", body: #"{"body":"a\u0000b","subject":"s","channel":"email","clientId":"c"}"#, status: .badRequest, code: "invalid_field", field: "body"),
        Case(name: "newline in subject", body: #"{"body":"hi","subject":"a\r\nBcc: x@evil.example","channel":"email","clientId":"c"}"#, status: .badRequest, code: "invalid_field", field: "subject"),
        Case(name: "bad clientId", body: #"{"body":"hi","subject":"s","channel":"email","clientId":"has space"}"#, status: .badRequest, code: "invalid_field", field: "clientId"),
        Case(name: "oversized field", body: #"{"body":""# + String(repeating: "a", count: 100_001) + #"","subject":"s","channel":"email","clientId":"c"}"#,
             status: .contentTooLarge, code: "field_too_large", field: "body"),
    ]

    @Test("bad message sends", arguments: TestStore.available, sendCases)
    func badSends(store: TestStore, testCase: Case) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            let lead = try await server.createLead(rep)
            let response = try await server.request(.post, "/api/messages/\(lead.id)", token: rep.token, body: testCase.body)
            #expect(response.status == testCase.status)
            let detail = try server.errorDetail(response)
            #expect(detail.code == testCase.code)
            if let field = testCase.field { #expect(detail.field == field) }
            #expect(!detail.message.isEmpty)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(try await server.count("SELECT COUNT(*) AS n FROM messages") == 0)
            #expect(try await server.count("SELECT COUNT(*) AS n FROM activities WHERE kind = 'message_sent'") == 0)
        }
    }

    @Test("invalid UTF-8 is refused", arguments: TestStore.available)
    func invalidUTF8(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            let lead = try await server.createLead(rep)
            var bytes = Array(#"{"content":"caf"#.utf8)
            bytes += [0xC3, 0x28]
            bytes += Array(#"","channel":"email"}"#.utf8)
            let response = try await server.request(.post, "/api/drafts/\(lead.id)", token: rep.token, bytes: bytes)
            #expect(response.status == .badRequest)
            #expect(try server.errorDetail(response).code == "invalid_utf8")
            #expect(try await server.count("SELECT COUNT(*) AS n FROM message_drafts") == 0)
        }
    }

    @Test("a body over the limit gets 413", arguments: TestStore.available)
    func oversizedBody(store: TestStore) async throws {
        try await TestServer.run(store, configure: { $0.maxBodyBytes = 4096 }) { server in
            let rep = try await server.makeRep()
            let lead = try await server.createLead(rep)
            let response = try await server.request(.post, "/api/drafts/\(lead.id)", token: rep.token,
                                                    json: SaveDraftRequest(content: String(repeating: "x", count: 5000), channel: .email))
            #expect(response.status == .contentTooLarge)
            #expect(try server.errorDetail(response).code == "body_too_large")
            #expect(try await server.count("SELECT COUNT(*) AS n FROM message_drafts") == 0)
        }
    }

    @Test("invalid ids and query parameters name the field", arguments: TestStore.available)
    func invalidIdsAndQueries(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            for path in ["/api/leads/not-a-uuid", "/api/messages/123", "/api/drafts/%27%3B%20DROP%20TABLE%20leads"] {
                let response = try await server.request(.get, path, token: rep.token)
                #expect(response.status == .badRequest, "\(path)")
                #expect(try server.errorDetail(response).message.contains("must be a UUID"))
            }
            let queries = ["/api/leads?status=won": "status", "/api/leads?limit=0": "limit", "/api/leads?limit=9999": "limit",
                           "/api/leads?cursor=zzz": "cursor", "/api/events?after=-1": "after", "/api/dashboard/stats?window=x": "window"]
            for (path, field) in queries {
                let response = try await server.request(.get, path, token: rep.token)
                #expect(response.status == .badRequest, "\(path)")
                #expect(try server.errorDetail(response).field == field, "\(path)")
            }
            #expect(try await server.count("SELECT COUNT(*) AS n FROM leads") == 0)
        }
    }

    @Test("lead fields are validated and nothing is stored when one is wrong", arguments: TestStore.available)
    func leadValidation(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            let bad: [(String, String)] = [
                (#"{"name":""}"#, "name"),
                (#"{"name":"Dana","email":"not-an-email"}"#, "email"),
                (#"{"name":"Dana","instagram":"has space"}"#, "instagram"),
                (#"{"name":"Dana","phone":"call me"}"#, "phone"),
                (#"{"name":"Dana","valueCents":-5}"#, "valueCents"),
                (#"{"name":"Dana","status":"won"}"#, "status"),
                (#"{"name":"Dana\u001b[2J"}"#, "name"),
            ]
            for (body, field) in bad {
                let response = try await server.request(.post, "/api/leads", token: rep.token, body: body)
                #expect(response.status == .badRequest, "\(body)")
                #expect(try server.errorDetail(response).field == field, "\(body)")
            }
            #expect(try await server.count("SELECT COUNT(*) AS n FROM leads") == 0)
        }
    }

    @Test("error messages never echo what the client sent", arguments: TestStore.available)
    func noReflection(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            let hostile = "<script>alert(1)</script>"
            let responses = [
                try await server.request(.post, "/api/leads", token: rep.token, body: #"{"name":"x","status":"\#(hostile)"}"#),
                try await server.request(.get, "/api/leads?status=\(hostile.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", token: rep.token),
                try await server.request(.get, "/api/leads/\(hostile.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", token: rep.token),
            ]
            for response in responses {
                #expect(response.status.code >= 400 && response.status.code < 500)
                #expect(!String(buffer: response.body).contains("script"))
            }
        }
    }
}
