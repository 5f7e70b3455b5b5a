import CNcursesw
import Foundation

/// Edits text in `$VISUAL`/`$EDITOR` (falling back to `vi`): leaves curses, runs the editor on a
/// private temporary file, reads it back, and returns to curses.
enum ExternalEditor {
    static func edit(_ text: String, environment: [String: String]) -> (text: String?, error: String?) {
        let editor = environment["VISUAL"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["EDITOR"].flatMap { $0.isEmpty ? nil : $0 } ?? "vi"
        let directory = FileManager.default.temporaryDirectory
        let url = directory.appendingPathComponent("closer-draft-\(UUID().uuidString).txt")
        guard FileManager.default.createFile(atPath: url.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            return (nil, "cannot create a temporary file in \(directory.path)")
        }
        defer { try? FileManager.default.removeItem(at: url) }

        def_prog_mode()
        endwin()
        TerminalSession.writeRaw("\u{1B}[?2004l")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // The path is passed as $1, never interpolated into the shell command.
        process.arguments = ["-c", "\(editor) \"$1\"", "closer-editor", url.path]
        var status: Int32 = -1
        var launchError: String?
        do {
            try process.run()
            process.waitUntilExit()
            status = process.terminationStatus
        } catch {
            launchError = "could not start \(editor): \(error.localizedDescription)"
        }
        TerminalSession.writeRaw("\u{1B}[?2004h")
        reset_prog_mode()
        refresh()

        if let launchError { return (nil, launchError) }
        guard status == 0 else { return (nil, "\(editor) exited with status \(status); the draft is unchanged") }
        guard let data = FileManager.default.contents(atPath: url.path), let edited = String(data: data, encoding: .utf8) else {
            return (nil, "the edited file is not UTF-8 text; the draft is unchanged")
        }
        // Editors add a final newline; the draft did not have one.
        return (edited.hasSuffix("\n") && !text.hasSuffix("\n") ? String(edited.dropLast()) : edited, nil)
    }
}
