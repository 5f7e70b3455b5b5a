/// What a run of pending keys means in a keymap.
public enum KeyResolution: Equatable, Sendable {
    /// The keys are bound to this action.
    case action(KeyAction)
    /// The keys start a longer binding (`<C-x>` of `<C-x><C-e>`): keep them and wait for more.
    case prefix
    /// Nothing starts with these keys.
    case unbound
}

/// Which key sequences trigger which actions, per `KeyContext`.
///
/// Sequences make multi-key bindings such as `<C-x><C-e>` possible: the UI feeds `resolve` the
/// keys pressed so far and keeps them while the answer is `.prefix`. A sequence and its prefix are
/// never both bound in one context, so a binding never has to wait on a timeout to be decided.
public struct Keymap: Sendable, Equatable {
    /// One binding: in `context`, pressing `keys` runs `action`.
    private struct Binding: Sendable, Equatable {
        var context: KeyContext
        var keys: [KeyEvent]
        var action: KeyAction
    }

    /// Bindings in the order they were made, which is the order the help overlay lists them in.
    private var bindingList: [Binding]
    private var actionsByKeys: [KeyContext: [[KeyEvent]: KeyAction]] = [:]
    private var prefixes: [KeyContext: Set<[KeyEvent]>] = [:]

    private init(bindingList: [Binding]) {
        self.bindingList = bindingList
        for binding in bindingList {
            actionsByKeys[binding.context, default: [:]][binding.keys] = binding.action
            for length in 1..<max(binding.keys.count, 1) {
                prefixes[binding.context, default: []].insert(Array(binding.keys.prefix(length)))
            }
        }
    }

    /// Closer's bindings out of the box: vim-like movement outside text entry, readline-like
    /// editing in compose.
    public static let defaults: Keymap = {
        typealias Entry = (KeyAction, [[KeyEvent]])
        let navigation: [Entry] = [
            (.moveDown, [[.char("j")], [KeyEvent(.down)]]),
            (.moveUp, [[.char("k")], [KeyEvent(.up)]]),
            (.pageDown, [[KeyEvent(.pageDown)], [.ctrl("f")]]),
            (.pageUp, [[KeyEvent(.pageUp)], [.ctrl("b")]]),
            (.top, [[.char("g")], [KeyEvent(.home)]]),
            (.bottom, [[.char("G")], [KeyEvent(.end)]]),
            (.open, [[KeyEvent(.enter)], [.char("l")], [KeyEvent(.right)]]),
            (.back, [[.char("h")], [KeyEvent(.left)]]),
            (.compose, [[.char("c")], [.char("i")]]),
            (.quit, [[.char("q")]]),
            (.help, [[.char("?")]]),
            (.commandLine, [[.char(":")]]),
            (.search, [[.char("/")]]),
            (.focusNext, [[KeyEvent(.tab)]]),
            (.focusPrevious, [[KeyEvent(.tab, .shift)]]),
            (.nextPanel, [[.ctrl("w")]]),
            (.toggleSidebar, [[.char("s")]]),
            (.toggleActivity, [[.char("a")]]),
            (.notifications, [[.char("n")]]),
            (.cancel, [[KeyEvent(.escape)]]),
            (.redraw, [[.ctrl("l")]]),
            (.filterStatus, [[.char("f")]]),
            (.markMeetingBooked, [[.char("M")]]),
            (.markConverted, [[.char("C")]]),
            (.retrySend, [[.char("r")]]),
            (.editFailed, [[.char("e")]]),
        ]
        let compose: [Entry] = [
            (.send, [[.ctrl("s")], [KeyEvent(.enter, .alt)]]),
            (.cycleChannel, [[.ctrl("t")]]),
            (.nextField, [[KeyEvent(.tab)]]),
            (.previousField, [[KeyEvent(.tab, .shift)]]),
            (.openEditor, [[.ctrl("x"), .ctrl("e")]]),
            (.lineStart, [[.ctrl("a")], [KeyEvent(.home)]]),
            (.lineEnd, [[.ctrl("e")], [KeyEvent(.end)]]),
            (.killToEnd, [[.ctrl("k")]]),
            (.killToStart, [[.ctrl("u")]]),
            (.deleteWordBackward, [[.ctrl("w")]]),
            (.wordBackward, [[.alt("b")]]),
            (.wordForward, [[.alt("f")]]),
            (.cursorLeft, [[KeyEvent(.left)]]),
            (.cursorRight, [[KeyEvent(.right)]]),
            (.cursorUp, [[KeyEvent(.up)]]),
            (.cursorDown, [[KeyEvent(.down)]]),
            (.deleteBackward, [[KeyEvent(.backspace)]]),
            (.deleteForward, [[KeyEvent(.delete)]]),
            (.newline, [[KeyEvent(.enter)]]),
            // Leaving compose must not depend on which context the rep thinks they are in.
            (.cancel, [[KeyEvent(.escape)]]),
        ]
        let contexts: [(KeyContext, [Entry])] = [(.navigation, navigation), (.compose, compose)]
        return Keymap(
            bindingList: contexts.flatMap { context, entries in
                entries.flatMap { action, sequences in
                    sequences.map { Binding(context: context, keys: $0, action: action) }
                }
            }
        )
    }()

    /// What the keys pressed so far mean in `context`.
    public func resolve(_ pending: [KeyEvent], context: KeyContext) -> KeyResolution {
        if let action = actionsByKeys[context]?[pending] { return .action(action) }
        if !pending.isEmpty, prefixes[context]?.contains(pending) == true { return .prefix }
        return .unbound
    }

    /// Every sequence bound to `action`, in any context, without repeats.
    public func bindings(for action: KeyAction) -> [[KeyEvent]] {
        var sequences: [[KeyEvent]] = []
        for binding in bindingList where binding.action == action && !sequences.contains(binding.keys) {
            sequences.append(binding.keys)
        }
        return sequences
    }

    /// The sequences bound to `action` in `context`.
    public func bindings(for action: KeyAction, context: KeyContext) -> [[KeyEvent]] {
        bindingList.filter { $0.action == action && $0.context == context }.map(\.keys)
    }

    /// One line per bound action for the help overlay, in `KeyAction.allCases` order, the keys
    /// written canonically and separated by commas (`j, <Down>`). Built from the live keymap, so
    /// the help always shows the rep's own bindings.
    public func helpLines(context: KeyContext) -> [(keys: String, action: KeyAction)] {
        KeyAction.allCases.compactMap { action in
            let sequences = bindings(for: action, context: context)
            guard !sequences.isEmpty else { return nil }
            return (sequences.map(KeyName.format).joined(separator: ", "), action)
        }
    }

    /// This keymap with the rep's bindings applied.
    ///
    /// An action named in `overrides` loses all its bindings and gets exactly the listed ones
    /// (none unbinds it), in every context it was bound in (its own context if it had none). A
    /// sequence given to an action is taken from any other action in the same context, and so is
    /// any binding it would be a prefix of or would start with, so every key stays unambiguous.
    /// Actions are applied in `KeyAction.allCases` order; should two of them claim the same keys,
    /// the later one keeps them (the config loader reports that case as an error first).
    public func overriding(_ overrides: [KeyAction: [[KeyEvent]]]) -> Keymap {
        var list = bindingList
        for action in KeyAction.allCases {
            guard let sequences = overrides[action] else { continue }
            let contexts = Self.contexts(of: action, in: list)
            list.removeAll { $0.action == action }
            for keys in sequences where !keys.isEmpty {
                for context in contexts {
                    list.removeAll { $0.context == context && Self.overlap($0.keys, keys) }
                    list.append(Binding(context: context, keys: keys, action: action))
                }
            }
        }
        return Keymap(bindingList: list)
    }

    /// The contexts `action` is bound in, or its own context when it is bound nowhere: `cancel`
    /// is both a navigation and a compose action.
    func contexts(of action: KeyAction) -> [KeyContext] {
        Self.contexts(of: action, in: bindingList)
    }

    private static func contexts(of action: KeyAction, in list: [Binding]) -> [KeyContext] {
        var contexts: [KeyContext] = []
        for binding in list where binding.action == action && !contexts.contains(binding.context) {
            contexts.append(binding.context)
        }
        return contexts.isEmpty ? [action.context] : contexts
    }

    /// Whether two sequences cannot both be bound: they are equal or one starts the other.
    static func overlap(_ a: [KeyEvent], _ b: [KeyEvent]) -> Bool {
        a.count <= b.count ? b.starts(with: a) : a.starts(with: b)
    }
}
