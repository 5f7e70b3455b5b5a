import CloserCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `POST /api/auth/login`, `POST /api/auth/logout` and `GET /api/me`.
struct AuthRoutes {
    let database: Database
    let hasher: PasswordHasher
    let authenticator: TokenAuthenticator
    let limiter: LoginRateLimiter
    let maxBodyBytes: Int
    /// Reverse proxies whose `X-Forwarded-For` names the client, so that behind nginx the
    /// per-IP limit counts each rep's address, not the proxy's.
    var trustedProxies: Set<String> = []

    func addPublicRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("auth/login", use: login)
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("auth/logout", use: logout)
        group.get("me", use: me)
    }

    @Sendable func login(request: Request, context: AppRequestContext) async throws -> JSONResponse<LoginResponse> {
        var request = request
        let body = try await request.decodeJSON(LoginRequest.self, limit: maxBodyBytes)
        let email = body.email.trimmingCharacters(in: .whitespaces).lowercased()
        let ip = ClientAddress.resolve(peer: context.remoteAddress, forwardedFor: request.headers[.forwardedFor],
                                       trustedProxies: trustedProxies, anonymize: false) ?? "unknown"
        if let wait = limiter.attempt(keys: ["email:" + email, "ip:" + ip]) {
            var error = APIError(.tooManyRequests, code: "rate_limited", message: "too many login attempts; try again in \(wait.components.seconds + 1) s")
            error.headers[.retryAfter] = String(wait.components.seconds + 1)
            throw error
        }
        let credentials = try await database.read { db in try await UserStore(db: db).credentials(email: email) }
        guard try await hasher.verify(body.password, hash: credentials?.passwordHash), let user = credentials?.user else {
            throw APIError(.unauthorized, code: "invalid_credentials", message: "wrong email or password")
        }
        let token = SecureToken.newAPIToken()
        let agent = String((request.headers[.userAgent] ?? "unknown client").prefix(100))
        try await database.write { db in
            try await TokenStore(db: db).insert(userId: user.id, tokenHash: SecureToken.hash(token), name: agent, at: Date())
        }
        return JSONResponse(LoginResponse(token: token, user: user))
    }

    @Sendable func logout(request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        try await authenticator.revoke(tokenHash: user.tokenHash)
        return Response(status: .noContent)
    }

    @Sendable func me(request: Request, context: AppRequestContext) async throws -> JSONResponse<MeResponse> {
        let user = try context.requireUser()
        return try await database.read { db in
            guard let found = try await UserStore(db: db).find(id: user.id) else { throw APIError.unauthorized }
            return JSONResponse(MeResponse(user: found, eventOffset: try await EventLogStore(db: db).bounds(userId: user.id).current))
        }
    }
}
