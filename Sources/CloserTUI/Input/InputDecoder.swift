/// What ncurses hands over: a character (`wget_wch` → OK) or a key code (`KEY_CODE_YES`).
public enum RawInput: Hashable, Sendable {
    case character(UInt32)
    case keyCode(Int32)
}

/// Input after decoding: keys, pasted text, and the terminal's own signals.
public enum InputEvent: Hashable, Sendable {
    case key(KeyEvent)
    case paste(String)
    case resize
    case mouse
}

/// Turns raw terminal input into keys and pastes. Pure and stateful across reads: a bracketed
/// paste can span several reads, and everything inside it is text, never a binding.
public struct InputDecoder: Sendable {
    /// Key codes ncurses reports (curses.h values; fixed by the X/Open standard).
    public enum Code {
        public static let down: Int32 = 0o402
        public static let up: Int32 = 0o403
        public static let left: Int32 = 0o404
        public static let right: Int32 = 0o405
        public static let home: Int32 = 0o406
        public static let backspace: Int32 = 0o407
        public static let f0: Int32 = 0o410
        public static let delete: Int32 = 0o512
        public static let insert: Int32 = 0o513
        public static let pageDown: Int32 = 0o522
        public static let pageUp: Int32 = 0o523
        public static let enter: Int32 = 0o527
        public static let backTab: Int32 = 0o541
        public static let end: Int32 = 0o550
        public static let mouse: Int32 = 0o631
        public static let resize: Int32 = 0o632
        /// Codes we register with `define_key` for the bracketed-paste markers `ESC [200~` and `ESC [201~`.
        public static let pasteStart: Int32 = 0o777 + 1
        public static let pasteEnd: Int32 = 0o777 + 2
    }

    private var pasting = false
    private var pasted = ""

    public init() {}

    /// Decodes one read's worth of input. An ESC followed by a key in the same read is Alt+key.
    public mutating func decode(_ items: [RawInput]) -> [InputEvent] {
        var events: [InputEvent] = []
        var index = 0
        var pendingText = String.UnicodeScalarView()

        func flushText() {
            guard !pendingText.isEmpty else { return }
            for character in String(pendingText) {
                events.append(.key(KeyEvent(.character(character))))
            }
            pendingText.removeAll()
        }

        while index < items.count {
            let item = items[index]
            index += 1
            if pasting {
                switch item {
                case .keyCode(Code.pasteEnd):
                    pasting = false
                    events.append(.paste(pasted))
                    pasted = ""
                case .character(let value):
                    if value == 13 {
                        pasted.append("\n")
                    } else if let scalar = Unicode.Scalar(value) {
                        pasted.unicodeScalars.append(scalar)
                    }
                case .keyCode(Code.enter):
                    pasted.append("\n")
                case .keyCode:
                    break
                }
                continue
            }
            switch item {
            case .keyCode(let code):
                flushText()
                switch code {
                case Code.pasteStart:
                    pasting = true
                    pasted = ""
                case Code.resize:
                    events.append(.resize)
                case Code.mouse:
                    events.append(.mouse)
                default:
                    if let key = Self.key(forCode: code) { events.append(.key(key)) }
                }
            case .character(let value):
                if value >= 0x20 && value != 0x7F, let scalar = Unicode.Scalar(value) {
                    pendingText.append(scalar)
                    continue
                }
                flushText()
                if value == 0x1B {
                    if index < items.count, case .character(let next) = items[index], next != 0x1B {
                        index += 1
                        if var key = Self.control(next) ?? Self.printable(next) {
                            key.modifiers.insert(.alt)
                            events.append(.key(key))
                        }
                    } else if index < items.count, case .keyCode(let code) = items[index], var key = Self.key(forCode: code) {
                        index += 1
                        key.modifiers.insert(.alt)
                        events.append(.key(key))
                    } else {
                        events.append(.key(KeyEvent(.escape)))
                    }
                } else if let key = Self.control(value) {
                    events.append(.key(key))
                }
            }
        }
        flushText()
        return events
    }

    private static func printable(_ value: UInt32) -> KeyEvent? {
        guard value >= 0x20, value != 0x7F, let scalar = Unicode.Scalar(value) else { return nil }
        return KeyEvent(.character(Character(scalar)))
    }

    /// C0 controls and DEL as keys: Enter, Tab, Backspace, Ctrl+letter.
    private static func control(_ value: UInt32) -> KeyEvent? {
        switch value {
        case 13, 10: return KeyEvent(.enter)
        case 9: return KeyEvent(.tab)
        case 8, 0x7F: return KeyEvent(.backspace)
        case 0x1B: return KeyEvent(.escape)
        case 0: return KeyEvent(.character(" "), .control)
        case 1...26: return KeyEvent(.character(Character(Unicode.Scalar(value + 96)!)), .control)
        case 28...31: return KeyEvent(.character(Character(Unicode.Scalar(value + 64)!)), .control)
        default: return nil
        }
    }

    private static func key(forCode code: Int32) -> KeyEvent? {
        switch code {
        case Code.down: KeyEvent(.down)
        case Code.up: KeyEvent(.up)
        case Code.left: KeyEvent(.left)
        case Code.right: KeyEvent(.right)
        case Code.home: KeyEvent(.home)
        case Code.end: KeyEvent(.end)
        case Code.backspace: KeyEvent(.backspace)
        case Code.delete: KeyEvent(.delete)
        case Code.insert: KeyEvent(.insert)
        case Code.pageDown: KeyEvent(.pageDown)
        case Code.pageUp: KeyEvent(.pageUp)
        case Code.enter: KeyEvent(.enter)
        case Code.backTab: KeyEvent(.tab, .shift)
        case (Code.f0 + 1)...(Code.f0 + 24): KeyEvent(.function(Int(code - Code.f0)))
        default: nil
        }
    }
}
