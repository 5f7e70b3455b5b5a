import TOMLKit

/// A problem in a theme file, pinned to the file and line:
/// `themes/ocean.toml:12: unknown role "bordr" (did you mean "border"?)`.
public struct ThemeError: Error, CustomStringConvertible, Equatable {
    /// The file as named to the loader.
    public let file: String
    /// The 1-based line of the offending key or value.
    public let line: Int
    /// What is wrong, without the file and line.
    public let message: String

    /// Creates an error for `file` at `line`.
    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line: message`.
    public var description: String { "\(file):\(line): \(message)" }
}

/// Turns the text of a theme file into a `Theme`.
///
/// The format:
/// ```toml
/// name = "ocean"
/// description = "Deep blues"
/// [palette]                 # optional names for colours used below
/// accent = "#5fafff"
/// [roles]                   # one style per Role, by its raw value
/// border = { fg = 240 }
/// title_focused = { fg = "accent", bold = true }
/// ```
/// A colour is `"default"`, an integer 0–255, `"#rrggbb"`, a palette name or an ANSI name
/// (`red`, `bright_red`…); a palette entry may reuse an ANSI name, as Solarized's `red` does, and
/// then means the palette's colour throughout the file. Attributes are the booleans `bold`,
/// `dim`, `underline`, `reverse`, `italic`. Anything else is an error naming the file and line:
/// a theme that silently ignored a typo would leave the rep wondering why nothing changed.
public enum ThemeLoader {
    /// The keys a theme file may have at its top level.
    static let topLevelKeys = ["name", "description", "palette", "roles"]
    /// The keys a role's style may have.
    static let styleKeys = ["fg", "bg", "bold", "dim", "underline", "reverse", "italic"]
    /// The 16 ANSI colour names, indexed by their colour number.
    static let ansiColorNames = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
        "bright_black", "bright_red", "bright_green", "bright_yellow",
        "bright_blue", "bright_magenta", "bright_cyan", "bright_white",
    ]

    /// Parses a theme. `fileName` is used in errors and, when the file has no `name`, as the
    /// theme's name (without its `.toml` extension). Roles the file leaves out come from the
    /// built-in default theme.
    public static func load(text: String, fileName: String) throws(ThemeError) -> Theme {
        try load(text: text, fileName: fileName, fallback: BuiltinTheme.theme)
    }

    /// Parses a theme whose missing roles come from `fallback` (none for the built-in theme itself,
    /// which cannot fall back on itself while it is being built).
    static func load(text: String, fileName: String, fallback: Theme?) throws(ThemeError) -> Theme {
        var parser = Parser(text: text, fileName: fileName)
        return try parser.parse(fallback: fallback)
    }

    private struct Parser {
        let text: String
        let fileName: String
        let index: TOMLSourceIndex
        var palette: [String: Color] = [:]

        init(text: String, fileName: String) {
            self.text = text
            self.fileName = fileName
            self.index = TOMLSourceIndex(text: text)
        }

        mutating func parse(fallback: Theme?) throws(ThemeError) -> Theme {
            let root: TOMLTable
            do {
                root = try TOMLTable(string: text)
            } catch let error as TOMLParseError {
                throw ThemeError(file: fileName, line: error.source.begin.line, message: error.conciseMessage)
            } catch {
                throw ThemeError(file: fileName, line: 1, message: "cannot parse: \(error)")
            }

            for key in index.sourceOrder(of: root.keys, in: []) where !topLevelKeys.contains(key) {
                throw failure(at: [key], "unknown key \"\(key)\"" + DidYouMean.suffix(for: key, among: topLevelKeys))
            }
            let name = try string(root, "name") ?? Self.baseName(of: fileName)
            let description = try string(root, "description") ?? ""
            if let table = try table(root, "palette") { try readPalette(table) }
            guard let roles = try table(root, "roles") else {
                throw failure(at: [], "no [roles] table: a theme names a style for each role")
            }
            let styles = try readRoles(roles)
            return Theme(name: name, description: description, styles: styles, fallback: fallback)
        }

        private mutating func readPalette(_ table: TOMLTable) throws(ThemeError) {
            for name in index.sourceOrder(of: table.keys, in: ["palette"]) {
                let path = ["palette", name]
                if name == "default" {
                    throw failure(at: path, "\"default\" cannot be a palette name: it means the terminal's colour")
                }
                guard let value = table[name] else { continue }
                palette[name] = try literalColor(value, path: path, allowPaletteNames: false)
            }
        }

        private func readRoles(_ table: TOMLTable) throws(ThemeError) -> [Role: Style] {
            var styles: [Role: Style] = [:]
            let roleNames = Role.allCases.map(\.rawValue)
            for name in index.sourceOrder(of: table.keys, in: ["roles"]) {
                let path = ["roles", name]
                guard let role = Role(rawValue: name) else {
                    throw failure(at: path, "unknown role \"\(name)\"" + DidYouMean.suffix(for: name, among: roleNames))
                }
                guard let value = table[name], let styleTable = value.table else {
                    throw failure(
                        at: path,
                        "the style of \"\(name)\" must be a table like { fg = \"red\", bold = true }, not "
                            + (table[name]?.type.withArticle ?? "nothing")
                    )
                }
                styles[role] = try style(styleTable, path: path)
            }
            return styles
        }

        private func style(_ table: TOMLTable, path: [String]) throws(ThemeError) -> Style {
            var style = Style()
            let attributes: [(String, TextAttributes)] = [
                ("bold", .bold), ("dim", .dim), ("underline", .underline), ("reverse", .reverse), ("italic", .italic),
            ]
            for key in index.sourceOrder(of: table.keys, in: path) {
                guard let value = table[key] else { continue }
                let keyPath = path + [key]
                switch key {
                case "fg":
                    style.foreground = try color(value, path: keyPath)
                case "bg":
                    style.background = try color(value, path: keyPath)
                default:
                    guard let attribute = attributes.first(where: { $0.0 == key })?.1 else {
                        throw failure(
                            at: keyPath,
                            "unknown style key \"\(key)\" in \"\(path.last ?? "")\""
                                + DidYouMean.suffix(for: key, among: ThemeLoader.styleKeys)
                        )
                    }
                    guard let flag = value.bool else {
                        throw failure(at: keyPath, "\"\(key)\" must be true or false, not \(value.type.withArticle)")
                    }
                    if flag { style.attributes.insert(attribute) }
                }
            }
            return style
        }

        private func color(_ value: any TOMLValueConvertible, path: [String]) throws(ThemeError) -> Color {
            try literalColor(value, path: path, allowPaletteNames: true)
        }

        private func literalColor(
            _ value: any TOMLValueConvertible,
            path: [String],
            allowPaletteNames: Bool
        ) throws(ThemeError) -> Color {
            if let number = value.int {
                guard (0...255).contains(number) else {
                    throw failure(at: path, "colour \(number) is out of range: indexed colours are 0 to 255")
                }
                return .indexed(UInt8(number))
            }
            guard let text = value.string else {
                throw failure(
                    at: path,
                    "a colour must be a string or an integer 0–255, not \(value.type.withArticle)"
                )
            }
            if text == "default" { return .default }
            if text.hasPrefix("#") {
                guard let rgb = Self.hexColor(text) else {
                    throw failure(at: path, "bad colour \"\(text)\": write RGB colours as \"#rrggbb\"")
                }
                return rgb
            }
            if allowPaletteNames, let named = palette[text] { return named }
            if let number = ThemeLoader.ansiColorNames.firstIndex(of: text) { return .indexed(UInt8(number)) }
            let known = ["default"] + (allowPaletteNames ? palette.keys.sorted() : []) + ThemeLoader.ansiColorNames
            let origin = allowPaletteNames ? "colour or palette name" : "colour"
            throw failure(at: path, "unknown \(origin) \"\(text)\"" + DidYouMean.suffix(for: text, among: known))
        }

        private func string(_ table: TOMLTable, _ key: String) throws(ThemeError) -> String? {
            guard let value = table[key] else { return nil }
            guard let text = value.string else {
                throw failure(at: [key], "\"\(key)\" must be a string, not \(value.type.withArticle)")
            }
            return text
        }

        private func table(_ table: TOMLTable, _ key: String) throws(ThemeError) -> TOMLTable? {
            guard let value = table[key] else { return nil }
            guard let nested = value.table else {
                throw failure(at: [key], "\"\(key)\" must be a table ([\(key)]), not \(value.type.withArticle)")
            }
            return nested
        }

        private func failure(at path: [String], _ message: String) -> ThemeError {
            ThemeError(file: fileName, line: index.line(of: path), message: message)
        }

        static func hexColor(_ text: String) -> Color? {
            let digits = text.dropFirst()
            guard digits.count == 6, digits.allSatisfy(\.isHexDigit), let value = UInt32(digits, radix: 16) else {
                return nil
            }
            return .rgb(UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF))
        }

        static func baseName(of fileName: String) -> String {
            let last = fileName.split(separator: "/").last.map(String.init) ?? fileName
            return last.hasSuffix(".toml") ? String(last.dropLast(5)) : last
        }
    }
}
