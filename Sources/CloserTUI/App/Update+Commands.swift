import CloserCore
import Foundation

/// The `:` command line: `:theme NAME`, `:status STATUS`, `:filter [STATUS|all]`, `:notifications`,
/// `:drafts`, `:help`, `:sidebar`, `:activity`, `:quit`. Tab completes.
extension Update {
    static let commands = ["activity", "drafts", "filter", "help", "notifications", "quit", "sidebar", "status", "theme"]

    static func handleCommandKey(_ key: KeyEvent, command: CommandLineState, state: inout AppState) -> [AppEffect] {
        var command = command
        switch (key.key, key.modifiers) {
        case (.escape, _):
            state.overlay = nil
            return []
        case (.enter, _):
            state.overlay = nil
            return execute(command.editor.text, state: &state)
        case (.tab, _):
            let candidates = completions(for: command.editor.text, state: state)
            if let first = candidates.first {
                let words = command.editor.text.split(separator: " ", omittingEmptySubsequences: false)
                let prefix = words.count > 1 ? words.dropLast().joined(separator: " ") + " " : ""
                command.editor.replaceAll(prefix + first + (words.count == 1 && candidates.count == 1 ? " " : ""))
            }
        case (.backspace, _):
            if command.editor.isEmpty {
                state.overlay = nil
                return []
            }
            command.editor.deleteBackward()
        case (.left, _): command.editor.moveLeft()
        case (.right, _): command.editor.moveRight()
        case (.character("u"), .control): command.editor.killToLineStart()
        case (.character("w"), .control): command.editor.deleteWordBackward()
        case (.character(let character), let modifiers) where modifiers.isDisjoint(with: [.control, .alt]):
            command.editor.insert(String(character))
        default:
            break
        }
        command.completions = completions(for: command.editor.text, state: state)
        state.overlay = .command(command)
        return []
    }

    /// Candidates for the last word typed.
    static func completions(for text: String, state: AppState) -> [String] {
        let words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard let last = words.last else { return commands }
        if words.count == 1 {
            return commands.filter { $0.hasPrefix(last.lowercased()) }
        }
        let options: [String]
        switch words[0].lowercased() {
        case "theme": options = state.settings.availableThemes
        case "status": options = LeadStatus.allCases.map(\.rawValue)
        case "filter": options = ["all"] + LeadStatus.allCases.map(\.rawValue)
        default: options = []
        }
        return options.filter { $0.hasPrefix(last.lowercased()) }
    }

    static func execute(_ text: String, state: inout AppState) -> [AppEffect] {
        let words = text.split(separator: " ").map(String.init)
        guard let name = words.first?.lowercased() else { return [] }
        let argument = words.dropFirst().joined(separator: " ")
        func fail(_ message: String) -> [AppEffect] {
            state.toasts.push(Toast(text: message, kind: .error), now: state.now)
            return []
        }
        switch name {
        case "q", "quit", "wq", "x":
            return quit(&state)
        case "help":
            state.overlay = .help(scroll: 0)
        case "theme":
            guard !argument.isEmpty else { return fail("usage: :theme NAME (\(state.settings.availableThemes.joined(separator: ", ")))") }
            return [.loadTheme(argument)]
        case "status":
            guard let status = LeadStatus(rawValue: argument) else { return fail("usage: :status \(LeadStatus.acceptedValues)") }
            return setStatus(status, state: &state)
        case "filter":
            if argument.isEmpty || argument == "all" || argument == "none" {
                state.statusFilter = nil
            } else if let status = LeadStatus(rawValue: argument) {
                state.statusFilter = status
            } else {
                return fail("usage: :filter all|\(LeadStatus.allCases.map(\.rawValue).joined(separator: "|"))")
            }
            return keepSelectionVisible(state: &state)
        case "notifications":
            state.overlay = .notifications(selected: 0)
        case "drafts":
            state.overlay = .drafts(selected: 0)
        case "sidebar":
            toggleSidebar(state: &state)
        case "activity":
            state.activityVisible.toggle()
            if state.activityVisible { showSidebar(state: &state) }
        default:
            return fail("unknown command :\(TerminalSanitizer.sanitize(name, mode: .singleLine)) (try :help)")
        }
        return []
    }
}
