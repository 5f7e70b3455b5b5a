/// `POST /api/auth/login` request.
public struct LoginRequest: Codable, Sendable, Hashable {
    public var email: String
    public var password: String
    public init(email: String, password: String) {
        self.email = email
        self.password = password
    }
}

/// `POST /api/auth/login` answer. The token is shown only here, once.
public struct LoginResponse: Codable, Sendable, Hashable {
    public var token: String
    public var user: User
    public init(token: String, user: User) {
        self.token = token
        self.user = user
    }
}

/// `GET /api/me` answer.
public struct MeResponse: Codable, Sendable, Hashable {
    public var user: User
    /// The newest event offset; a client that loads over REST resumes its socket from here.
    public var eventOffset: Int
    public init(user: User, eventOffset: Int) {
        self.user = user
        self.eventOffset = eventOffset
    }
}
