import Foundation
import Testing

/// The promise of the product, end to end with real parts: the rep sends an email from `closer`
/// in a real terminal, closer-server delivers it over SMTP to a real SMTP server (aiosmtpd), the
/// recipient's mail client fetches the pixel and follows a link (curl), and the terminal rings and
/// says so, with "Read at" and 🔗 on the message.
@Suite("Live notifications end to end")
struct NotificationTests {
    static let sink = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../CloserServerTests/Interop/smtp_sink.py").standardized.path
    static let browser = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Thunderbird/128.3"

    @Test("send from the TUI, open and click with curl: toast, read and click marks, and the bell")
    func openAndClick() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("closer-notify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        // A real SMTP server.
        let mail = directory.appendingPathComponent("mail")
        let portFile = directory.appendingPathComponent("smtp-port").path
        let smtp = try Spawn.launch("/usr/bin/python3", [Self.sink, "--port-file", portFile, "--out", mail.path])
        defer { Spawn.stop(smtp) }
        let smtpPort = try await Self.waitForFile(portFile).trimmingCharacters(in: .whitespacesAndNewlines)

        // closer-server sending through it, with one rep and one lead.
        let database = "sqlite:\(directory.path)/server.sqlite"
        let add = try ProxyTests.run(Binaries.closerServer, ["user", "add", "--email", "rita@closer.example", "--name", "Rita Rep", "--database", database],
                                     input: "correct horse battery\n")
        #expect(add.status == 0, "\(add.output)")
        let port = try FreePortFinder.find()
        let server = try Spawn.launch(Binaries.closerServer, [
            "serve", "--port", "\(port)", "--database", database, "--log-level", "warning",
            "--smtp-url", "smtp://127.0.0.1:\(smtpPort)", "--mail-from", "rita@closer.example", "--machine-open-window", "0.5",
        ])
        defer { Spawn.stop(server) }
        try await ProxyTests.waitForServer(port: port)
        let base = "http://127.0.0.1:\(port)"
        let token = try Self.json(try Self.curl(["-X", "POST", "\(base)/api/auth/login", "-H", "Content-Type: application/json",
                                                 "-d", #"{"email":"rita@closer.example","password":"correct horse battery"}"#]))["token"] as? String
        // Dana is written to last, so she tops the list and is the lead on screen at start.
        let other = try Self.curl(["-X", "POST", "\(base)/api/leads", "-H", "Content-Type: application/json", "-H", "Authorization: Bearer \(token ?? "")",
                                   "-d", #"{"name":"Marcus Webb","email":"marcus@example.com"}"#])
        #expect(other.contains("Marcus Webb"))
        let lead = try Self.curl(["-X", "POST", "\(base)/api/leads", "-H", "Content-Type: application/json", "-H", "Authorization: Bearer \(token ?? "")",
                                  "-d", #"{"name":"Dana Kim","email":"dana@northwind.example"}"#])
        #expect(lead.contains("Dana Kim"))

        let environment = ["HOME": directory.path, "XDG_CONFIG_HOME": directory.path + "/config", "XDG_DATA_HOME": directory.path + "/data"]
        let login = try ProxyTests.run(Binaries.closer, ["login", "--server", base, "--email", "rita@closer.example"],
                                       input: "correct horse battery\n", environment: environment.merging(["PATH": "/usr/bin:/bin"]) { $1 })
        #expect(login.status == 0, "\(login.output)")
        let trace = directory.appendingPathComponent("trace.log").path

        try await Tmux.session(command: Binaries.closer, environment: environment.merging(["CLOSER_TRACE": trace]) { $1 }) { tmux in
            await tmux.waitFor("● online")
            await tmux.waitFor("Dana Kim")
            // Compose: the subject (Tab), then the body with a link, then Ctrl-S.
            await tmux.send(keys: "c")
            await tmux.typeEmail(subject: "Proposal Q3", body: "Hi Dana, the proposal: https://closer.example/p/northwind")
            await tmux.send(keys: "C-s")
            await tmux.waitFor("▶ You")

            // What the SMTP server received carries the pixel and the tracked link.
            let received = try await Self.waitForFile(mail.appendingPathComponent("0001.json").path)
            let parsed = try #require(try Self.json(received)["parsed"] as? [String: Any])
            let html = try #require(parsed["html"] as? String)
            let text = try #require(parsed["text"] as? String)
            let pixel = try #require(html.firstMatch(of: /https?:\/\/[^"\s]+\/t\/o\/[0-9a-f]{32}\.gif/).map { String($0.output) })
            let link = try #require(text.firstMatch(of: /https?:\/\/\S+\/t\/c\/[A-Za-z0-9_-]+/).map { String($0.output) })
            try await Task.sleep(for: .milliseconds(600))

            // The rep moves on to another lead (the bell is muted for the lead on screen).
            await tmux.send(keys: "Escape")
            // A key right behind Escape would read as Alt+key (the 25 ms ESC delay).
            try await Task.sleep(for: .milliseconds(100))
            await tmux.send(keys: "BTab")
            await tmux.send(keys: "j")
            await tmux.waitFor("Marcus Webb · ")

            // The recipient opens it: a toast and the bell; back on Dana, "Read at" on the message.
            _ = try Self.curl(["-A", Self.browser, "-o", "/dev/null", pixel])
            await tmux.waitFor("Dana Kim opened “Proposal Q3”")
            await tmux.send(keys: "k")
            await tmux.waitFor("Read at")
            // Away again; the recipient clicks the link: redirected to the real page, a toast, and 🔗.
            await tmux.send(keys: "j")
            await tmux.waitFor("Marcus Webb · ")
            // (Bells are at most one a second; a person clicks a while after opening anyway.)
            try await Task.sleep(for: .milliseconds(1_100))
            let redirect = try Self.curl(["-A", Self.browser, "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", link])
            #expect(redirect == "302 https://closer.example/p/northwind")
            await tmux.waitFor("clicked a link")
            await tmux.send(keys: "k")
            await tmux.waitUntil(describing: "the click mark on the message") { $0.contains("Read at") && $0.contains("🔗") }
        }

        // The client rang the bell for each, and said so in its trace.
        let bells = (try String(contentsOfFile: trace, encoding: .utf8)).split(separator: "\n").filter { $0.hasSuffix(" bell") }
        #expect(bells.count == 2, "bells: \(bells.count)")
    }

    // MARK: Helpers

    static func curl(_ arguments: [String]) throws -> String {
        let result = try ProxyTests.run("/usr/bin/curl", ["-s", "--noproxy", "*"] + arguments, input: "")
        guard result.status == 0 else { throw Spawn.Failure(description: "curl \(arguments) failed: \(result.output)") }
        return result.output
    }

    static func json(_ text: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw Spawn.Failure(description: "not a JSON object: \(text)")
        }
        return object
    }

    static func waitForFile(_ path: String, timeout: Duration = .seconds(20)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOfFile: path, encoding: .utf8), !text.isEmpty { return text }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw Spawn.Failure(description: "\(path) did not appear")
    }
}
