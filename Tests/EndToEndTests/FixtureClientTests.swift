import Foundation
import Testing

/// `closer --fixture` in a real terminal (tmux): what a person sees, and that the terminal comes
/// back intact however the client ends.
@Suite("closer --fixture in tmux", .serialized)
struct FixtureClientTests {
    @Test("the four panels, keys, compose, resize and a clean quit")
    func panelsKeysResizeQuit() throws {
        let tmux = try Tmux(width: 160, height: 45, command: "\(Binaries.closer) --fixture")
        defer { tmux.kill() }
        let screen = tmux.waitFor("Leads 10")
        #expect(screen.contains("KPIs"))
        #expect(screen.contains("Compose"))
        #expect(screen.contains("Conversion"))
        #expect(screen.contains("● local"))
        // No escape sequence from the hostile fixture leaked: the pane shows its markers instead.
        #expect(screen.contains("Evil␛Corp"))

        tmux.send(keys: "j")
        tmux.waitFor("Tomás Ortega · contacted")
        tmux.send(keys: "c")
        tmux.send(literal: "Hola Tomás 👋")
        tmux.waitFor("Hola Tomás 👋")
        tmux.waitFor("Draft saved")

        tmux.resize(width: 100, height: 30)
        let medium = tmux.waitUntil(describing: "the sidebar to hide at 100 columns") { !$0.contains("KPIs") && $0.contains("Compose") }
        #expect(medium.contains("Hola Tomás 👋"))
        tmux.resize(width: 30, height: 8)
        tmux.waitFor("Terminal too small")
        tmux.resize(width: 160, height: 45)
        tmux.waitFor("Conversion")

        tmux.send(keys: "Escape")
        Thread.sleep(forTimeInterval: 0.1)
        tmux.send(keys: "q")
        let after = tmux.waitFor("EXIT=0")
        #expect(!after.contains("Leads 10"), "the alternate screen was not restored")
    }

    @Test("help lists the live keymap")
    func help() throws {
        let tmux = try Tmux(command: "\(Binaries.closer) --fixture")
        defer { tmux.kill() }
        tmux.waitFor("Leads 10")
        tmux.send(keys: "?")
        let screen = tmux.waitFor("Keys")
        #expect(screen.contains("<C-s>"))
        #expect(screen.contains("Send the message"))
    }

    @Test("SIGTERM and SIGHUP restore the terminal", arguments: ["TERM", "HUP"])
    func signals(signal: String) throws {
        let tmux = try Tmux(command: "\(Binaries.closer) --fixture")
        defer { tmux.kill() }
        tmux.waitFor("Leads 10")
        let pid = try #require(tmux.childPID(named: "closer"))
        _ = try Process.output("/bin/kill", ["-\(signal)", "\(pid)"])
        let screen = tmux.waitFor("EXIT=")
        #expect(!screen.contains("Leads 10"), "the alternate screen was not restored")
    }

    @Test("Ctrl-Z suspends and fg resumes")
    func suspend() throws {
        let tmux = try Tmux(command: "\(Binaries.closer) --fixture")
        defer { tmux.kill() }
        tmux.waitFor("Leads 10")
        tmux.send(keys: "C-z")
        tmux.waitFor("Stopped")
        tmux.send(literal: "fg")
        tmux.send(keys: "Enter")
        tmux.waitFor("Leads 10")
        tmux.send(keys: "q")
        // `fg` ran it, so the shell prints its prompt rather than the EXIT line.
        tmux.waitUntil(describing: "the shell to come back") { !$0.contains("Leads 10") }
    }
}
