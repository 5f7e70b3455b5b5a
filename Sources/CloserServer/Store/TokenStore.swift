import CloserCore
import Foundation
import SQLKit

/// API tokens, kept only as SHA-256 hashes: a copy of the database signs nobody in.
struct TokenStore {
    let db: StoreDatabase

    func insert(userId: String, tokenHash: String, name: String, at date: Date) async throws {
        try await db.raw("""
            INSERT INTO api_tokens (id, user_id, token_hash, name, created_at)
            VALUES (\(bind: UUID().uuidString.lowercased()), \(bind: userId), \(bind: tokenHash), \(bind: name), \(bind: date.millis))
            """).run()
    }

    /// The rep holding the token with this hash, if any.
    func user(tokenHash: String) async throws -> (user: User, storedHash: String)? {
        guard let row = try await db.raw("""
            SELECT u.id, u.email, u.name, u.created_at, t.token_hash
            FROM api_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.token_hash = \(bind: tokenHash)
            """).first()
        else { return nil }
        return (try UserStore.user(from: row), try row.string("token_hash"))
    }

    func touch(tokenHash: String, at date: Date) async throws {
        try await db.raw("UPDATE api_tokens SET last_used_at = \(bind: date.millis) WHERE token_hash = \(bind: tokenHash)").run()
    }

    func delete(tokenHash: String) async throws {
        try await db.raw("DELETE FROM api_tokens WHERE token_hash = \(bind: tokenHash)").run()
    }
}
