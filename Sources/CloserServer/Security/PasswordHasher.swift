import HummingbirdBcrypt
import NIOPosix
import Synchronization

/// bcrypt, run on NIO's blocking thread pool: one hash takes hundreds of milliseconds at the
/// default cost, which must not stall the cooperative threads serving other requests.
struct PasswordHasher: Sendable {
    /// The bcrypt cost factor (2^cost rounds). 12 in production; tests lower it for speed.
    let cost: UInt8

    /// Hashes of a password no rep has, one per cost, checked when the email is unknown so that a
    /// login for a missing account takes as long as one with a wrong password (same cost, same
    /// work). Made on first use: a server that never sees an unknown email never pays for one.
    private static let decoys = Mutex<[UInt8: String]>([:])

    func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, hash: String?) async throws -> Bool {
        let target: String
        if let hash { target = hash } else { target = try await decoy() }
        let matches = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: target) }
        return hash != nil && matches
    }

    func decoy() async throws -> String {
        if let made = Self.decoys.withLock({ $0[cost] }) { return made }
        let made = try await self.hash("closer-decoy-password")
        Self.decoys.withLock { $0[cost] = made }
        return made
    }
}
