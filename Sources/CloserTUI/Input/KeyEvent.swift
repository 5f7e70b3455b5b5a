/// A key, as the rep pressed it, independent of how the terminal encoded it.
public enum Key: Hashable, Sendable {
    /// A printable character (space included). Ctrl-letter arrives as the letter with `.control`.
    case character(Character)
    case enter
    case tab
    case backspace
    case delete
    case escape
    case up
    case down
    case left
    case right
    case home
    case end
    case pageUp
    case pageDown
    case insert
    case function(Int)
}

/// Modifier keys held with a key.
public struct KeyModifiers: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let control = KeyModifiers(rawValue: 1 << 0)
    public static let alt = KeyModifiers(rawValue: 1 << 1)
    public static let shift = KeyModifiers(rawValue: 1 << 2)
}

/// One key press with its modifiers: `<C-s>` is `KeyEvent(.character("s"), [.control])`.
public struct KeyEvent: Hashable, Sendable {
    public var key: Key
    public var modifiers: KeyModifiers

    public init(_ key: Key, _ modifiers: KeyModifiers = []) {
        self.key = key
        self.modifiers = modifiers
    }

    public static func char(_ character: Character) -> KeyEvent { KeyEvent(.character(character)) }
    public static func ctrl(_ character: Character) -> KeyEvent { KeyEvent(.character(character), .control) }
    public static func alt(_ character: Character) -> KeyEvent { KeyEvent(.character(character), .alt) }
}
