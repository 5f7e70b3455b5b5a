import Foundation

/// Runs `parse_mime.py` (Python's `email` package, a MIME implementation independent of ours) on a
/// message and decodes what it reports.
enum PythonMIMEParser {
    /// The system Python: Debian's, which has the standard `email` package; a pyenv one in `PATH`
    /// might not be set up.
    static let python = "/usr/bin/python3"

    static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: python)
    }

    /// What the script printed for the message, or an error with its exit status and stderr.
    static func parse(_ message: String) throws -> PythonParsedMessage {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("mailkit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("message.eml")
        let errors = directory.appendingPathComponent("stderr.txt")
        try Data(message.utf8).write(to: input)
        try Data().write(to: errors)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script.path]
        process.standardInput = try FileHandle(forReadingFrom: input)
        process.standardError = try FileHandle(forWritingTo: errors)
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let stderr = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw PythonFailure(status: process.terminationStatus, stderr: stderr)
        }
        return try JSONDecoder().decode(PythonParsedMessage.self, from: data)
    }

    /// The script sits in Interop/, in the source tree rather than in a resource bundle.
    private static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("../Interop/parse_mime.py")
        .standardized

    struct PythonFailure: Error, CustomStringConvertible {
        let status: Int32
        let stderr: String
        var description: String { "parse_mime.py exited with \(status): \(stderr)" }
    }
}
