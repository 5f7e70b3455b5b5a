import Foundation

/// Where the server keeps its data, parsed from `--database`.
public enum DatabaseURL: Sendable, Hashable, CustomStringConvertible {
    /// An SQLite file, `sqlite:PATH`: the embedded default.
    case sqlite(path: String)
    /// A PostgreSQL server, `postgres://user:pass@host:port/db`.
    case postgres(host: String, port: Int, user: String, password: String?, database: String)

    /// Parses `sqlite:PATH`, `sqlite://PATH`, `postgres://…` or `postgresql://…`.
    public init(parsing text: String) throws(ServerConfigurationError) {
        if text.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path.removeFirst(2) }
            guard !path.isEmpty else { throw .invalid("--database", "sqlite: needs a file path, e.g. sqlite:/var/lib/closer/closer.sqlite") }
            self = .sqlite(path: path)
            return
        }
        guard let components = URLComponents(string: text),
              let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme)
        else {
            throw .invalid("--database", "expected sqlite:PATH or postgres://user:pass@host:port/db")
        }
        guard let host = components.host, !host.isEmpty else { throw .invalid("--database", "the PostgreSQL URL has no host") }
        guard let user = components.user, !user.isEmpty else { throw .invalid("--database", "the PostgreSQL URL has no user") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        self = .postgres(
            host: host,
            port: components.port ?? 5432,
            user: user,
            password: components.password,
            database: database.isEmpty ? user : database
        )
    }

    /// The URL with any password replaced, safe for logs.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let host, let port, let user, let password, let database):
            "postgres://\(user)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)"
        }
    }

    /// The default embedded database: `$XDG_DATA_HOME/closer-server/closer.sqlite`.
    public static func defaultSQLite(environment: [String: String] = ProcessInfo.processInfo.environment) -> DatabaseURL {
        .sqlite(path: DataDirectory.serverData(environment: environment) + "/closer.sqlite")
    }
}
