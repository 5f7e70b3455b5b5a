/// The XDG base directories, in one place for both programs. Pure: the caller passes the
/// environment and the home folder to fall back on. A relative `XDG_*` value is ignored, as the
/// XDG spec says.
public enum XDGDirectories {
    /// `$XDG_DATA_HOME`, else `~/.local/share`.
    public static func dataHome(_ environment: [String: String], home: String) -> String {
        absolute(environment["XDG_DATA_HOME"]) ?? trimmed(home) + "/.local/share"
    }

    /// `$XDG_CONFIG_HOME`, else `~/.config`.
    public static func configHome(_ environment: [String: String], home: String) -> String {
        absolute(environment["XDG_CONFIG_HOME"]) ?? trimmed(home) + "/.config"
    }

    private static func absolute(_ value: String?) -> String? {
        guard let value, value.hasPrefix("/") else { return nil }
        return trimmed(value)
    }

    private static func trimmed(_ path: String) -> String {
        path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }
}
