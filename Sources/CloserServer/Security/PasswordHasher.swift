import HummingbirdBcrypt
import NIOPosix

/// bcrypt, run on NIO's blocking thread pool: one hash takes hundreds of milliseconds at the
/// default cost, which must not stall the cooperative threads serving other requests.
struct PasswordHasher: Sendable {
    /// The bcrypt cost factor (2^cost rounds). 12 in production; tests lower it for speed.
    let cost: UInt8

    /// A hash of a password no rep has, checked when the email is unknown so that a login for a
    /// missing account takes as long as one with a wrong password.
    private static let decoy = Bcrypt.hash("closer-decoy-password", cost: 4)

    func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, hash: String?) async throws -> Bool {
        let target = hash ?? Self.decoy
        let matches = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: target) }
        return hash != nil && matches
    }
}
