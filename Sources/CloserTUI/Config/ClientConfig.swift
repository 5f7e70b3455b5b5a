import Foundation
import TOMLKit

/// The rep's settings from `$XDG_CONFIG_HOME/closer/config.toml`.
///
/// Every key is optional; a missing file means all defaults. Anything the loader does not
/// understand is an error naming the file and line, never silently ignored: a misspelt key that
/// quietly does nothing is worse than a message saying where the typo is.
public struct ClientConfig: Sendable, Equatable {
    /// The accepted range for `autosave_delay_ms`: quick enough to lose nothing, slow enough not
    /// to write on every keystroke.
    public static let autosaveDelayRange = 50...10_000

    /// The server's base URL; `nil` until the rep sets one (or passes it on the command line).
    public let server: String?
    /// The theme name, looked up through `ThemeCatalog`.
    public let theme: String
    /// How long after the last keystroke a draft is saved.
    public let autosaveDelayMilliseconds: Int
    /// One more key for `send`, on top of its default bindings (or those set under `[keys]`).
    public let sendKey: [KeyEvent]?
    /// Draw with ASCII glyphs even in a UTF-8 locale.
    public let ascii: Bool
    /// The bindings set under `[keys]`, each replacing all default bindings of its action.
    public let keyBindings: [KeyAction: [[KeyEvent]]]
    /// Bell, toast and desktop notification settings.
    public let notifications: NotificationSettings
    /// The keymap to use: the defaults with `keyBindings` and `sendKey` applied.
    public let keymap: Keymap

    /// Creates a config; every argument defaults to what a missing config file means.
    public init(
        server: String? = nil,
        theme: String = BuiltinTheme.name,
        autosaveDelayMilliseconds: Int = 500,
        sendKey: [KeyEvent]? = nil,
        ascii: Bool = false,
        keyBindings: [KeyAction: [[KeyEvent]]] = [:],
        notifications: NotificationSettings = NotificationSettings()
    ) {
        self.server = server
        self.theme = theme
        self.autosaveDelayMilliseconds = autosaveDelayMilliseconds
        self.sendKey = sendKey
        self.ascii = ascii
        self.keyBindings = keyBindings
        self.notifications = notifications
        var overrides = keyBindings
        if let sendKey {
            let send = overrides[.send] ?? Keymap.defaults.bindings(for: .send)
            overrides[.send] = send.contains(sendKey) ? send : send + [sendKey]
        }
        keymap = Keymap.defaults.overriding(overrides)
    }

    /// Closer's folder under the XDG config home: `$XDG_CONFIG_HOME/closer` when that is an
    /// absolute path (the XDG spec says to ignore a relative one), else `~/.config/closer`; `nil`
    /// when neither variable helps.
    public static func directory(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            return (xdg.hasSuffix("/") ? String(xdg.dropLast()) : xdg) + "/closer"
        }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return (home.hasSuffix("/") ? String(home.dropLast()) : home) + "/.config/closer"
    }

    /// The config file's path, whether or not it exists.
    public static func path(environment: [String: String]) -> String? {
        directory(environment: environment).map { $0 + "/config.toml" }
    }

    /// Reads the config file; a missing file gives the defaults. Errors name the file with the
    /// home folder shown as `~`.
    public static func load(environment: [String: String]) throws(ConfigError) -> ClientConfig {
        guard let path = path(environment: environment), FileManager.default.fileExists(atPath: path) else {
            return ClientConfig()
        }
        let shownPath = path.abbreviatingHome(environment["HOME"])
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: shownPath, line: 0, message: "cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: shownPath, line: 0, message: "is not UTF-8 text")
        }
        return try parse(text: text, fileName: shownPath)
    }

    /// Parses the text of a config file; `fileName` is what errors call the file.
    public static func parse(text: String, fileName: String) throws(ConfigError) -> ClientConfig {
        try ConfigParser(text: text, fileName: fileName).parse()
    }

    /// A documented config file with every key, for the README. A test keeps it parseable.
    public static let sampleTOML = #"""
        # Closer client configuration: $XDG_CONFIG_HOME/closer/config.toml (~/.config/closer/config.toml).
        # Every key is optional; the values below are the defaults unless noted.

        # The Closer server to connect to (no default).
        server = "https://closer.example.com"
        # Colour theme: default, light, solarized-dark, high-contrast, monochrome, or the name of
        # a NAME.toml in ~/.config/closer/themes. Change it live with :theme NAME.
        theme = "default"
        # How long after the last keystroke a draft is saved, in milliseconds (50 to 10000).
        autosave_delay_ms = 500
        # One more key for sending, added to the send bindings (handy when the terminal
        # swallows Ctrl-S for flow control: send_key = "<C-j>").
        send_key = "<C-s>"
        # Draw borders and glyphs in plain ASCII even in a UTF-8 locale.
        ascii = false

        # Key bindings: action = "key" or ["key", "key"]. A listed action loses its default keys;
        # a key given here is taken from any other action in the same context. Press ? in the
        # client for every action and its current keys. Key names: j, G, <Space>, <Enter>, <Tab>,
        # <S-Tab>, <Esc>, <BS>, <Del>, <Up>, <PageDown>, <Home>, <F1>, <C-s> (control),
        # <M-f> or <A-f> (alt), and sequences such as <C-x><C-e>.
        [keys]
        send = ["<C-s>", "<M-Enter>"]
        move_down = ["j", "<Down>"]

        [notifications]
        # Master switch for the terminal bell.
        bell = true
        # Master switch for toasts (the short messages at the bottom of the screen).
        toast = true
        # Desktop notifications through the terminal: off, osc9 (iTerm2, WezTerm, kitty, foot)
        # or osc777 (urxvt, Ghostty, some VTE terminals).
        desktop = "off"
        # No bell for the lead whose thread is open on screen.
        mute_focused_lead = true
        # No bell or desktop notification between these times (local time; may span midnight).
        # Not set by default.
        quiet_hours = "22:00-07:00"

        # Per kind of event: message_received, email_opened, link_clicked, lead_converted,
        # meeting_booked. Each takes bell, toast and desktop (true or false, default true); the
        # master switches above still apply.
        [notifications.kinds.email_opened]
        bell = true
        toast = true
        desktop = true
        """#
}

/// How desktop notifications reach the rep: through escape sequences the terminal turns into
/// system notifications, so they work over SSH with nothing installed on the server.
public enum DesktopNotificationStyle: String, Sendable, CaseIterable {
    /// No desktop notifications.
    case off
    /// `OSC 9`, understood by iTerm2, WezTerm, kitty, foot and others.
    case osc9
    /// `OSC 777;notify`, understood by urxvt, Ghostty and some VTE terminals.
    case osc777
}

/// A daily window without bells or desktop notifications, such as `22:00-07:00`.
public struct QuietHours: Sendable, Equatable, CustomStringConvertible {
    /// The first quiet minute of the day (0–1439).
    public let start: Int
    /// The first minute that is no longer quiet (0–1439); before `start` when the window spans
    /// midnight.
    public let end: Int

    /// A window from `start` up to, not including, `end`, both minutes of the day (taken modulo
    /// a day).
    public init(start: Int, end: Int) {
        self.start = (start % 1440 + 1440) % 1440
        self.end = (end % 1440 + 1440) % 1440
    }

    /// Reads `HH:MM-HH:MM` (24-hour clock); `nil` when malformed or when start equals end, which
    /// could mean either nothing or the whole day.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2,
            let start = Self.minuteOfDay(parts[0].trimmingCharacters(in: .whitespaces)),
            let end = Self.minuteOfDay(parts[1].trimmingCharacters(in: .whitespaces)),
            start != end
        else { return nil }
        self.init(start: start, end: end)
    }

    /// Whether `minuteOfDay` (0–1439) falls in the window.
    public func contains(minuteOfDay: Int) -> Bool {
        start < end ? (start..<end).contains(minuteOfDay) : minuteOfDay >= start || minuteOfDay < end
    }

    /// `HH:MM-HH:MM`, as written in the config.
    public var description: String { Self.clock(start) + "-" + Self.clock(end) }

    private static func minuteOfDay(_ text: String) -> Int? {
        let fields = text.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 2, fields[1].count == 2, (1...2).contains(fields[0].count),
            fields.allSatisfy({ $0.allSatisfy(\.isASCII) }),
            let hour = Int(fields[0]), let minute = Int(fields[1]),
            (0...23).contains(hour), (0...59).contains(minute)
        else { return nil }
        return hour * 60 + minute
    }

    private static func clock(_ minutes: Int) -> String {
        let hour = minutes / 60
        let minute = minutes % 60
        return (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }
}

/// How one kind of event notifies, below the master switches.
public struct NotificationKindSettings: Sendable, Equatable {
    /// Ring the terminal bell.
    public var bell: Bool
    /// Show a toast.
    public var toast: Bool
    /// Send a desktop notification (when a desktop style is chosen).
    public var desktop: Bool

    /// Settings for one kind; everything is on unless the rep turns it off.
    public init(bell: Bool = true, toast: Bool = true, desktop: Bool = true) {
        self.bell = bell
        self.toast = toast
        self.desktop = desktop
    }
}

/// The `[notifications]` section: master switches, quiet hours and per-kind settings.
///
/// Kinds are keyed by their wire names (`email_opened`…) rather than a server type, so the client
/// library stays independent of the server; an unknown kind (a newer server) gets the defaults.
public struct NotificationSettings: Sendable, Equatable {
    /// The kinds of event the `[notifications.kinds.NAME]` tables may name.
    public static let kindNames = [
        "message_received", "email_opened", "link_clicked", "lead_converted", "meeting_booked",
    ]

    /// Master switch for the terminal bell.
    public var bell: Bool
    /// Master switch for toasts.
    public var toast: Bool
    /// How desktop notifications are sent, if at all.
    public var desktop: DesktopNotificationStyle
    /// No bell for the lead whose thread is on screen: the rep is already looking at it.
    public var muteFocusedLead: Bool
    /// When bells and desktop notifications keep quiet.
    public var quietHours: QuietHours?
    /// Per-kind settings the rep wrote, by kind name.
    public var kinds: [String: NotificationKindSettings]

    /// Creates settings; the defaults are what a config without `[notifications]` means.
    public init(
        bell: Bool = true,
        toast: Bool = true,
        desktop: DesktopNotificationStyle = .off,
        muteFocusedLead: Bool = true,
        quietHours: QuietHours? = nil,
        kinds: [String: NotificationKindSettings] = [:]
    ) {
        self.bell = bell
        self.toast = toast
        self.desktop = desktop
        self.muteFocusedLead = muteFocusedLead
        self.quietHours = quietHours
        self.kinds = kinds
    }

    /// The settings for `kind`, its defaults when the rep wrote none.
    public func settings(forKind kind: String) -> NotificationKindSettings {
        kinds[kind] ?? NotificationKindSettings()
    }

    /// Whether an event of `kind` rings the bell at `minuteOfDay` (local time).
    public func rings(kind: String, minuteOfDay: Int, isFocusedLead: Bool) -> Bool {
        bell && settings(forKind: kind).bell && !(muteFocusedLead && isFocusedLead) && !isQuiet(minuteOfDay)
    }

    /// Whether an event of `kind` shows a toast; quiet hours do not hide toasts, which make no
    /// sound.
    public func showsToast(kind: String) -> Bool {
        toast && settings(forKind: kind).toast
    }

    /// The desktop notification to send for an event of `kind` at `minuteOfDay`, `.off` for none.
    public func desktopStyle(kind: String, minuteOfDay: Int) -> DesktopNotificationStyle {
        settings(forKind: kind).desktop && !isQuiet(minuteOfDay) ? desktop : .off
    }

    private func isQuiet(_ minuteOfDay: Int) -> Bool {
        quietHours?.contains(minuteOfDay: minuteOfDay) ?? false
    }
}

/// Reads `config.toml` text, keeping the source index at hand so every error gets its line.
private struct ConfigParser {
    static let topLevelKeys = ["server", "theme", "autosave_delay_ms", "send_key", "ascii", "keys", "notifications"]
    static let notificationKeys = ["bell", "toast", "desktop", "mute_focused_lead", "quiet_hours", "kinds"]
    static let kindKeys = ["bell", "toast", "desktop"]

    let text: String
    let fileName: String
    let index: TOMLSourceIndex

    /// A key binding as written, kept with its line so clashes can be reported where they are.
    private struct WrittenBinding {
        var action: KeyAction
        var keys: [KeyEvent]
        var line: Int
        var origin: String
    }

    init(text: String, fileName: String) {
        self.text = text
        self.fileName = fileName
        self.index = TOMLSourceIndex(text: text)
    }

    func parse() throws(ConfigError) -> ClientConfig {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError(file: fileName, line: error.source.begin.line, message: error.conciseMessage)
        } catch {
            throw ConfigError(file: fileName, line: 1, message: "cannot parse: \(error)")
        }
        try rejectUnknownKeys(root, path: [], allowed: Self.topLevelKeys)

        let server = try string(root, ["server"])
        if let server, !Self.isHTTPURL(server) {
            throw failure(at: ["server"], "server must be an http:// or https:// URL, not \"\(server)\"")
        }
        let theme = try string(root, ["theme"]) ?? BuiltinTheme.name
        guard ThemeCatalog.isValidName(theme) else {
            throw failure(at: ["theme"], "bad theme name \"\(theme)\": use letters, digits, '-', '_' and '.'")
        }
        let delay = try integer(root, ["autosave_delay_ms"]) ?? 500
        guard ClientConfig.autosaveDelayRange.contains(delay) else {
            let range = ClientConfig.autosaveDelayRange
            throw failure(
                at: ["autosave_delay_ms"],
                "autosave_delay_ms must be between \(range.lowerBound) and \(range.upperBound), not \(delay)"
            )
        }
        var written: [WrittenBinding] = []
        var sendKey: [KeyEvent]?
        if let name = try string(root, ["send_key"]) {
            let keys = try keyName(name, path: ["send_key"], owner: "send_key")
            sendKey = keys
            let line = index.line(of: ["send_key"])
            written.append(WrittenBinding(action: .send, keys: keys, line: line, origin: "send_key"))
        }
        let ascii = try boolean(root, ["ascii"]) ?? false
        var bindings: [KeyAction: [[KeyEvent]]] = [:]
        if let keys = try table(root, ["keys"]) {
            bindings = try keyBindings(keys, written: &written)
        }
        try rejectClashes(written)
        var notifications = NotificationSettings()
        if let section = try table(root, ["notifications"]) {
            notifications = try notificationSettings(section)
        }
        return ClientConfig(
            server: server,
            theme: theme,
            autosaveDelayMilliseconds: delay,
            sendKey: sendKey,
            ascii: ascii,
            keyBindings: bindings,
            notifications: notifications
        )
    }

    private static func isHTTPURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host else {
            return false
        }
        return (scheme == "http" || scheme == "https") && !host.isEmpty
    }

    // MARK: [keys]

    private func keyBindings(
        _ table: TOMLTable,
        written: inout [WrittenBinding]
    ) throws(ConfigError) -> [KeyAction: [[KeyEvent]]] {
        var bindings: [KeyAction: [[KeyEvent]]] = [:]
        let actionNames = KeyAction.allCases.map(\.rawValue)
        for name in index.sourceOrder(of: table.keys, in: ["keys"]) {
            let path = ["keys", name]
            guard let action = KeyAction(rawValue: name) else {
                throw failure(
                    at: path,
                    "unknown action \"\(name)\" in [keys]" + DidYouMean.suffix(for: name, among: actionNames)
                )
            }
            guard let value = table[name] else { continue }
            var names: [String] = []
            if let single = value.string {
                names = [single]
            } else if let array = value.array {
                for element in array {
                    guard let text = element.string else {
                        throw failure(
                            at: path,
                            "keys for \"\(name)\" must be strings, not \(element.type.withArticle)"
                        )
                    }
                    names.append(text)
                }
            } else {
                throw failure(
                    at: path,
                    "keys for \"\(name)\" must be a string or an array of strings, not \(value.type.withArticle)"
                )
            }
            var sequences: [[KeyEvent]] = []
            for text in names {
                let keys = try keyName(text, path: path, owner: "action \"\(name)\"")
                sequences.append(keys)
                written.append(
                    WrittenBinding(
                        action: action, keys: keys, line: index.line(of: path, containing: text), origin: name
                    )
                )
            }
            bindings[action] = sequences
        }
        return bindings
    }

    private func keyName(_ text: String, path: [String], owner: String) throws(ConfigError) -> [KeyEvent] {
        do {
            return try KeyName.parse(text)
        } catch {
            throw ConfigError(
                file: fileName,
                line: index.line(of: path, containing: text),
                message: "bad key name \"\(text)\" for \(owner): \(error.message)"
            )
        }
    }

    /// Two actions claiming the same keys in one context would leave one of them silently unbound;
    /// say so instead, at the second of the two lines.
    private func rejectClashes(_ written: [WrittenBinding]) throws(ConfigError) {
        let defaults = Keymap.defaults
        let ordered = written.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }
        for (position, (_, later)) in ordered.enumerated() {
            for (_, earlier) in ordered.prefix(position) where earlier.action != later.action {
                let shared = Set(defaults.contexts(of: earlier.action))
                    .intersection(defaults.contexts(of: later.action))
                guard !shared.isEmpty, Keymap.overlap(earlier.keys, later.keys) else { continue }
                let how =
                    earlier.keys == later.keys ? "is already bound" : "overlaps \"\(KeyName.format(earlier.keys))\""
                throw ConfigError(
                    file: fileName,
                    line: later.line,
                    message: "\"\(KeyName.format(later.keys))\" for \(Self.describe(later)) \(how) to "
                        + "\(Self.describe(earlier)) on line \(earlier.line)"
                )
            }
        }
    }

    private static func describe(_ binding: WrittenBinding) -> String {
        binding.origin == "send_key" ? "send_key" : "\"\(binding.action.rawValue)\""
    }

    // MARK: [notifications]

    private func notificationSettings(_ table: TOMLTable) throws(ConfigError) -> NotificationSettings {
        let section = ["notifications"]
        try rejectUnknownKeys(table, path: section, allowed: Self.notificationKeys)
        var settings = NotificationSettings()
        settings.bell = try boolean(table, section + ["bell"]) ?? settings.bell
        settings.toast = try boolean(table, section + ["toast"]) ?? settings.toast
        settings.muteFocusedLead = try boolean(table, section + ["mute_focused_lead"]) ?? settings.muteFocusedLead
        if let style = try string(table, section + ["desktop"]) {
            guard let desktop = DesktopNotificationStyle(rawValue: style) else {
                let styles = DesktopNotificationStyle.allCases.map(\.rawValue)
                throw failure(
                    at: section + ["desktop"],
                    "desktop must be one of \(styles.joined(separator: ", ")), not \"\(style)\""
                        + DidYouMean.suffix(for: style, among: styles)
                )
            }
            settings.desktop = desktop
        }
        if let window = try string(table, section + ["quiet_hours"]) {
            guard let quietHours = QuietHours(window) else {
                throw failure(
                    at: section + ["quiet_hours"],
                    "bad quiet_hours \"\(window)\": write HH:MM-HH:MM on a 24-hour clock, such as \"22:00-07:00\""
                )
            }
            settings.quietHours = quietHours
        }
        if let kinds = try self.table(table, section + ["kinds"]) {
            settings.kinds = try kindSettings(kinds, path: section + ["kinds"])
        }
        return settings
    }

    private func kindSettings(
        _ table: TOMLTable,
        path: [String]
    ) throws(ConfigError) -> [String: NotificationKindSettings] {
        var kinds: [String: NotificationKindSettings] = [:]
        let names = NotificationSettings.kindNames
        for kind in index.sourceOrder(of: table.keys, in: path) {
            let kindPath = path + [kind]
            guard names.contains(kind) else {
                throw failure(
                    at: kindPath,
                    "unknown notification kind \"\(kind)\" (kinds: \(names.joined(separator: ", ")))"
                        + DidYouMean.suffix(for: kind, among: names)
                )
            }
            guard let settingsTable = try self.table(table, kindPath) else { continue }
            try rejectUnknownKeys(settingsTable, path: kindPath, allowed: Self.kindKeys)
            var settings = NotificationKindSettings()
            settings.bell = try boolean(settingsTable, kindPath + ["bell"]) ?? settings.bell
            settings.toast = try boolean(settingsTable, kindPath + ["toast"]) ?? settings.toast
            settings.desktop = try boolean(settingsTable, kindPath + ["desktop"]) ?? settings.desktop
            kinds[kind] = settings
        }
        return kinds
    }

    // MARK: Typed access

    private func rejectUnknownKeys(_ table: TOMLTable, path: [String], allowed: [String]) throws(ConfigError) {
        for key in index.sourceOrder(of: table.keys, in: path) where !allowed.contains(key) {
            let isSection = table[key]?.type == .table
            let place = path.isEmpty ? "" : " in [\(path.joined(separator: "."))]"
            if isSection {
                throw failure(
                    at: path + [key],
                    "unknown section [\((path + [key]).joined(separator: "."))]"
                        + DidYouMean.suffix(for: key, among: allowed) { "[\((path + [$0]).joined(separator: "."))]" }
                )
            }
            throw failure(
                at: path + [key],
                "unknown key \"\(key)\"\(place)" + DidYouMean.suffix(for: key, among: allowed)
            )
        }
    }

    private func value(_ table: TOMLTable, _ path: [String]) -> (any TOMLValueConvertible)? {
        path.last.flatMap { table[$0] }
    }

    private func string(_ table: TOMLTable, _ path: [String]) throws(ConfigError) -> String? {
        guard let value = value(table, path) else { return nil }
        guard let text = value.string else { throw wrongType(path, expected: "a string", found: value) }
        return text
    }

    private func integer(_ table: TOMLTable, _ path: [String]) throws(ConfigError) -> Int? {
        guard let value = value(table, path) else { return nil }
        guard let number = value.int else { throw wrongType(path, expected: "an integer", found: value) }
        return number
    }

    private func boolean(_ table: TOMLTable, _ path: [String]) throws(ConfigError) -> Bool? {
        guard let value = value(table, path) else { return nil }
        guard let flag = value.bool else { throw wrongType(path, expected: "true or false", found: value) }
        return flag
    }

    private func table(_ table: TOMLTable, _ path: [String]) throws(ConfigError) -> TOMLTable? {
        guard let value = value(table, path) else { return nil }
        guard let nested = value.table else {
            throw wrongType(path, expected: "a table ([\(path.joined(separator: "."))])", found: value)
        }
        return nested
    }

    private func wrongType(_ path: [String], expected: String, found: any TOMLValueConvertible) -> ConfigError {
        failure(at: path, "\(path.joined(separator: ".")) must be \(expected), not \(found.type.withArticle)")
    }

    private func failure(at path: [String], _ message: String) -> ConfigError {
        ConfigError(file: fileName, line: index.line(of: path), message: message)
    }
}
