import TOMLKit

/// A problem in `config.toml`, pinned to the file and line so the rep can go straight to it.
///
/// The description reads like a compiler diagnostic:
/// `~/.config/closer/config.toml:14: unknown action "sned" in [keys] (did you mean "send"?)`.
/// Line 0 means the problem concerns the whole file (it cannot be read), and is left out of the
/// description.
public struct ConfigError: Error, CustomStringConvertible, Equatable {
    /// The file as shown to the rep (the home folder abbreviated to `~`).
    public let file: String
    /// The 1-based line of the offending key or value; 0 when no line applies.
    public let line: Int
    /// What is wrong, without the file and line.
    public let message: String

    /// Creates an error for `file` at `line`.
    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line: message`, or `file: message` when no line applies.
    public var description: String {
        line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)"
    }
}

// MARK: - Diagnostics shared by the config and theme loaders

/// Where each key of a TOML document sits in its source text.
///
/// TOMLKit's tables keep no source positions, yet every complaint about a syntactically valid file
/// must name a line. This index reads the text once, tracking table headers, dotted keys, strings
/// and multi-line arrays, and records the lines each key's value spans.
struct TOMLSourceIndex {
    private struct Entry {
        var path: [String]
        var firstLine: Int
        var lastLine: Int
    }

    private var entries: [Entry] = []
    /// The first entry recorded for each path; a path only repeats for arrays of tables.
    private var entryByPath: [[String]: Int] = [:]
    private let lines: [Substring]

    init(text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var scanner = ValueScanner()
        var table: [String] = []
        var openEntry: Int?
        for (offset, rawLine) in lines.enumerated() {
            let number = offset + 1
            let line = Substring(rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine)
            if let open = openEntry {
                entries[open].lastLine = number
                scanner.scan(line)
                if scanner.isClosed { openEntry = nil }
                continue
            }
            var cursor = line.drop { $0 == " " || $0 == "\t" }
            guard let first = cursor.first, first != "#" else { continue }
            if first == "[" {
                cursor = cursor.dropFirst(cursor.hasPrefix("[[") ? 2 : 1)
                table = Self.keyPath(&cursor)
                record(Entry(path: table, firstLine: number, lastLine: number))
                continue
            }
            let key = Self.keyPath(&cursor)
            guard !key.isEmpty, cursor.first == "=" else { continue }
            record(Entry(path: table + key, firstLine: number, lastLine: number))
            scanner.scan(cursor.dropFirst())
            if !scanner.isClosed { openEntry = entries.count - 1 }
        }
    }

    /// The line of the key at `path`, or of its nearest recorded ancestor (a key inside an inline
    /// table is reported at the line of that table). Line 1 when nothing matches, so an error is
    /// never left without a line.
    func line(of path: [String]) -> Int {
        entry(for: path)?.firstLine ?? 1
    }

    /// The line, among those the value at `path` spans, that holds the string `literal`; for an
    /// array written over several lines this points at the bad element rather than at its key.
    func line(of path: [String], containing literal: String) -> Int {
        guard let entry = entry(for: path) else { return 1 }
        let quoted = ["\"" + literal + "\"", "'" + literal + "'"]
        for number in entry.firstLine...entry.lastLine
        where quoted.contains(where: { lines[number - 1].contains($0) }) {
            return number
        }
        return entry.firstLine
    }

    /// Keys of a table in the order they appear in the source, so the first problem reported is
    /// the first one the rep would meet reading the file (TOMLKit hands keys back sorted).
    func sourceOrder(of keys: [String], in table: [String]) -> [String] {
        keys.enumerated()
            .sorted { lhs, rhs in
                let left = entry(for: table + [lhs.element], exactOnly: true)?.firstLine ?? Int.max
                let right = entry(for: table + [rhs.element], exactOnly: true)?.firstLine ?? Int.max
                return left == right ? lhs.offset < rhs.offset : left < right
            }
            .map(\.element)
    }

    private mutating func record(_ entry: Entry) {
        entries.append(entry)
        if entryByPath[entry.path] == nil { entryByPath[entry.path] = entries.count - 1 }
    }

    private func entry(for path: [String], exactOnly: Bool = false) -> Entry? {
        var path = path
        while !path.isEmpty {
            if let found = entryByPath[path] { return entries[found] }
            if exactOnly { return nil }
            path.removeLast()
        }
        return nil
    }

    /// Reads a dotted key (`a`, `"a b"`, `a.b`) and leaves `cursor` after it and any blanks.
    private static func keyPath(_ cursor: inout Substring) -> [String] {
        var path: [String] = []
        while true {
            cursor = cursor.drop { $0 == " " || $0 == "\t" }
            guard let first = cursor.first else { return path }
            if first == "\"" || first == "'" {
                cursor = cursor.dropFirst()
                let name = cursor.prefix { $0 != first }
                path.append(String(name))
                cursor = cursor.dropFirst(name.count + 1)
            } else {
                let name = cursor.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
                guard !name.isEmpty else { return path }
                path.append(String(name))
                cursor = cursor.dropFirst(name.count)
            }
            cursor = cursor.drop { $0 == " " || $0 == "\t" }
            guard cursor.first == "." else { return path }
            cursor = cursor.dropFirst()
        }
    }

    /// Follows brackets and strings through a value so that lines inside a multi-line array or
    /// string are not mistaken for keys.
    private struct ValueScanner {
        private var depth = 0
        private var multilineQuote: Character?

        var isClosed: Bool { depth <= 0 && multilineQuote == nil }

        mutating func scan(_ text: Substring) {
            var rest = text
            while let character = rest.first {
                if let quote = multilineQuote {
                    let closing = String(repeating: quote, count: 3)
                    if rest.hasPrefix(closing) {
                        multilineQuote = nil
                        rest = rest.dropFirst(3)
                    } else {
                        rest = rest.dropFirst(quote == "\"" && character == "\\" ? 2 : 1)
                    }
                    continue
                }
                switch character {
                case "#":
                    return
                case "[", "{":
                    depth += 1
                case "]", "}":
                    depth -= 1
                case "\"", "'":
                    if rest.hasPrefix(String(repeating: character, count: 3)) {
                        multilineQuote = character
                        rest = rest.dropFirst(3)
                        continue
                    }
                    rest = Self.skipString(rest.dropFirst(), quote: character)
                    continue
                default:
                    break
                }
                rest = rest.dropFirst()
            }
        }

        private static func skipString(_ text: Substring, quote: Character) -> Substring {
            var rest = text
            while let character = rest.first {
                if character == quote { return rest.dropFirst() }
                rest = rest.dropFirst(quote == "\"" && character == "\\" ? 2 : 1)
            }
            return rest
        }
    }
}

/// Suggestions for misspelt names, so an error can say what the rep probably meant.
enum DidYouMean {
    /// ` (did you mean "border"?)` when a candidate is close enough to `name`, else an empty string.
    static func suffix(for name: String, among candidates: [String], quote: (String) -> String = { "\"\($0)\"" })
        -> String
    {
        guard let best = closest(to: name, among: candidates) else { return "" }
        return " (did you mean \(quote(best))?)"
    }

    /// The candidate within two edits of `name` (a swap of neighbours counting as one, so "sned"
    /// finds "send"), preferring the nearest and then the first listed.
    static func closest(to name: String, among candidates: [String]) -> String? {
        let typed = Array(name.lowercased())
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(typed, Array(candidate.lowercased()))
            guard distance <= 2, distance < typed.count, distance < (best?.distance ?? Int.max) else { continue }
            best = (candidate, distance)
        }
        return best?.name
    }

    /// Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent swaps.
    private static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}

extension TOMLType {
    /// The type as an error message names it: "a string", "an integer".
    var withArticle: String {
        switch self {
        case .int: "an integer"
        case .array: "an array"
        case .bool: "a boolean"
        case .double: "a floating-point number"
        case .dateTime: "a date-time"
        default: "a \(rawValue)"
        }
    }
}

extension TOMLParseError {
    /// TOMLKit's message without its "Error while parsing" preamble, which the file:line prefix
    /// already implies.
    var conciseMessage: String {
        let prefix = "Error while parsing "
        guard description.hasPrefix(prefix) else { return description }
        return "bad " + description.dropFirst(prefix.count)
    }
}

extension String {
    /// The path with the home folder shown as `~`, as the rep would type it.
    func abbreviatingHome(_ home: String?) -> String {
        guard let home, !home.isEmpty, home != "/" else { return self }
        let folder = home.hasSuffix("/") ? String(home.dropLast()) : home
        if self == folder { return "~" }
        return hasPrefix(folder + "/") ? "~" + dropFirst(folder.count) : self
    }
}
