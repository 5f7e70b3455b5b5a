import CloserCore
import Foundation

/// The XDG base directory rules, in one place for every file the server writes.
enum DataDirectory {
    /// `$XDG_DATA_HOME/closer-server`, falling back to `~/.local/share/closer-server`.
    static func serverData(environment: [String: String]) -> String {
        XDGDirectories.dataHome(environment, home: environment["HOME"] ?? NSHomeDirectory()) + "/closer-server"
    }

    /// Creates a directory (and its parents) readable by its owner only.
    static func createPrivate(_ path: String) throws {
        try FileManager.default.createDirectory(
            atPath: path,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
    }
}
