import Foundation
import Testing

/// What a newcomer sees first: `closer --demo` (what `make demo` runs once built) on a fresh home.
@Suite("closer --demo")
struct DemoTests {
    @Test("the four panels, then a live toast and the bell within 15 s, on a fresh machine's home")
    func firstMinute() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("closer-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let trace = home.appendingPathComponent("trace.log").path
        try await Tmux.session(command: "\(Binaries.closer) --demo", environment: ["HOME": home.path, "CLOSER_TRACE": trace]) { tmux in
            let screen = await tmux.waitFor("Leads 40")
            #expect(screen.contains("KPIs"))
            #expect(screen.contains("Compose"))
            await tmux.waitFor("● online")
            // The simulator's first beats (an open after 2.5 s, then a reply) each toast; 15 s from
            // the inbox showing is the promise (the wait's own limit, not a stopwatch).
            await tmux.waitUntil(timeout: 15, describing: "a toast from the simulator") { $0.contains(" opened “") || $0.contains(" clicked ") }
            await tmux.send(keys: "q")
            await tmux.waitFor("EXIT=0")
        }
        let log = try String(contentsOfFile: trace, encoding: .utf8)
        #expect(log.contains(" bell"))
        // Everything the demo keeps is in its folder, private.
        let demo = home.appendingPathComponent(".local/share/closer/demo").path
        #expect(FileManager.default.fileExists(atPath: demo + "/server.sqlite"))
        let mode = (try FileManager.default.attributesOfItem(atPath: demo)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o700)
    }

    @Test("a draft typed in the demo survives a restart; --demo-reset starts over")
    func draftSurvivesRestart() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("closer-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let environment = ["HOME": home.path]
        try await Tmux.session(command: "\(Binaries.closer) --demo --demo-speed 0.1", environment: environment) { tmux in
            await tmux.waitFor("● online")
            await tmux.send(keys: "c")
            await tmux.send(literal: "Demo draft, keep me")
            await tmux.waitFor("Draft saved")
            await tmux.send(keys: "Escape")
            try await Task.sleep(for: .milliseconds(100))
            await tmux.send(keys: "q")
            await tmux.waitFor("EXIT=0")
        }
        try await Tmux.session(command: "\(Binaries.closer) --demo --demo-speed 0.1", environment: environment) { tmux in
            await tmux.waitFor("Demo draft, keep me")
            await tmux.send(keys: "q")
            await tmux.waitFor("EXIT=0")
        }
        try await Tmux.session(command: "\(Binaries.closer) --demo --demo-reset --demo-speed 0.1", environment: environment) { tmux in
            let screen = await tmux.waitFor("● online")
            #expect(!screen.contains("Demo draft, keep me"))
            await tmux.send(keys: "q")
            await tmux.waitFor("EXIT=0")
        }
    }
}
