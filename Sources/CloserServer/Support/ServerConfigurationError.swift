/// A setting the server cannot start with, named so the operator can fix it.
public struct ServerConfigurationError: Error, CustomStringConvertible, Equatable {
    /// The flag or setting at fault, e.g. `--database`.
    public let setting: String
    public let reason: String

    static func invalid(_ setting: String, _ reason: String) -> Self {
        Self(setting: setting, reason: reason)
    }

    public var description: String { "\(setting): \(reason)" }
}
