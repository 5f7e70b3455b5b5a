import CloserCore
@testable import CloserServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Synchronization
import Testing

/// python-socketio (Debian's python3-socketio, a different implementation by other people) as a
/// client: what a user of the original stack would connect with.
@Suite("python-socketio interop", .enabled(if: PythonSocketIO.isAvailable))
struct InteropTests {
    @Test("connects websocket-only with auth {token} and receives messages_updated after a REST send")
    func receivesEvents() async throws {
        try await TestServer.run(.sqlite) { server in
            let rep = try await server.makeRep()
            let lead = try await server.createLead(rep)
            let python = try PythonSocketIO(url: "http://127.0.0.1:\(server.client.port!)", token: rep.token, mode: "listen")
            #expect(await python.line(timeout: .seconds(20)) == "CONNECTED")
            let message = try await server.send(rep, to: lead, body: "Hello from Swift")
            #expect(await python.line(timeout: .seconds(20)) == "EVENT INSERT \(message.id)")
            python.stop()
        }
    }

    @Test("is refused with a bad token")
    func refused() async throws {
        try await TestServer.run(.sqlite) { server in
            let python = try PythonSocketIO(url: "http://127.0.0.1:\(server.client.port!)", token: "clo_wrong", mode: "refused")
            let line = await python.line(timeout: .seconds(20))
            #expect(line?.hasPrefix("REFUSED") == true)
            #expect(line?.contains("Not authorized") == true)
        }
    }
}

/// The Python client as a subprocess whose output lines the test reads.
final class PythonSocketIO: Sendable {
    static let python = "/usr/bin/python3"
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Interop/socketio_client.py").path

    static var isAvailable: Bool {
        guard FileManager.default.isExecutableFile(atPath: python) else { return false }
        let check = Process()
        check.executableURL = URL(fileURLWithPath: python)
        check.arguments = ["-c", "import socketio, websocket"]
        check.standardError = FileHandle.nullDevice
        guard (try? check.run()) != nil else { return false }
        check.waitUntilExit()
        return check.terminationStatus == 0
    }

    private let process: Process
    private let lines = FrameInbox()

    init(url: String, token: String, mode: String) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python)
        process.arguments = [Self.script, url, token, mode]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let lines = self.lines
        let reader = pipe.fileHandleForReading
        Thread.detachNewThread {
            var buffer = Data()
            while true {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                buffer.append(chunk)
                while let newline = buffer.firstIndex(of: 0x0A) {
                    lines.append(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
                    buffer.removeSubrange(buffer.startIndex...newline)
                }
            }
            lines.finish()
        }
    }

    func line(timeout: Duration) async -> String? {
        await lines.next(timeout: timeout)
    }

    func stop() {
        if process.isRunning { process.terminate() }
    }
}

@Suite("interop prerequisites")
struct InteropPrerequisiteTests {
    @Test("python-socketio is installed when running in CI (make test installs it)")
    func installedInCI() {
        if ProcessInfo.processInfo.environment["CI"] != nil {
            #expect(PythonSocketIO.isAvailable, "install python3-socketio and python3-websocket (scripts/install-deps.sh test)")
        }
    }
}
