import CloserCore
import Foundation
import Testing

/// A real SMTP server for the tests: Debian's aiosmtpd, run by `Interop/smtp_sink.py` on a free
/// loopback port. Every message it accepts is saved raw and as parsed by Python's own `email`
/// package (a MIME implementation independent of ours), which the tests read back.
final class SMTPSink: Sendable {
    static let python = "/usr/bin/python3"
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Interop/smtp_sink.py").standardized.path

    /// One received message.
    struct Received: Decodable, Sendable {
        let mailFrom: String
        let rcptTos: [String]
        /// The message came over TLS (STARTTLS or SMTPS).
        let tls: Bool
        let parsed: PythonParsedMessage
    }

    let port: Int
    let directory: URL
    /// The whole session is TLS (SMTPS), not upgraded by STARTTLS.
    let implicitTLS: Bool
    private let process: Process

    private init(port: Int, directory: URL, implicitTLS: Bool, process: Process) {
        self.port = port
        self.directory = directory
        self.implicitTLS = implicitTLS
        self.process = process
    }

    /// Starts the sink. `auth` as "user:password"; `tls` as PEM certificate and key paths (then
    /// STARTTLS is offered and required, or with `implicitTLS` the socket speaks TLS from the first
    /// byte, as SMTPS on port 465); `failFirst` answers the first N DATA commands with `code`.
    static func start(auth: String? = nil, tls: (certificate: String, key: String)? = nil, implicitTLS: Bool = false,
                      failFirst: (count: Int, code: Int)? = nil) async throws -> SMTPSink {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("closer-smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let portFile = directory.appendingPathComponent("port").path
        let out = directory.appendingPathComponent("mail")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        var arguments = [script, "--port-file", portFile, "--out", out.path]
        if let auth { arguments += ["--auth", auth] }
        if let tls { arguments += [implicitTLS ? "--smtps" : "--starttls", tls.certificate, tls.key] }
        if let failFirst { arguments += ["--fail-first", "\(failFirst.count)", "\(failFirst.code)"] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8), let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return SMTPSink(port: port, directory: directory, implicitTLS: tls != nil && implicitTLS, process: process)
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.terminate()
        throw TestStoreError(description: "smtp_sink.py did not start (is python3-aiosmtpd installed?)")
    }

    /// Runs `body` with a started sink, and stops it after, whether the body passed or threw.
    static func run(auth: String? = nil, tls: (certificate: String, key: String)? = nil, implicitTLS: Bool = false,
                    failFirst: (count: Int, code: Int)? = nil, _ body: (SMTPSink) async throws -> Void) async throws {
        let sink = try await start(auth: auth, tls: tls, implicitTLS: implicitTLS, failFirst: failFirst)
        do {
            try await body(sink)
        } catch {
            await sink.stop()
            throw error
        }
        await sink.stop()
    }

    var url: String { (implicitTLS ? "smtps" : "smtp") + "://127.0.0.1:\(port)" }

    /// Every message received so far, in order.
    func received() -> [(received: Received, raw: String)] {
        let mail = directory.appendingPathComponent("mail")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: mail.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        return names.compactMap { name in
            guard let data = FileManager.default.contents(atPath: mail.appendingPathComponent(name).path),
                  let received = try? JSONDecoder().decode(Received.self, from: data),
                  let raw = try? String(contentsOf: mail.appendingPathComponent(name.replacingOccurrences(of: ".json", with: ".eml")), encoding: .utf8)
            else { return nil }
            return (received, raw)
        }
    }

    /// Waits up to `timeout` for at least `count` messages.
    func waitForMessages(_ count: Int = 1, timeout: Duration = .seconds(15)) async -> [(received: Received, raw: String)] {
        let deadline = ContinuousClock.now + timeout
        var messages = received()
        while messages.count < count, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
            messages = received()
        }
        return messages
    }

    /// SIGTERM, then SIGKILL if it has not gone within 5 s; never blocks a test thread on a run loop.
    func stop() async {
        if process.isRunning { process.terminate() }
        let deadline = ContinuousClock.now + .seconds(5)
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: directory)
    }

    /// A self-signed certificate for 127.0.0.1 and its key, made with openssl, for STARTTLS or SMTPS.
    static func makeCertificate(in directory: URL) throws -> (certificate: String, key: String) {
        let certificate = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                             "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", certificate]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestStoreError(description: "openssl could not make a certificate") }
        return (certificate, key)
    }
}
