import Foundation
import Testing

/// `closer --fixture` in a real terminal (tmux): what a person sees, and that the terminal comes
/// back intact however the client ends.
@Suite("closer --fixture in tmux", .serialized)
struct FixtureClientTests {
    @Test("the four panels, keys, compose, resize and a clean quit")
    func panelsKeysResizeQuit() async throws {
        try await Tmux.session(width: 160, height: 45, command: "\(Binaries.closer) --fixture") { tmux in
            // The first frame, whole (a capture can land while it is being written).
            let screen = await tmux.waitUntil(describing: "the four panels and the status bar") { screen in
                ["Leads 10", "KPIs", "Compose", "Conversion", "● local"].allSatisfy { screen.contains($0) }
            }
            #expect(screen.contains("KPIs"))
            #expect(screen.contains("Compose"))
            #expect(screen.contains("Conversion"))
            #expect(screen.contains("● local"))
            // No escape sequence from the hostile fixture leaked: the pane shows its markers instead.
            #expect(await tmux.waitFor("Evil␛Corp").contains("Evil␛Corp"))

            await tmux.send(keys: "j")
            await tmux.waitFor("Tomás Ortega · contacted")
            await tmux.send(keys: "c")
            await tmux.send(literal: "Hola Tomás 👋")
            await tmux.waitFor("Hola Tomás 👋")
            await tmux.waitFor("Draft saved")

            await tmux.resize(width: 100, height: 30)
            let medium = await tmux.waitUntil(describing: "the sidebar to hide at 100 columns") { !$0.contains("KPIs") && $0.contains("Compose") }
            #expect(medium.contains("Hola Tomás 👋"))
            await tmux.resize(width: 30, height: 8)
            await tmux.waitFor("Terminal too small")
            await tmux.resize(width: 160, height: 45)
            await tmux.waitFor("Conversion")

            await tmux.send(keys: "Escape")
            try await Task.sleep(for: .milliseconds(100))
            await tmux.send(keys: "q")
            let after = await tmux.waitFor("EXIT=0")
            #expect(!after.contains("Leads 10"), "the alternate screen was not restored")
        }
    }

    @Test("help lists the live keymap")
    func help() async throws {
        try await Tmux.session(command: "\(Binaries.closer) --fixture") { tmux in
            await tmux.waitFor("Leads 10")
            await tmux.send(keys: "?")
            // A capture can land while the overlay is half written: wait for what it must show.
            let screen = await tmux.waitUntil(describing: "the help overlay with the send key") {
                $0.contains("Keys") && $0.contains("<C-s>") && $0.contains("Send the message")
            }
            #expect(screen.contains("<C-s>"))
            #expect(screen.contains("Send the message"))
        }
    }

    @Test("a crash (a Swift trap is SIGILL or SIGTRAP; SIGSEGV, SIGABRT) still gives the terminal back", arguments: ["SEGV", "ABRT", "ILL"])
    func crash(signal: String) async throws {
        try await Tmux.session(command: "\(Binaries.closer) --fixture") { tmux in
            await tmux.waitFor("Leads 10")
            #expect(await tmux.paneFlag("alternate_on") == "1")
            let pid = try #require(await tmux.childPID(named: "closer"))
            kill(pid, ["SEGV": SIGSEGV, "ABRT": SIGABRT, "ILL": SIGILL][signal]!)
            // The crash is still reported: the Swift runtime's backtracer runs after the rescue,
            // and on a terminal it waits for a key before it lets the process die.
            let report = await tmux.waitUntil(describing: "the crash report or the shell") { $0.contains("EXIT=") || $0.contains("to quit") }
            if !report.contains("EXIT=") { await tmux.send(keys: "q") }
            // The shell sees the signal in the exit status.
            let screen = await tmux.waitFor("EXIT=")
            #expect(!screen.contains("EXIT=0"))
            #expect(!screen.contains("Leads 10"), "the alternate screen was not left")
            #expect(await tmux.paneFlag("alternate_on") == "0")
            #expect(await tmux.paneFlag("mouse_any_flag") == "0", "mouse reporting was left on")
            // The shell's modes are back: echo and line editing, as before closer started.
            await tmux.send(literal: "stty -a | tr ' ' '\\n' | grep -xE -- '-?(echo|icanon)' | tr '\\n' ' '; echo MODES_$((1+1))")
            await tmux.send(keys: "Enter")
            let modes = await tmux.waitFor("MODES_2")
            let line = try #require(modes.split(separator: "\n").first { $0.hasSuffix("MODES_2") })
            #expect(line.contains("icanon") && line.contains("echo") && !line.contains("-icanon") && !line.contains("-echo"), "terminal modes: \(line)")
        }
    }

    @Test("SIGTERM and SIGHUP restore the terminal", arguments: ["TERM", "HUP"])
    func signals(signal: String) async throws {
        try await Tmux.session(command: "\(Binaries.closer) --fixture") { tmux in
            await tmux.waitFor("Leads 10")
            let pid = try #require(await tmux.childPID(named: "closer"))
            kill(pid, signal == "TERM" ? SIGTERM : SIGHUP)
            let screen = await tmux.waitFor("EXIT=")
            #expect(!screen.contains("Leads 10"), "the alternate screen was not restored")
        }
    }

    @Test("Ctrl-Z suspends with the draft saved, and fg redraws at the new size")
    func suspend() async throws {
        try await Tmux.session(command: "\(Binaries.closer) --fixture") { tmux in
            await tmux.waitFor("Leads 10")
            await tmux.send(keys: "c")
            await tmux.send(literal: "Typed just before Ctrl-Z")
            await tmux.waitFor("Typed just before Ctrl-Z")
            await tmux.send(keys: "C-z")
            await tmux.waitFor("Stopped")
            // The terminal changes while closer is stopped; it must notice on `fg`.
            await tmux.resize(width: 100, height: 30)
            await tmux.send(literal: "fg")
            await tmux.send(keys: "Enter")
            let resumed = await tmux.waitUntil(describing: "a full redraw at 100 columns") {
                $0.contains("Leads 10") && $0.contains("Compose") && !$0.contains("KPIs")
            }
            // Saved on the way out (no 500 ms debounce to wait for): the lead list shows the draft.
            #expect(resumed.contains("Draft: Typed just before"))
            await tmux.send(keys: "Escape")
            try await Task.sleep(for: .milliseconds(100))
            await tmux.send(keys: "q")
            // `fg` ran it, so the shell prints its prompt rather than the EXIT line.
            await tmux.waitUntil(describing: "the shell to come back") { !$0.contains("Leads 10") }
        }
    }
}
