import CloserCore
import Foundation

/// Where `closer` signs in: the server, the rep's API token and who the rep is. Kept in
/// `$XDG_CONFIG_HOME/closer/credentials` (mode 0600); `CLOSER_SERVER` and `CLOSER_TOKEN` override
/// the stored values.
public struct Credentials: Sendable, Equatable {
    public var server: String
    public var token: String
    /// The rep's id, when known (it names the cache file).
    public var userId: String?
    public var email: String?

    public init(server: String, token: String, userId: String? = nil, email: String? = nil) {
        self.server = server
        self.token = token
        self.userId = userId
        self.email = email
    }

    /// The cache file for these credentials. Without a known rep id (a token from `CLOSER_TOKEN`
    /// only), a hash of the token stands in, so two tokens never share a cache.
    public func cachePath(environment: [String: String]) -> String {
        ClientCache.defaultPath(server: server, userId: userId ?? "token-" + Self.fnv1a(token), environment: environment)
    }

    public static func path(environment: [String: String]) -> String {
        let configHome = XDGDirectories.configHome(environment, home: environment["HOME"] ?? NSHomeDirectory())
        return configHome + "/closer/credentials"
    }

    /// The stored credentials with the environment's overrides, or nil when there is no server
    /// or no token.
    public static func load(environment: [String: String]) throws -> Credentials? {
        var fields: [String: String] = [:]
        let path = path(environment: environment)
        if FileManager.default.fileExists(atPath: path) {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            for line in text.split(whereSeparator: \.isNewline) {
                let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, !parts[0].hasPrefix("#") else { continue }
                fields[parts[0]] = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        let server = environment["CLOSER_SERVER"].flatMap { $0.isEmpty ? nil : $0 } ?? fields["server"]
        let token = environment["CLOSER_TOKEN"].flatMap { $0.isEmpty ? nil : $0 } ?? fields["token"]
        guard let server, let token else { return nil }
        // A token from the environment may belong to someone else than the stored rep.
        let sameRep = environment["CLOSER_TOKEN"].map { $0.isEmpty || $0 == fields["token"] } ?? true
        return Credentials(server: server, token: token, userId: sameRep ? fields["user_id"] : nil, email: sameRep ? fields["email"] : nil)
    }

    /// Writes the file with mode 0600 from its first byte.
    public func save(environment: [String: String]) throws {
        let path = Self.path(environment: environment)
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var lines = ["# closer credentials: keep this file private (mode 0600)", "server = \"\(server)\"", "token = \"\(token)\""]
        if let userId { lines.append("user_id = \"\(userId)\"") }
        if let email { lines.append("email = \"\(email)\"") }
        let data = Data((lines.joined(separator: "\n") + "\n").utf8)
        let temporary = path + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: temporary])
        }
        try data.write(to: URL(fileURLWithPath: temporary))
        // Atomic: a crash leaves the old file or the new one, never half of one.
        guard rename(temporary, path) == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
    }

    public static func delete(environment: [String: String]) throws {
        let path = path(environment: environment)
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
    }

    private static func fnv1a(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
