import Foundation

/// A rep: the person who owns leads, writes messages and signs in.
public struct User: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var email: String
    public var name: String
    public var createdAt: Date

    public init(id: String, email: String, name: String, createdAt: Date) {
        self.id = id
        self.email = email
        self.name = name
        self.createdAt = createdAt
    }
}
