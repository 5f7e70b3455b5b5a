import CloserCore
@testable import CloserServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@Suite("Sign-in and tokens")
struct AuthTests {
    @Test("a rep signs in, sees themself, and signs out", arguments: TestStore.available)
    func loginMeLogout(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep("Rita Rep")
            #expect(rep.token.hasPrefix("clo_"))

            let me = try await server.request(.get, "/api/me", token: rep.token)
            #expect(me.status == .ok)
            let body = try server.decode(MeResponse.self, me)
            #expect(body.user.email == rep.user.email)
            #expect(body.user.name == "Rita Rep")

            #expect(try await server.request(.post, "/api/auth/logout", token: rep.token).status == .noContent)
            #expect(try await server.request(.get, "/api/me", token: rep.token).status == .unauthorized)
        }
    }

    @Test("a wrong password and an unknown email answer the same 401", arguments: TestStore.available)
    func wrongCredentials(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            let wrong = try await server.request(.post, "/api/auth/login", json: LoginRequest(email: rep.user.email, password: "nope nope nope"))
            let unknown = try await server.request(.post, "/api/auth/login", json: LoginRequest(email: "nobody@closer.example", password: "nope nope nope"))
            #expect(wrong.status == .unauthorized)
            #expect(unknown.status == .unauthorized)
            #expect(try server.errorDetail(wrong) == server.errorDetail(unknown))
        }
    }

    @Test("email is matched without regard to case or surrounding spaces", arguments: TestStore.available)
    func emailCase(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            let response = try await server.request(.post, "/api/auth/login", json: LoginRequest(email: "  " + rep.user.email.uppercased(), password: rep.password))
            #expect(response.status == .ok)
        }
    }

    @Test("everything under /api except login needs a valid token", arguments: TestStore.available)
    func unauthorizedEverywhere(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let id = UUID().uuidString.lowercased()
            let routes: [(HTTPRequest.Method, String)] = [
                (.get, "/api/me"), (.get, "/api/leads"), (.post, "/api/leads"), (.patch, "/api/leads/\(id)"),
                (.get, "/api/messages/\(id)"), (.post, "/api/messages/\(id)"), (.post, "/api/messages/\(id)/read"),
                (.get, "/api/drafts/\(id)"), (.post, "/api/drafts/\(id)"), (.delete, "/api/drafts/\(id)"),
                (.get, "/api/dashboard/stats"), (.get, "/api/dashboard/activity"), (.get, "/api/dashboard/analytics"),
                (.get, "/api/events?after=0"), (.post, "/api/auth/logout"),
            ]
            for (method, path) in routes {
                for token in [nil, "clo_forged", "not-a-token", String(repeating: "x", count: 5000)] as [String?] {
                    let response = try await server.request(method, path, token: token, body: "{}")
                    #expect(response.status == .unauthorized, "\(method) \(path) with \(token ?? "no token")")
                    #expect(try server.errorDetail(response).code == "unauthorized")
                }
            }
        }
    }

    @Test("tokens are stored only as SHA-256 and passwords only as bcrypt", arguments: TestStore.available)
    func storedSecrets(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            let rows = try await server.database.read { db in
                try await db.raw("SELECT token_hash FROM api_tokens").all().map { try $0.decode(column: "token_hash", as: String.self) }
            }
            #expect(rows == [SecureToken.hash(rep.token)])
            #expect(!rows.contains(rep.token))
            let hash = try await server.database.read { db in
                try await db.raw("SELECT password_hash FROM users").first()?.decode(column: "password_hash", as: String.self)
            }
            #expect(hash?.hasPrefix("$2") == true)
            #expect(hash?.contains(rep.password) == false)
        }
    }

    @Test("login is limited to 10 a minute per email, then 429 with Retry-After")
    func rateLimit() async throws {
        try await TestServer.run(.sqlite) { server in
            let rep = try await server.makeRep()
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<11 {
                let response = try await server.request(.post, "/api/auth/login", json: LoginRequest(email: rep.user.email, password: "wrong password"))
                statuses.append(response.status)
                if response.status == .tooManyRequests {
                    #expect(Int(response.headers[.retryAfter] ?? "") ?? 0 > 0)
                    #expect(try server.errorDetail(response).code == "rate_limited")
                }
            }
            // makeRep's own login was the first attempt; nine more fit, the tenth is refused.
            #expect(statuses.prefix(9).allSatisfy { $0 == .unauthorized })
            #expect(statuses.last == .tooManyRequests)
            // Even the right password is refused while limited.
            let right = try await server.request(.post, "/api/auth/login", json: LoginRequest(email: rep.user.email, password: rep.password))
            #expect(right.status == .tooManyRequests)
        }
    }

    @Test("login is limited per IP too, and behind a trusted proxy per client address", arguments: TestStore.available)
    func rateLimitPerIP(store: TestStore) async throws {
        try await TestServer.run(store, configure: { $0.tracking.trustedProxies = ["127.0.0.1", "::1"] }) { server in
            func login(_ email: String, from address: String) async throws -> HTTPResponse.Status {
                let body = String(decoding: try CloserJSON.encoder().encode(LoginRequest(email: email, password: "wrong password")), as: UTF8.self)
                return try await server.request(.post, "/api/auth/login", body: body, headers: [.forwardedFor: address]).status
            }
            // Ten different emails from one address: the eleventh attempt is refused by the IP key.
            var statuses: [HTTPResponse.Status] = []
            for index in 0..<11 { statuses.append(try await login("guess\(index)@example.com", from: "203.0.113.7")) }
            #expect(statuses.prefix(10).allSatisfy { $0 == .unauthorized })
            #expect(statuses.last == .tooManyRequests)
            // Another rep behind the same proxy is not locked out with them.
            #expect(try await login("someone@example.com", from: "198.51.100.20") == .unauthorized)
        }
    }

    @Test("an unknown email is checked against a decoy hash at the server's own cost, like a wrong password")
    func decoyCost() async throws {
        for cost: UInt8 in [4, 6] {
            let hasher = PasswordHasher(cost: cost)
            #expect(try await hasher.verify("anything", hash: nil) == false)
            // "$2b$06$…": the same work as a real rep's hash, so timing does not tell the two apart.
            let decoy = try await hasher.decoy()
            #expect(decoy.split(separator: "$").dropFirst().first.map(String.init) == String(format: "%02d", cost))
        }
    }

    @Test("the limiter counts per key and forgets after the window")
    func limiterWindow() {
        let limiter = LoginRateLimiter(limit: 2, window: .seconds(60))
        let start = ContinuousClock.now
        #expect(limiter.attempt(keys: ["a"], now: start) == nil)
        #expect(limiter.attempt(keys: ["a"], now: start) == nil)
        #expect(limiter.attempt(keys: ["a"], now: start) != nil)
        #expect(limiter.attempt(keys: ["b"], now: start) == nil)
        #expect(limiter.attempt(keys: ["a"], now: start + .seconds(61)) == nil)
    }

    @Test("constant-time comparison agrees with ==")
    func constantTime() {
        #expect(SecureToken.constantTimeEquals("abc", "abc"))
        #expect(!SecureToken.constantTimeEquals("abc", "abd"))
        #expect(!SecureToken.constantTimeEquals("abc", "abcd"))
        #expect(SecureToken.newAPIToken() != SecureToken.newAPIToken())
        #expect(SecureToken.newAPIToken().count == 4 + 43)
    }
}
