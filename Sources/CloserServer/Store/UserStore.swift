import CloserCore
import Foundation
import SQLKit

/// Reps and their password hashes.
struct UserStore {
    let db: StoreDatabase

    /// A rep with the hash needed to check a password.
    struct Credentials {
        let user: User
        let passwordHash: String
    }

    func insert(id: String, email: String, name: String, passwordHash: String, at date: Date) async throws -> User {
        try await db.raw("""
            INSERT INTO users (id, email, name, password_hash, created_at)
            VALUES (\(bind: id), \(bind: email), \(bind: name), \(bind: passwordHash), \(bind: date.millis))
            """).run()
        return User(id: id, email: email, name: name, createdAt: Date(millis: date.millis))
    }

    func credentials(email: String) async throws -> Credentials? {
        guard let row = try await db.raw("""
            SELECT id, email, name, password_hash, created_at FROM users WHERE email = \(bind: email)
            """).first()
        else { return nil }
        return Credentials(user: try Self.user(from: row), passwordHash: try row.string("password_hash"))
    }

    func find(id: String) async throws -> User? {
        try await db.raw("SELECT id, email, name, created_at FROM users WHERE id = \(bind: id)").first()
            .map(Self.user(from:))
    }

    func find(email: String) async throws -> User? {
        try await db.raw("SELECT id, email, name, created_at FROM users WHERE email = \(bind: email)").first()
            .map(Self.user(from:))
    }

    func updatePassword(userId: String, passwordHash: String) async throws {
        try await db.raw("UPDATE users SET password_hash = \(bind: passwordHash) WHERE id = \(bind: userId)").run()
    }

    func all() async throws -> [User] {
        try await db.raw("SELECT id, email, name, created_at FROM users ORDER BY created_at").all().map(Self.user(from:))
    }

    static func user(from row: any SQLRow) throws -> User {
        User(id: try row.string("id"), email: try row.string("email"), name: try row.string("name"), createdAt: try row.date("created_at"))
    }
}
