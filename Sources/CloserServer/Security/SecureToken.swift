import Crypto
import Foundation

/// Random secrets and their hashes: API tokens, tracking ids, link tokens.
enum SecureToken {
    /// `bytes` random bytes from the system CSPRNG, as base64url.
    static func random(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let data = Data((0..<bytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        return data.base64URLEncodedString()
    }

    /// `bytes` random bytes as lowercase hex (tracking ids: safe in any URL, case-stable).
    static func randomHex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
    }

    /// A new API token: 256 random bits behind a recognisable prefix.
    static func newAPIToken() -> String {
        "clo_" + random(bytes: 32)
    }

    /// The SHA-256 of a token as hex: the only form tokens are stored in.
    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Compares two strings in time that depends only on their lengths, not on where they differ.
    static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices {
            difference |= left[index] ^ right[index]
        }
        return difference == 0
    }
}
