import Foundation
import Testing

/// A draft survives the client being killed outright: `kill -9` 600 ms after the last keystroke
/// (past the 500 ms autosave), then the next start shows the text, with the real binaries.
@Suite("closer keeps drafts through kill -9")
struct CrashSafetyTests {
    @Test("a draft typed 600 ms before kill -9 is there on the next start")
    func draftSurvivesKill() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("closer-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = "sqlite:\(directory.path)/server.sqlite"
        #expect(try ProxyTests.run(Binaries.closerServer, ["seed-demo", "--email", "rita@closer.example", "--database", database,
                                                          "--password-file", try Self.passwordFile(in: directory)], input: "").status == 0)
        let port = try FreePortFinder.find()
        let server = try Spawn.launch(Binaries.closerServer, ["serve", "--port", "\(port)", "--database", database, "--log-level", "warning"])
        var serverRunning = true
        defer { if serverRunning { Spawn.stop(server) } }
        try await ProxyTests.waitForServer(port: port)
        let environment = ["HOME": directory.path, "XDG_CONFIG_HOME": directory.path + "/config", "XDG_DATA_HOME": directory.path + "/data"]
        let login = try ProxyTests.run(Binaries.closer, ["login", "--server", "http://127.0.0.1:\(port)", "--email", "rita@closer.example"],
                                       input: "correct horse battery\n", environment: environment.merging(["PATH": "/usr/bin:/bin"]) { $1 })
        #expect(login.status == 0, "\(login.output)")

        try await Tmux.session(command: Binaries.closer, environment: environment) { tmux in
            await tmux.waitFor("● online")
            await tmux.send(keys: "c")
            await tmux.send(literal: "Typed just before the crash")
            await tmux.waitFor("Typed just before the crash")
            try await Task.sleep(for: .milliseconds(600))
            let pid = try #require(await tmux.childPID(named: "closer"))
            kill(pid, SIGKILL)
            await tmux.waitFor("EXIT=")
        }
        // Start again with the server gone: the draft comes from the local cache alone.
        Spawn.stop(server)
        serverRunning = false
        try await Tmux.session(command: Binaries.closer, environment: environment) { tmux in
            let screen = await tmux.waitFor("Typed just before the crash")
            #expect(screen.contains("Typed just before the crash"))
        }
    }

    @Test("a draft typed 100 ms before quitting (Ctrl-C in compose) is there on the next start")
    func draftSurvivesQuickQuit() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("closer-quit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let command = "\(Binaries.closer) --demo --demo-speed 0.1"
        try await Tmux.session(command: command, environment: ["HOME": home.path]) { tmux in
            await tmux.waitFor("● online")
            await tmux.send(keys: "c")
            await tmux.send(literal: "Typed just before quitting")
            await tmux.waitFor("Typed just before quitting")
            // Well inside the 500 ms autosave delay: only the flush on quit can save it.
            try await Task.sleep(for: .milliseconds(100))
            await tmux.send(keys: "C-c")
            await tmux.waitFor("EXIT=")
        }
        try await Tmux.session(command: command, environment: ["HOME": home.path]) { tmux in
            let screen = await tmux.waitFor("Typed just before quitting")
            #expect(screen.contains("Typed just before quitting"))
        }
    }

    static func passwordFile(in directory: URL) throws -> String {
        let path = directory.appendingPathComponent("password").path
        try "correct horse battery\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
