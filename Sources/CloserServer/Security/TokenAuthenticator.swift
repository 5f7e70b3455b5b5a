import CloserCore
import Foundation
import Synchronization

/// Turns a bearer token into the rep it belongs to.
///
/// Tokens are looked up by their SHA-256, then the stored hash is compared in constant time. A
/// short-lived cache keeps the lookup off the database for busy clients; `revoke` clears a token
/// from this instance's cache at once (other instances forget it within `cacheLifetime`).
final class TokenAuthenticator: Sendable {
    private struct CacheEntry {
        let user: AuthenticatedUser
        let expires: ContinuousClock.Instant
        var lastTouched: ContinuousClock.Instant
    }

    private let database: Database
    private let cacheLifetime: Duration
    private let cache = Mutex<[String: CacheEntry]>([:])

    init(database: Database, cacheLifetime: Duration = .seconds(30)) {
        self.database = database
        self.cacheLifetime = cacheLifetime
    }

    /// The rep for this token, or nil for an unknown or malformed one.
    func authenticate(token: String) async throws -> AuthenticatedUser? {
        guard token.hasPrefix("clo_"), token.utf8.count < 200 else { return nil }
        let hash = SecureToken.hash(token)
        let now = ContinuousClock.now
        if let user = cachedUser(hash: hash, now: now) { return user }

        guard let found = try await database.read({ db in try await TokenStore(db: db).user(tokenHash: hash) }),
              SecureToken.constantTimeEquals(found.storedHash, hash)
        else { return nil }
        let user = AuthenticatedUser(id: found.user.id, email: found.user.email, name: found.user.name, tokenHash: hash)
        cache.withLock { cache in
            if cache.count > 10_000 { cache.removeAll() }
            cache[hash] = CacheEntry(user: user, expires: now + cacheLifetime, lastTouched: now)
        }
        try await database.write { db in try await TokenStore(db: db).touch(tokenHash: hash, at: Date()) }
        return user
    }

    /// Forgets a token: deletes it and drops it from this instance's cache.
    func revoke(tokenHash: String) async throws {
        _ = cache.withLock { $0.removeValue(forKey: tokenHash) }
        try await database.write { db in try await TokenStore(db: db).delete(tokenHash: tokenHash) }
    }

    private func cachedUser(hash: String, now: ContinuousClock.Instant) -> AuthenticatedUser? {
        cache.withLock { cache in
            guard let entry = cache[hash] else { return nil }
            guard entry.expires > now else {
                cache[hash] = nil
                return nil
            }
            return entry.user
        }
    }
}
