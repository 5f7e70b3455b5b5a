import Foundation

/// Finds themes by name on disk.
///
/// Folders are searched in order, the first `NAME.toml` found wins:
/// 1. the rep's own, `$XDG_CONFIG_HOME/closer/themes` (or `~/.config/closer/themes`);
/// 2. the installed ones, `<executable dir>/../share/closer/themes`;
/// 3. the source tree's `Themes` folder, found by walking up from the executable to a folder
///    holding both `Package.swift` and `Themes`, so `swift run` and `.build` binaries find them.
///
/// Loading never fails: a missing or broken theme gives the built-in default and a warning for
/// the status bar, because a colour scheme is no reason to keep a rep out of their inbox.
public struct ThemeCatalog: Sendable {
    /// The folders searched, in order. Folders that do not exist are kept: they still say where a
    /// theme could go.
    public let searchDirectories: [String]

    private let home: String?

    /// A catalog for the given environment (`XDG_CONFIG_HOME`, `HOME`) and executable. Pass the
    /// executable's absolute path (as `/proc/self/exe` or `Bundle.main.executablePath` give it), not
    /// `argv[0]`, which may be a bare name found through `PATH`.
    public init(environment: [String: String], executablePath: String) {
        home = environment["HOME"]
        var directories: [String] = []
        if let config = ClientConfig.directory(environment: environment) {
            directories.append(config + "/themes")
        }
        let executable = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath()
        let executableDirectory = executable.deletingLastPathComponent()
        directories.append(
            executableDirectory.deletingLastPathComponent().appendingPathComponent("share/closer/themes")
                .standardizedFileURL.path
        )
        if let sourceThemes = Self.sourceTreeThemes(above: executableDirectory) {
            directories.append(sourceThemes)
        }
        var seen = Set<String>()
        searchDirectories = directories.filter { seen.insert($0).inserted }
    }

    /// Every theme that can be chosen: the built-in default and each `.toml` in the search
    /// folders, sorted and without repeats.
    public func available() -> [String] {
        var names: Set<String> = [BuiltinTheme.name]
        for directory in searchDirectories {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for file in files where file.hasSuffix(".toml") {
                let name = String(file.dropLast(5))
                if Self.isValidName(name) { names.insert(name) }
            }
        }
        return names.sorted()
    }

    /// The file `name` would be loaded from, if any.
    public func path(of name: String) -> String? {
        guard Self.isValidName(name) else { return nil }
        return searchDirectories
            .map { $0 + "/" + name + ".toml" }
            .first { FileManager.default.fileExists(atPath: $0) }
    }

    /// The theme called `name`, or the built-in default with a warning naming the file (and line)
    /// that kept `name` from loading.
    public func load(_ name: String) -> (Theme, warning: String?) {
        let fallback = BuiltinTheme.theme
        guard Self.isValidName(name) else {
            return (fallback, "theme \"\(name)\" is not a valid name (letters, digits, '-', '_', '.'); using default")
        }
        guard let path = path(of: name) else {
            if name == BuiltinTheme.name { return (fallback, nil) }
            let places = searchDirectories.map { $0.abbreviatingHome(home) }.joined(separator: ", ")
            return (fallback, "theme \"\(name)\" not found: no \(name).toml in \(places); using default")
        }
        let shownPath = path.abbreviatingHome(home)
        guard let data = FileManager.default.contents(atPath: path) else {
            return (fallback, "\(shownPath): cannot be read; using default")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return (fallback, "\(shownPath): not UTF-8 text; using default")
        }
        do {
            return (try ThemeLoader.load(text: text, fileName: shownPath), nil)
        } catch {
            return (fallback, "\(error.description); using default")
        }
    }

    /// Theme names become file names, so they may not climb out of the themes folder.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".")
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }

    private static func sourceTreeThemes(above directory: URL) -> String? {
        let fileManager = FileManager.default
        var folder = directory.standardizedFileURL.path
        while !folder.isEmpty {
            let themes = folder == "/" ? "/Themes" : folder + "/Themes"
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: (folder == "/" ? "" : folder) + "/Package.swift"),
                fileManager.fileExists(atPath: themes, isDirectory: &isDirectory), isDirectory.boolValue
            {
                return themes
            }
            guard folder != "/", let slash = folder.lastIndex(of: "/") else { return nil }
            folder = slash == folder.startIndex ? "/" : String(folder[..<slash])
        }
        return nil
    }
}
