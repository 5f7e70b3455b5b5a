import Foundation

/// What the rep configured, plus what the environment says (locale glyphs, time zone).
public struct AppSettings: Sendable {
    public var keymap: Keymap
    public var glyphs: Glyphs
    public var autosaveDelay: TimeInterval
    public var notifications: NotificationSettings
    public var timeZone: DisplayTimeZone
    /// Theme names `:theme` can complete.
    public var availableThemes: [String]

    public init(
        keymap: Keymap = .defaults,
        glyphs: Glyphs = .unicode,
        autosaveDelay: TimeInterval = 0.5,
        notifications: NotificationSettings = NotificationSettings(),
        timeZone: DisplayTimeZone = .utc,
        availableThemes: [String] = ["default", "light", "solarized-dark", "high-contrast", "monochrome"]
    ) {
        self.keymap = keymap
        self.glyphs = glyphs
        self.autosaveDelay = autosaveDelay
        self.notifications = notifications
        self.timeZone = timeZone
        self.availableThemes = availableThemes
    }
}
