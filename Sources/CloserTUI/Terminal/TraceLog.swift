import Foundation
import Synchronization

/// A debug trace for tests and benchmarks, written when `CLOSER_TRACE` names a file: one line per
/// bell, presented frame, key and backend event, with the wall-clock time (to compare with other
/// processes). Off by default; costs nothing when off.
public final class TraceLog: Sendable {
    private let handle: Mutex<FileHandle?>
    public let isEnabled: Bool

    public init(environment: [String: String]) {
        guard let path = environment["CLOSER_TRACE"], !path.isEmpty else {
            handle = Mutex(nil)
            isEnabled = false
            return
        }
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        let file = FileHandle(forWritingAtPath: path)
        file?.seekToEndOfFile()
        handle = Mutex(file)
        isEnabled = file != nil
    }

    /// Writes `wall=<unix seconds with µs> <event>`.
    public func log(_ event: @autoclosure () -> String) {
        guard isEnabled else { return }
        let line = String(format: "wall=%.6f ", Date().timeIntervalSince1970) + event() + "\n"
        handle.withLock { $0?.write(Data(line.utf8)) }
    }
}
