import Foundation
import Testing

@testable import CloserTUI

private func configError(_ text: String) -> ConfigError? {
    do {
        _ = try ClientConfig.parse(text: text, fileName: "config.toml")
        return nil
    } catch {
        return error
    }
}

@Suite struct ClientConfigTests {
    @Test func sampleParsesToTheDefaultsItDocuments() throws {
        let config = try ClientConfig.parse(text: ClientConfig.sampleTOML, fileName: "sample.toml")
        #expect(config.server == "https://closer.example.com")
        #expect(config.theme == "default")
        #expect(config.autosaveDelayMilliseconds == 500)
        #expect(config.ascii == false)
        #expect(config.sendKey == [.ctrl("s")])
        #expect(config.notifications.quietHours == QuietHours(start: 22 * 60, end: 7 * 60))
        #expect(config.notifications.desktop == .off)
        #expect(config.notifications.kinds["email_opened"] == NotificationKindSettings())
        for context in KeyContext.allCases {
            for action in KeyAction.allCases {
                #expect(
                    Set(config.keymap.bindings(for: action, context: context))
                        == Set(Keymap.defaults.bindings(for: action, context: context)),
                    "\(action) in \(context)"
                )
            }
        }
    }

    @Test func emptyFileMeansDefaults() throws {
        let config = try ClientConfig.parse(text: "# nothing yet\n", fileName: "config.toml")
        #expect(config == ClientConfig())
        #expect(config.server == nil)
        #expect(config.keymap == Keymap.defaults)
        #expect(config.notifications == NotificationSettings())
    }

    @Test func readsEveryKey() throws {
        let config = try ClientConfig.parse(
            text: """
                server = "http://localhost:8080"
                theme = "solarized-dark"
                autosave_delay_ms = 50
                ascii = true

                [keys]
                move_down = ["<C-n>", "j"]
                quit = "Q"
                open_editor = []

                [notifications]
                bell = false
                toast = true
                desktop = "osc777"
                mute_focused_lead = false
                quiet_hours = "12:30-13:15"

                [notifications.kinds.link_clicked]
                toast = false

                [notifications.kinds]
                meeting_booked = { desktop = false }
                """,
            fileName: "config.toml"
        )
        #expect(config.server == "http://localhost:8080")
        #expect(config.theme == "solarized-dark")
        #expect(config.autosaveDelayMilliseconds == 50)
        #expect(config.ascii)
        #expect(config.keymap.bindings(for: .moveDown) == [[.ctrl("n")], [.char("j")]])
        #expect(config.keymap.resolve([.char("Q")], context: .navigation) == .action(.quit))
        #expect(config.keymap.resolve([.char("q")], context: .navigation) == .unbound)
        #expect(config.keymap.resolve([.ctrl("x")], context: .compose) == .unbound)
        let notifications = config.notifications
        #expect(!notifications.bell)
        #expect(notifications.desktop == .osc777)
        #expect(!notifications.muteFocusedLead)
        #expect(notifications.quietHours?.description == "12:30-13:15")
        #expect(notifications.kinds["link_clicked"] == NotificationKindSettings(toast: false))
        #expect(notifications.kinds["meeting_booked"] == NotificationKindSettings(desktop: false))
    }

    @Test func sendKeyAddsToTheSendBindings() throws {
        let extra = try ClientConfig.parse(text: "send_key = \"<C-j>\"\n", fileName: "config.toml")
        #expect(extra.keymap.bindings(for: .send) == [[.ctrl("s")], [KeyEvent(.enter, .alt)], [.ctrl("j")]])
        let both = try ClientConfig.parse(text: "send_key = \"<C-j>\"\n[keys]\nsend = \"<F5>\"\n", fileName: "c.toml")
        #expect(both.keymap.bindings(for: .send) == [[KeyEvent(.function(5))], [.ctrl("j")]])
    }

    @Test func exactMessagesForTheCommonMistakes() throws {
        let text = """
            server = "https://closer.example.com"
            theme = "default"

            [keys]
            send = ["<C-s>", "<M-Enter>"]
            move_down = "j"
            move_up = "k"
            top = "g"
            bottom = "G"
            quit = "q"
            help = "?"
            search = "/"

            sned = "<C-s>"
            """
        let unknown = try #require(configError(text))
        #expect(unknown.description == "config.toml:14: unknown action \"sned\" in [keys] (did you mean \"send\"?)")

        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[13] = "open_editor = \"<C-x>\""
        lines.append("retry_send = \"<C-\"")
        let bad = try #require(configError(lines.joined(separator: "\n")))
        #expect(bad.description.hasPrefix("config.toml:15: bad key name \"<C-\" for action \"retry_send\": "))
    }

    @Test(arguments: [
        ("server = \"x\"\nthem = \"light\"\n", 2, "unknown key \"them\" (did you mean \"theme\"?)"),
        ("[notificatons]\nbell = true\n", 1, "unknown section [notificatons] (did you mean [notifications]?)"),
        ("[keys]\nsend = \"<C-s>\"\n[notifications.sounds]\n", 3, "unknown section [notifications.sounds]"),
        ("[notifications]\nbel = false\n", 2, "unknown key \"bel\" in [notifications] (did you mean \"bell\"?)"),
        ("ascii = true\nautosave_delay_ms = \"500\"\n", 2, "autosave_delay_ms must be an integer, not a string"),
        ("autosave_delay_ms = 20\n", 1, "must be between 50 and 10000, not 20"),
        ("\nautosave_delay_ms = 10001\n", 2, "must be between 50 and 10000"),
        ("ascii = \"yes\"\n", 1, "ascii must be true or false, not a string"),
        ("theme = \"../../etc/passwd\"\n", 1, "bad theme name"),
        ("theme = 5\n", 1, "theme must be a string, not an integer"),
        ("server = \"closer.example.com\"\n", 1, "server must be an http:// or https:// URL"),
        ("keys = \"j\"\n", 1, "keys must be a table ([keys]), not a string"),
        ("[keys]\nsend = 1\n", 2, "keys for \"send\" must be a string or an array of strings, not an integer"),
        ("[keys]\nsend = [\"<C-s>\", 2]\n", 2, "keys for \"send\" must be strings, not an integer"),
        ("[keys]\nsend = [\n  \"<C-s>\",\n  \"<C-\",\n]\n", 4, "bad key name \"<C-\" for action \"send\""),
        ("[keys]\nsend = [\n  \"<C-s>\",\n]\nquit = '<Nope>'\n", 5, "bad key name \"<Nope>\" for action \"quit\""),
        ("send_key = \"<X-s>\"\n", 1, "bad key name \"<X-s>\" for send_key: unknown modifier"),
        ("[keys]\nsend = \"<C-j>\"\ncycle_channel = \"<C-j>\"\n", 3,
         "\"<C-j>\" for \"cycle_channel\" is already bound to \"send\" on line 2"),
        ("send_key = \"<C-j>\"\n[keys]\ncycle_channel = [\"<C-t>\",\n \"<C-j>\"]\n", 4,
         "\"<C-j>\" for \"cycle_channel\" is already bound to send_key on line 1"),
        ("[keys]\nopen_editor = \"<C-x><C-e>\"\nsend = \"<C-x>\"\n", 3, "overlaps \"<C-x><C-e>\""),
        ("[notifications]\ndesktop = \"osc99\"\n", 2, "desktop must be one of off, osc9, osc777, not \"osc99\""),
        ("[notifications]\ndesktop = true\n", 2, "notifications.desktop must be a string, not a boolean"),
        ("[notifications]\n\nquiet_hours = \"22-07\"\n", 3, "bad quiet_hours \"22-07\""),
        ("[notifications]\nquiet_hours = \"25:00-07:00\"\n", 2, "bad quiet_hours"),
        ("[notifications]\nquiet_hours = \"07:00-07:00\"\n", 2, "bad quiet_hours"),
        ("[notifications.kinds.email_openned]\nbell = false\n", 1,
         "unknown notification kind \"email_openned\""),
        ("[notifications.kinds]\nlink_clicked = { bell = true, sound = false }\n", 2,
         "unknown key \"sound\" in [notifications.kinds.link_clicked]"),
        ("[notifications.kinds.lead_converted]\nbell = 1\n", 2,
         "notifications.kinds.lead_converted.bell must be true or false, not an integer"),
        ("[notifications.kinds]\nmessage_received = true\n", 2,
         "notifications.kinds.message_received must be a table"),
        ("server = \"https://a.example\"\nserver = \"https://b.example\"\n", 2, "redefine"),
        ("[keys]\nsend = [\"<C-s>\"\n", 2, "end-of-file"),
    ])
    func everyErrorNamesFileAndLine(text: String, line: Int, fragment: String) throws {
        let error = try #require(configError(text))
        #expect(error.file == "config.toml")
        #expect(error.line == line, "\(error)")
        #expect(error.description.hasPrefix("config.toml:\(line): "), "\(error)")
        #expect(error.message.contains(fragment), "\(error)")
    }

    @Test func unknownKindSuggestsTheRealOne() throws {
        let error = try #require(configError("[notifications.kinds.email_openned]\n"))
        #expect(error.message.hasSuffix("(did you mean \"email_opened\"?)"))
    }
}

@Suite struct ConfigFileTests {
    @Test func pathPrefersAbsoluteXDGConfigHome() {
        let home = "/h/.config/closer/config.toml"
        #expect(ClientConfig.path(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]) == "/x/closer/config.toml")
        #expect(ClientConfig.path(environment: ["XDG_CONFIG_HOME": "x", "HOME": "/h"]) == home)
        #expect(ClientConfig.path(environment: ["XDG_CONFIG_HOME": "", "HOME": "/h/"]) == home)
        #expect(ClientConfig.path(environment: [:]) == nil)
    }

    @Test func missingFileMeansDefaults() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        #expect(try ClientConfig.load(environment: ["XDG_CONFIG_HOME": folder.path]) == ClientConfig())
        #expect(try ClientConfig.load(environment: [:]) == ClientConfig())
    }

    @Test func loadsTheFileAndNamesItWithATilde() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        try folder.write("theme = \"light\"\n", to: ".config/closer/config.toml")
        #expect(try ClientConfig.load(environment: ["HOME": folder.path]).theme == "light")
        try folder.write("theme = \"light\"\n\nautosave = 3\n", to: ".config/closer/config.toml")
        #expect {
            try ClientConfig.load(environment: ["HOME": folder.path])
        } throws: { error in
            (error as? ConfigError)?.description.hasPrefix("~/.config/closer/config.toml:3: unknown key \"autosave\"")
                == true
        }
    }

    @Test func notUTF8IsAnErrorAboutTheWholeFile() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        try folder.makeFolder("closer")
        try Data([0xFF, 0xFE, 0x00]).write(to: folder.url.appendingPathComponent("closer/config.toml"))
        #expect {
            try ClientConfig.load(environment: ["XDG_CONFIG_HOME": folder.path])
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.line == 0 && error.description == "\(folder.path)/closer/config.toml: is not UTF-8 text"
        }
    }
}

@Suite struct NotificationSettingsTests {
    @Test func quietHoursAcrossMidnight() throws {
        let night = try #require(QuietHours("22:00-07:00"))
        #expect(night.contains(minuteOfDay: 22 * 60))
        #expect(night.contains(minuteOfDay: 23 * 60 + 59))
        #expect(night.contains(minuteOfDay: 0))
        #expect(night.contains(minuteOfDay: 6 * 60 + 59))
        #expect(!night.contains(minuteOfDay: 7 * 60))
        #expect(!night.contains(minuteOfDay: 12 * 60))
        #expect(!night.contains(minuteOfDay: 21 * 60 + 59))
    }

    @Test func quietHoursWithinADay() throws {
        let lunch = try #require(QuietHours("12:00-13:30"))
        #expect(!lunch.contains(minuteOfDay: 11 * 60 + 59))
        #expect(lunch.contains(minuteOfDay: 12 * 60))
        #expect(lunch.contains(minuteOfDay: 13 * 60 + 29))
        #expect(!lunch.contains(minuteOfDay: 13 * 60 + 30))
        #expect(lunch.description == "12:00-13:30")
        #expect(QuietHours("9:05 - 17:00")?.description == "09:05-17:00")
    }

    @Test(arguments: [
        "", "22:00", "22:00-", "2200-0700", "24:00-07:00", "22:60-07:00", "22:00-07:00-08:00", "ab:cd-ef:gh",
        "22:0-07:00", "08:00-08:00", "２２:００-07:00",
    ])
    func rejectsMalformedQuietHours(text: String) {
        #expect(QuietHours(text) == nil)
    }

    @Test func bellFollowsMasterKindFocusAndQuietHours() {
        var settings = NotificationSettings(quietHours: QuietHours("22:00-07:00"))
        settings.kinds["email_opened"] = NotificationKindSettings(bell: false)
        let noon = 12 * 60
        #expect(settings.rings(kind: "message_received", minuteOfDay: noon, isFocusedLead: false))
        #expect(!settings.rings(kind: "message_received", minuteOfDay: noon, isFocusedLead: true))
        #expect(!settings.rings(kind: "message_received", minuteOfDay: 23 * 60, isFocusedLead: false))
        #expect(!settings.rings(kind: "email_opened", minuteOfDay: noon, isFocusedLead: false))
        #expect(settings.rings(kind: "a_kind_from_a_newer_server", minuteOfDay: noon, isFocusedLead: false))
        settings.muteFocusedLead = false
        #expect(settings.rings(kind: "message_received", minuteOfDay: noon, isFocusedLead: true))
        settings.bell = false
        #expect(!settings.rings(kind: "message_received", minuteOfDay: noon, isFocusedLead: false))
    }

    @Test func toastsIgnoreQuietHoursButDesktopDoesNot() {
        var settings = NotificationSettings(desktop: .osc9, quietHours: QuietHours("22:00-07:00"))
        #expect(settings.showsToast(kind: "link_clicked"))
        #expect(settings.desktopStyle(kind: "link_clicked", minuteOfDay: 12 * 60) == .osc9)
        #expect(settings.desktopStyle(kind: "link_clicked", minuteOfDay: 23 * 60) == .off)
        settings.kinds["link_clicked"] = NotificationKindSettings(toast: false, desktop: false)
        #expect(!settings.showsToast(kind: "link_clicked"))
        #expect(settings.desktopStyle(kind: "link_clicked", minuteOfDay: 12 * 60) == .off)
        settings.toast = false
        #expect(!settings.showsToast(kind: "message_received"))
    }
}
