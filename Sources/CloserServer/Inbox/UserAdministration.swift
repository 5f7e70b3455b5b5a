import CloserCore
import Foundation

/// Operator tasks on reps, for the CLI and the demo.
public struct UserAdministration: Sendable {
    let database: Database
    let hasher: PasswordHasher

    public init(database: Database, bcryptCost: UInt8 = 12) {
        self.database = database
        self.hasher = PasswordHasher(cost: bcryptCost)
    }

    /// Creates a rep; the email must be new.
    public static let minimumPasswordLength = 8

    public func addUser(email: String, name: String, password: String) async throws -> User {
        let email = try InputValidation.email(email)
        let name = try InputValidation.name(name)
        // Every way in (user add, seed-demo, the demo) holds to the same rule.
        guard password.count >= Self.minimumPasswordLength else {
            throw UserAdministrationError(description: "the password must have at least \(Self.minimumPasswordLength) characters")
        }
        let hash = try await hasher.hash(password)
        return try await database.write { db in
            let users = UserStore(db: db)
            guard try await users.find(email: email) == nil else {
                throw UserAdministrationError(description: "a rep with email \(email) already exists")
            }
            return try await users.insert(id: UUID().uuidString.lowercased(), email: email, name: name, passwordHash: hash, at: Date())
        }
    }

    public func findUser(email: String) async throws -> User? {
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        return try await database.read { db in try await UserStore(db: db).find(email: email) }
    }

    /// A sign-in token for the rep without a password, for the demo's automatic login.
    public func issueToken(userId: String, name: String) async throws -> String {
        let token = SecureToken.newAPIToken()
        try await database.write { db in
            try await TokenStore(db: db).insert(userId: userId, tokenHash: SecureToken.hash(token), name: name, at: Date())
        }
        return token
    }
}

/// An operator request that cannot be done, e.g. adding a rep twice.
public struct UserAdministrationError: Error, CustomStringConvertible {
    public let description: String
}
