/// Why a key name could not be read.
public struct KeyNameError: Error, CustomStringConvertible, Equatable {
    /// The whole key name as written.
    public let text: String
    /// What is wrong with it.
    public let message: String

    /// Creates an error about `text`.
    public init(text: String, message: String) {
        self.text = text
        self.message = message
    }

    /// The message alone: callers put the name in context ("bad key name … for action …").
    public var description: String { message }
}

/// Key names as vim and aerc write them: `j`, `G`, `<Space>`, `<C-s>`, `<M-Enter>`, `<S-Tab>`,
/// `<F5>`, and sequences such as `<C-x><C-e>` or `gg`.
///
/// Outside angle brackets every character is a key and case matters (`G` is not `g`). Inside,
/// modifiers come first — `C-` control, `M-` or `A-` alt, `S-` shift — and names are not case
/// sensitive. Control letters are lower-cased (`<C-S>` is `<C-s>`) because terminals cannot tell
/// them apart; a shifted character is the character itself (`<S-a>` is `A`). `<lt>` is `<`.
public enum KeyName {
    /// The named keys, canonical spelling first.
    private static let namedKeys: [(names: [String], key: Key)] = [
        (["Space"], .character(" ")),
        (["Enter", "CR", "Return"], .enter),
        (["Tab"], .tab),
        (["Esc", "Escape"], .escape),
        (["BS", "Backspace"], .backspace),
        (["Del", "Delete"], .delete),
        (["Up"], .up),
        (["Down"], .down),
        (["Left"], .left),
        (["Right"], .right),
        (["Home"], .home),
        (["End"], .end),
        (["PageUp", "PgUp"], .pageUp),
        (["PageDown", "PgDn"], .pageDown),
        (["Insert", "Ins"], .insert),
        (["lt"], .character("<")),
        (["gt"], .character(">")),
        (["Bar"], .character("|")),
        (["Bslash"], .character("\\")),
    ]

    /// The highest function key a name may use; terminals report up to F24 or so with modifiers.
    private static let functionKeys = 1...24

    /// Reads a key name into the keys to press, in order. Throws when the name is empty, a `<…>`
    /// is not closed, or a bracketed name or modifier is unknown.
    public static func parse(_ text: String) throws(KeyNameError) -> [KeyEvent] {
        guard !text.isEmpty else { throw KeyNameError(text: text, message: "empty key name") }
        var events: [KeyEvent] = []
        var rest = Substring(text)
        while let first = rest.first {
            guard first == "<", rest.count > 1 else {
                events.append(plainCharacter(first))
                rest = rest.dropFirst()
                continue
            }
            guard let close = rest.dropFirst().firstIndex(of: ">") else {
                throw KeyNameError(text: text, message: "\"<\" without a closing \">\" (write <lt> for the < key)")
            }
            let inner = rest[rest.index(after: rest.startIndex)..<close]
            events.append(try bracketed(inner, in: text))
            rest = rest[rest.index(after: close)...]
        }
        return events
    }

    /// The canonical name of a sequence: `<C-x><C-e>`, `<M-Enter>`, `gg`.
    public static func format(_ sequence: [KeyEvent]) -> String {
        sequence.map(format).joined()
    }

    /// The canonical name of one key press.
    public static func format(_ event: KeyEvent) -> String {
        var prefix = ""
        if event.modifiers.contains(.control) { prefix += "C-" }
        if event.modifiers.contains(.alt) { prefix += "M-" }
        if event.modifiers.contains(.shift) { prefix += "S-" }
        if let name = name(of: event.key) { return "<" + prefix + name + ">" }
        guard case .character(let character) = event.key else { return "<" + prefix + "?>" }
        if prefix.isEmpty { return String(character) }
        // Inside brackets a bare ">" would end the name early.
        let folded = event.modifiers.contains(.control) ? lowercased(character) : character
        let shown = character == ">" ? "gt" : String(folded)
        return "<" + prefix + shown + ">"
    }

    /// The bracketed name a key is written with; only space and `<` among the characters need
    /// one, the others read best as themselves.
    private static func name(of key: Key) -> String? {
        switch key {
        case .function(let number): return "F\(number)"
        case .character(let character) where character != " " && character != "<": return nil
        default: return namedKeys.first { $0.key == key }?.names.first
        }
    }

    private static func plainCharacter(_ character: Character) -> KeyEvent {
        switch character {
        case "\t": KeyEvent(.tab)
        case "\n", "\r": KeyEvent(.enter)
        default: KeyEvent(.character(character))
        }
    }

    private static func bracketed(_ inner: Substring, in text: String) throws(KeyNameError) -> KeyEvent {
        var modifiers: KeyModifiers = []
        var rest = inner
        while rest.count > 2, rest.dropFirst().first == "-", let letter = rest.first {
            switch letter.lowercased() {
            case "c": modifiers.insert(.control)
            case "m", "a": modifiers.insert(.alt)
            case "s": modifiers.insert(.shift)
            default:
                throw KeyNameError(
                    text: text,
                    message: "unknown modifier \"\(letter)-\" in <\(inner)> (use C- control, M- or A- alt, S- shift)"
                )
            }
            rest = rest.dropFirst(2)
        }
        guard !rest.isEmpty else { throw KeyNameError(text: text, message: "empty <> in key name") }
        if rest.count == 1, let character = rest.first {
            return characterKey(character, modifiers: modifiers)
        }
        let lowered = rest.lowercased()
        if let named = namedKeys.first(where: { $0.names.contains { $0.lowercased() == lowered } }) {
            if case .character(let character) = named.key { return characterKey(character, modifiers: modifiers) }
            return KeyEvent(named.key, modifiers)
        }
        if lowered.hasPrefix("f"), let number = Int(lowered.dropFirst()), functionKeys.contains(number) {
            return KeyEvent(.function(number), modifiers)
        }
        throw KeyNameError(text: text, message: "unknown key <\(inner)>")
    }

    /// Folds the modifiers terminals cannot report separately into the character itself.
    private static func characterKey(_ character: Character, modifiers: KeyModifiers) -> KeyEvent {
        var modifiers = modifiers
        var character = character
        if modifiers.contains(.control) {
            character = lowercased(character)
        } else if modifiers.contains(.shift), character.isLetter {
            let upper = character.uppercased()
            if upper.count == 1, let single = upper.first { character = single }
            modifiers.remove(.shift)
        }
        return KeyEvent(.character(character), modifiers)
    }

    /// The lower-case form when it is a single character (it is not for every letter).
    private static func lowercased(_ character: Character) -> Character {
        let lower = character.lowercased()
        return lower.count == 1 ? lower.first ?? character : character
    }
}
