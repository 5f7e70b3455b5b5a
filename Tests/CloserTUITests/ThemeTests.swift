import Foundation
import Testing

@testable import CloserTUI

/// The package's own folder, found from this file so the tests read the real `Themes` folder
/// even when they are compiled through symlinks from another package.
enum SourceTree {
    static let root: URL = {
        var folder = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        let fileManager = FileManager.default
        while folder.path != "/" {
            if fileManager.fileExists(atPath: folder.appendingPathComponent("Package.swift").path),
                fileManager.fileExists(atPath: folder.appendingPathComponent("Themes").path)
            {
                return folder
            }
            folder = folder.deletingLastPathComponent()
        }
        return folder
    }()

    static let themes = root.appendingPathComponent("Themes")

    /// The names of the theme files in `Themes`, so every shipped theme is tested, new ones too.
    static func themeNames() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: themes.path)) ?? []
        return files.filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }.sorted()
    }

    static func themeText(_ name: String) throws -> String {
        try String(contentsOf: themes.appendingPathComponent(name + ".toml"), encoding: .utf8)
    }
}

/// A folder under the system temporary folder, removed by `remove()`.
struct TemporaryFolder {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("closer-tests-\(UUID().uuidString)")

    var path: String { url.path }

    func write(_ text: String, to relativePath: String) throws {
        let file = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
    }

    func makeFolder(_ relativePath: String) throws {
        try FileManager.default.createDirectory(
            at: url.appendingPathComponent(relativePath),
            withIntermediateDirectories: true
        )
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

private let requiredThemes = ["default", "light", "solarized-dark", "high-contrast", "monochrome"]

private func loadError(_ text: String, file: String = "themes/ocean.toml") -> ThemeError? {
    do {
        _ = try ThemeLoader.load(text: text, fileName: file)
        return nil
    } catch {
        return error
    }
}

@Suite struct ShippedThemeTests {
    @Test func themesFolderHoldsTheRequiredThemes() {
        #expect(Set(SourceTree.themeNames()).isSuperset(of: requiredThemes))
    }

    @Test(arguments: SourceTree.themeNames())
    func loadsWithoutWarningAndNamesEveryRole(name: String) throws {
        let catalog = ThemeCatalog(environment: [:], executablePath: SourceTree.root.path + "/.build/nowhere/closer")
        let (theme, warning) = catalog.load(name)
        #expect(warning == nil)
        #expect(theme.name == name)
        #expect(theme.inheritedRoles.isEmpty, "roles left to the fallback: \(theme.inheritedRoles)")
        #expect(!theme.description.isEmpty)
    }

    @Test func builtinThemeIsTheDefaultFileByteForByte() throws {
        #expect(BuiltinTheme.toml == (try SourceTree.themeText("default")))
        #expect(BuiltinTheme.theme.name == "default")
        #expect(BuiltinTheme.theme.inheritedRoles.isEmpty)
    }

    @Test(arguments: SourceTree.themeNames().filter { $0 != "monochrome" })
    func colourThemesKeepMeaningfulRolesApart(name: String) throws {
        let theme = try ThemeLoader.load(text: SourceTree.themeText(name), fileName: name + ".toml")
        #expect(theme.style(for: .inboundHeader).foreground != theme.style(for: .outboundHeader).foreground)
        #expect(theme.style(for: .inboundBody) != theme.style(for: .outboundBody))
        let statuses: [Role] = [
            .statusNew, .statusContacted, .statusReplied, .statusQualified, .statusMeetingBooked,
            .statusConverted, .statusLost,
        ]
        #expect(Set(statuses.map(theme.style(for:))).count == statuses.count)
        #expect(theme.style(for: .toastAlert).background != .default)
        #expect(theme.style(for: .toastAlert) != theme.style(for: .toast))
        #expect(theme.style(for: .kpiChanged).background != theme.style(for: .kpiValue).background)
        #expect(theme.style(for: .selection).background != .default)
    }

    @Test func monochromeUsesNoColourAtAll() throws {
        let theme = try ThemeLoader.load(text: SourceTree.themeText("monochrome"), fileName: "monochrome.toml")
        for role in Role.allCases {
            #expect(theme.style(for: role).foreground == .default, "\(role)")
            #expect(theme.style(for: role).background == .default, "\(role)")
        }
        #expect(theme.style(for: .selection).attributes.contains(.reverse))
        #expect(theme.style(for: .leadNameUnread).attributes.contains(.bold))
        #expect(theme.style(for: .leadPreview).attributes.contains(.dim))
        #expect(theme.style(for: .linkClicked).attributes.contains(.underline))
        #expect(theme.style(for: .inboundHeader) != theme.style(for: .outboundHeader))
    }

    @Test func solarizedUsesTheRealPalette() throws {
        let theme = try ThemeLoader.load(text: SourceTree.themeText("solarized-dark"), fileName: "solarized-dark.toml")
        let base0 = Color.rgb(0x83, 0x94, 0x96)
        let base03 = Color.rgb(0x00, 0x2B, 0x36)
        #expect(theme.style(for: .text) == Style(foreground: base0, background: base03))
        #expect(theme.style(for: .statusConverted).foreground == .rgb(0x85, 0x99, 0x00))
        #expect(theme.style(for: .deliveryFailed).foreground == .rgb(0xDC, 0x32, 0x2F))
    }
}

@Suite struct ThemeLoaderTests {
    @Test func readsEveryColourNotationAndAttribute() throws {
        let theme = try ThemeLoader.load(
            text: """
                name = "ocean"
                [palette]
                accent = "#5fafff"
                [roles]
                border = { fg = 240, bg = "default" }
                title_focused = { fg = "accent", bold = true }
                selection = { fg = "#FFFFFF", bg = "bright_blue", reverse = true, italic = true }
                dim = { fg = "red", dim = true, underline = true, bold = false }
                """,
            fileName: "ocean.toml"
        )
        #expect(theme.name == "ocean")
        #expect(theme.style(for: .border) == Style(foreground: .indexed(240)))
        #expect(theme.style(for: .titleFocused) == Style(foreground: .rgb(0x5F, 0xAF, 0xFF), attributes: .bold))
        #expect(
            theme.style(for: .selection)
                == Style(foreground: .rgb(255, 255, 255), background: .indexed(12), attributes: [.reverse, .italic])
        )
        #expect(theme.style(for: .dim) == Style(foreground: .indexed(1), attributes: [.dim, .underline]))
    }

    @Test func missingRolesComeFromTheBuiltinDefault() throws {
        let theme = try ThemeLoader.load(text: "[roles]\nborder = { fg = 1 }\n", fileName: "themes/sparse.toml")
        #expect(theme.name == "sparse")
        #expect(theme.style(for: .border) == Style(foreground: .indexed(1)))
        #expect(theme.style(for: .selection) == BuiltinTheme.theme.style(for: .selection))
        #expect(theme.inheritedRoles == Set(Role.allCases).subtracting([.border]))
        let custom = Theme(name: "code", styles: [.text: Style(attributes: .bold)])
        #expect(custom.style(for: .toastAlert) == BuiltinTheme.theme.style(for: .toastAlert))
    }

    @Test func paletteNamesMayReuseANSINames() throws {
        let theme = try ThemeLoader.load(
            text: "[palette]\nred = \"#dc322f\"\n[roles]\nerror = { fg = \"red\" }\n",
            fileName: "t.toml"
        )
        #expect(theme.style(for: .error).foreground == .rgb(0xDC, 0x32, 0x2F))
    }

    @Test func syntaxErrorNamesFileAndLine() throws {
        let error = try #require(loadError("name = \"ocean\"\n[roles]\nborder = { fg = 240\ntext = {}\n"))
        #expect(error.file == "themes/ocean.toml")
        #expect(error.line == 3)
        #expect(error.description.hasPrefix("themes/ocean.toml:3: "))
    }

    @Test func unknownRoleSuggestsTheNearestOne() throws {
        let text = """
            # Ocean
            name = "ocean"

            [palette]
            sea = "#005f87"

            [roles]
            text = {}
            title = { bold = true }
            dim = { dim = true }

            bordr = { fg = "sea" }
            """
        let error = try #require(loadError(text))
        #expect(error.description == "themes/ocean.toml:12: unknown role \"bordr\" (did you mean \"border\"?)")
    }

    @Test func unrelatedUnknownRoleHasNoSuggestion() throws {
        let error = try #require(loadError("[roles]\nzzzzzz = {}\n"))
        #expect(error.description == "themes/ocean.toml:2: unknown role \"zzzzzz\"")
    }

    @Test(arguments: [
        ("[roles]\ntext = {}\nborder = { fg = \"#12345\" }\n", 3, "bad colour \"#12345\""),
        ("[roles]\nborder = { fg = \"#gg0000\" }\n", 2, "bad colour"),
        ("[roles]\n\nborder = { fg = 256 }\n", 3, "out of range"),
        ("[roles]\nborder = { fg = -1 }\n", 2, "out of range"),
        ("[roles]\nborder = { fg = 1.5 }\n", 2, "not a floating-point number"),
        ("[palette]\nsea = \"#005f87\"\n[roles]\nborder = { fg = \"seaa\" }\n", 4, "(did you mean \"sea\"?)"),
        ("[roles]\nborder = { fg = \"purple\" }\n", 2, "unknown colour or palette name \"purple\""),
        ("[roles]\nborder = { bold = \"yes\" }\n", 2, "\"bold\" must be true or false, not a string"),
        ("[roles]\nborder = { bolt = true }\n", 2, "unknown style key \"bolt\" in \"border\" (did you mean \"bold\"?)"),
        ("[roles]\nborder = \"red\"\n", 2, "must be a table"),
        ("name = \"x\"\ncolours = 3\n[roles]\n", 2, "unknown key \"colours\""),
        ("name = \"x\"\n[role]\nborder = {}\n", 2, "unknown key \"role\" (did you mean \"roles\"?)"),
        ("name = 3\n[roles]\n", 1, "\"name\" must be a string"),
        ("name = \"x\"\n", 1, "no [roles] table"),
        ("[palette]\naccent = \"sea\"\n[roles]\n", 2, "unknown colour \"sea\""),
        ("[palette]\ndefault = \"#000000\"\n[roles]\n", 2, "cannot be a palette name"),
        ("[roles]\n[roles.border]\nfg = 1\nbg = \"nope\"\n", 4, "unknown colour or palette name \"nope\""),
    ])
    func semanticErrorsNameTheLine(text: String, line: Int, fragment: String) throws {
        let error = try #require(loadError(text))
        #expect(error.line == line, "\(error)")
        #expect(error.description.contains(fragment), "\(error)")
        #expect(error.description.hasPrefix("themes/ocean.toml:\(line): "))
    }

    @Test func linesInsideStringsCommentsAndArraysAreNotKeys() throws {
        let text = #"""
            name = "ocean" # roles = "not a key"
            description = """
            bordr = { fg = 1 }
            [roles]
            """
            [palette]
            shades = "#000000"
            # bordr = {}
            [roles]
            "text" = { fg = "shades", bold = true }
            bordr = { fg = "#123456" }
            """#
        let error = try #require(loadError(text))
        #expect(error.line == 11, "\(error)")
        #expect(error.message.contains("bordr"))
    }

    @Test func firstProblemInTheFileIsReportedFirst() throws {
        let error = try #require(loadError("[roles]\nzebra = {}\naardvark = {}\n"))
        #expect(error.line == 2)
        #expect(error.message.contains("zebra"))
    }

    @Test func monochromeVersionKeepsAttributesAndReversesHighlights() throws {
        let mono = BuiltinTheme.theme.monochromeVersion()
        for role in Role.allCases {
            let style = mono.style(for: role)
            #expect(style.foreground == .default && style.background == .default, "\(role)")
            let original = BuiltinTheme.theme.style(for: role).attributes
            #expect(style.attributes.isSuperset(of: original), "\(role)")
        }
        for role: Role in [.selection, .selectionUnfocused, .cursor, .toast, .toastAlert] {
            #expect(mono.style(for: role).attributes.contains(.reverse), "\(role)")
        }
        #expect(mono.style(for: .text).attributes.isEmpty)
        #expect(mono.name == "default")
    }
}

@Suite struct ColorDepthTests {
    @Test func pureRedAtEachDepth() {
        let red = Color.rgb(0xFF, 0x00, 0x00)
        #expect(approximate(red, depth: .trueColor) == 0xFF0000)
        #expect(approximate(red, depth: .palette256) == 196)
        #expect(approximate(red, depth: .palette16) == 9)
        #expect(approximate(red, depth: .palette8) == 1)
        #expect(approximate(red, depth: .none) == -1)
    }

    @Test func defaultIsAlwaysTheTerminalDefault() {
        for depth in ColorDepth.allCases {
            #expect(approximate(.default, depth: depth) == -1)
        }
    }

    @Test func indexedColoursStayThemselvesAt256() {
        for index in 0...255 {
            #expect(approximate(.indexed(UInt8(index)), depth: .palette256) == index)
        }
    }

    @Test func theRGBOfEveryCubeAndGreyEntryMapsBackToIt() {
        for index in 16...255 {
            let rgb = XtermPalette.rgb(ofIndex: UInt8(index))
            let color = Color.rgb(UInt8(rgb.red), UInt8(rgb.green), UInt8(rgb.blue))
            #expect(approximate(color, depth: .palette256) == index)
        }
    }

    @Test func nearestEntries() {
        #expect(approximate(.rgb(0x80, 0x80, 0x80), depth: .palette256) == 244)
        #expect(approximate(.rgb(0x5F, 0xAF, 0xFF), depth: .palette256) == 75)
        // Solarized's near-black base03 must stay near black, not become the teal cube entry 23.
        #expect((232...236).contains(approximate(.rgb(0x00, 0x2B, 0x36), depth: .palette256)))
        #expect(approximate(.rgb(0x10, 0x10, 0x10), depth: .palette16) == 0)
        #expect(approximate(.rgb(0xF0, 0xF0, 0xF0), depth: .palette16) == 7)
        #expect(approximate(.rgb(0xFA, 0xFA, 0xFA), depth: .palette16) == 15)
        #expect(approximate(.rgb(0x00, 0x00, 0xC0), depth: .palette8) == 4)
        #expect(approximate(.rgb(0x7F, 0x7F, 0x7F), depth: .palette16) == 8)
    }

    @Test func indexedColoursAtLowerDepths() {
        #expect(approximate(.indexed(9), depth: .palette16) == 9)
        #expect(approximate(.indexed(196), depth: .palette16) == 9)
        #expect(approximate(.indexed(9), depth: .palette8) == 1)
        #expect(approximate(.indexed(4), depth: .palette8) == 4)
        #expect(approximate(.indexed(196), depth: .trueColor) == 0xFF0000)
        #expect(approximate(.indexed(9), depth: .trueColor) == 0xFF0000)
        #expect(approximate(.indexed(244), depth: .trueColor) == 0x808080)
    }

    @Test func detection() {
        #expect(ColorDepth.detect(colors: 256, hasRGBFlag: false, environment: [:]) == .palette256)
        #expect(ColorDepth.detect(colors: 256, hasRGBFlag: true, environment: [:]) == .trueColor)
        #expect(ColorDepth.detect(colors: 1 << 24, hasRGBFlag: false, environment: [:]) == .trueColor)
        #expect(ColorDepth.detect(colors: 88, hasRGBFlag: false, environment: [:]) == .palette16)
        #expect(ColorDepth.detect(colors: 16, hasRGBFlag: false, environment: [:]) == .palette16)
        #expect(ColorDepth.detect(colors: 8, hasRGBFlag: false, environment: [:]) == .palette8)
        #expect(ColorDepth.detect(colors: 2, hasRGBFlag: false, environment: [:]) == .none)
        #expect(ColorDepth.detect(colors: -1, hasRGBFlag: false, environment: [:]) == .none)
    }

    @Test func noColorWinsWhenSetAndNotEmpty() {
        #expect(ColorDepth.detect(colors: 1 << 24, hasRGBFlag: true, environment: ["NO_COLOR": "1"]) == .none)
        #expect(ColorDepth.detect(colors: 256, hasRGBFlag: false, environment: ["NO_COLOR": "yes"]) == .none)
        #expect(ColorDepth.detect(colors: 256, hasRGBFlag: false, environment: ["NO_COLOR": ""]) == .palette256)
    }
}

@Suite struct ThemeCatalogTests {
    /// A folder tree with all three places a theme can live:
    /// config/closer/themes, src/.build/share/closer/themes (installed next to src/.build/bin/closer)
    /// and src/Themes (the source tree, next to src/Package.swift).
    private func makeTree() throws -> (TemporaryFolder, environment: [String: String], executable: String) {
        let folder = TemporaryFolder()
        let theme = { (name: String) in "name = \"\(name)\"\ndescription = \"test\"\n[roles]\nborder = { fg = 1 }\n" }
        try folder.write(theme("ocean-user"), to: "config/closer/themes/ocean.toml")
        try folder.write(theme("ocean-installed"), to: "src/.build/share/closer/themes/ocean.toml")
        try folder.write(theme("sunset-installed"), to: "src/.build/share/closer/themes/sunset.toml")
        try folder.write(theme("ocean-source"), to: "src/Themes/ocean.toml")
        try folder.write(theme("sunset-source"), to: "src/Themes/sunset.toml")
        try folder.write(theme("dawn-source"), to: "src/Themes/dawn.toml")
        try folder.write("[roles]\nborder = { fg = \"nope\" }\n", to: "src/Themes/broken.toml")
        try folder.write("not a theme", to: "src/Themes/README.md")
        try folder.write("// swift-tools-version:6.2\n", to: "src/Package.swift")
        try folder.write("", to: "src/.build/bin/closer")
        let environment = ["XDG_CONFIG_HOME": folder.path + "/config", "HOME": folder.path + "/home"]
        return (folder, environment, folder.path + "/src/.build/bin/closer")
    }

    @Test func searchesConfigThenInstalledThenSourceTree() throws {
        let (folder, environment, executable) = try makeTree()
        defer { folder.remove() }
        let catalog = ThemeCatalog(environment: environment, executablePath: executable)
        let root = folder.url.resolvingSymlinksInPath().path
        #expect(
            catalog.searchDirectories == [
                folder.path + "/config/closer/themes",
                root + "/src/.build/share/closer/themes",
                root + "/src/Themes",
            ]
        )
        #expect(catalog.load("ocean").0.name == "ocean-user")
        #expect(catalog.load("sunset").0.name == "sunset-installed")
        #expect(catalog.load("dawn").0.name == "dawn-source")
        #expect(catalog.load("dawn").warning == nil)
        #expect(catalog.available() == ["broken", "dawn", "default", "ocean", "sunset"])
    }

    @Test func fallsBackToHomeConfigWithoutXDG() throws {
        let (folder, _, executable) = try makeTree()
        defer { folder.remove() }
        try folder.write("name = \"home-ocean\"\n[roles]\n", to: "home/.config/closer/themes/ocean.toml")
        let home = folder.path + "/home"
        for environment in [["HOME": home], ["HOME": home, "XDG_CONFIG_HOME": "relative/path"]] {
            let catalog = ThemeCatalog(environment: environment, executablePath: executable)
            #expect(catalog.searchDirectories.first == folder.path + "/home/.config/closer/themes")
            #expect(catalog.load("ocean").0.name == "home-ocean")
        }
    }

    @Test func brokenThemeGivesDefaultAndAWarningWithFileAndLine() throws {
        let (folder, environment, executable) = try makeTree()
        defer { folder.remove() }
        let (theme, warning) = ThemeCatalog(environment: environment, executablePath: executable).load("broken")
        #expect(theme == BuiltinTheme.theme)
        let text = try #require(warning)
        #expect(text.contains("src/Themes/broken.toml:2: unknown colour or palette name \"nope\""), "\(text)")
    }

    @Test func missingThemeGivesDefaultAndAWarning() throws {
        let (folder, environment, executable) = try makeTree()
        defer { folder.remove() }
        let catalog = ThemeCatalog(environment: environment, executablePath: executable)
        let (theme, warning) = catalog.load("nightfall")
        #expect(theme == BuiltinTheme.theme)
        #expect(warning?.contains("theme \"nightfall\" not found: no nightfall.toml in") == true)
        #expect(catalog.load("../config/closer/themes/ocean").warning?.contains("not a valid name") == true)
        #expect(catalog.load("").warning != nil)
    }

    @Test func defaultNeedsNoFolderAtAll() {
        let catalog = ThemeCatalog(environment: [:], executablePath: "/nonexistent/bin/closer")
        let (theme, warning) = catalog.load("default")
        #expect(theme == BuiltinTheme.theme)
        #expect(warning == nil)
        #expect(catalog.available() == ["default"])
        #expect(catalog.searchDirectories == ["/nonexistent/share/closer/themes"])
    }

    @Test func homeIsAbbreviatedInWarnings() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        try folder.write("[roles]\n\nborder = { bold = 1 }\n", to: ".config/closer/themes/bad.toml")
        let catalog = ThemeCatalog(environment: ["HOME": folder.path], executablePath: "/nonexistent/bin/closer")
        let warning = catalog.load("bad").warning
        #expect(warning?.hasPrefix("~/.config/closer/themes/bad.toml:3: ") == true, "\(warning ?? "")")
    }

    @Test func findsTheRepositoryThemesFromABuildFolder() {
        let catalog = ThemeCatalog(environment: [:], executablePath: SourceTree.root.path + "/.build/debug/closer")
        #expect(catalog.searchDirectories.last == SourceTree.themes.resolvingSymlinksInPath().path)
        #expect(Set(catalog.available()).isSuperset(of: requiredThemes))
    }
}
