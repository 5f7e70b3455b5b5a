import Foundation
import Testing

/// What a newcomer sees first: `closer --demo` (what `make demo` runs once built) on a fresh home.
@Suite("closer --demo")
struct DemoTests {
    @Test("the four panels, then a toast, the bell, a moving KPI and a new message, on a fresh machine's home")
    func firstMinute() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("closer-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let trace = home.appendingPathComponent("trace.log").path
        try await Tmux.session(command: "\(Binaries.closer) --demo", environment: ["HOME": home.path, "CLOSER_TRACE": trace]) { tmux in
            // Lead list, thread (titled with the open lead and its status), KPIs, compose; the
            // whole frame (a capture can land while it is being written).
            let screen = await tmux.waitUntil(describing: "the four panels") { screen in
                ["Leads 40", "KPIs", "Compose"].allSatisfy { screen.contains($0) }
            }
            #expect(screen.contains("KPIs"))
            #expect(screen.contains("Compose"))
            #expect(screen.split(separator: "\n").first.map { $0.contains("┌─ Leads 40") && $0.filter { $0 == "┌" }.count == 3 } == true)
            // The first figures the sidebar shows (the leads can paint before the KPIs arrive).
            let first = Self.activityTally(in: await tmux.waitUntil(describing: "the KPI figures") { Self.activityTally(in: $0) > 0 })
            // The simulator's first beats (an open after 2.5 s, a reply, a click) each toast; 15 s
            // from the inbox showing is the promise (the wait's own limit, not a stopwatch).
            await tmux.waitUntil(timeout: 15, describing: "a toast from the simulator") { $0.contains(" opened “") || $0.contains(" clicked ") }
            // The KPI sidebar moves in place: every beat (a reply, an open, a click, a meeting, a
            // deal) adds to the activity counts it shows. Compared with the first frame, because
            // on a loaded machine the first beat may land before the client says it is online.
            await tmux.waitUntil(timeout: 15, describing: "the sidebar's activity counts to move from \(first)") { screen in
                Self.activityTally(in: screen) > first
            }
            // A lead's reply comes in through the signed webhook, as news (the trace says so).
            #expect(await Self.waitForTrace(trace, containing: "notification kind=message_received replayed=false"))
            await tmux.send(keys: "q")
            await tmux.waitFor("EXIT=0")
        }
        let log = try String(contentsOfFile: trace, encoding: .utf8)
        #expect(log.contains(" bell"))
        #expect(log.contains("direction=inbound"))
        // Everything the demo keeps is in its folder, private.
        let demo = home.appendingPathComponent(".local/share/closer/demo").path
        #expect(FileManager.default.fileExists(atPath: demo + "/server.sqlite"))
        let mode = (try FileManager.default.attributesOfItem(atPath: demo)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o700)
    }

    /// Polls the client's trace file for a line, for up to 15 s.
    static func waitForTrace(_ path: String, containing text: String) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            if (try? String(contentsOfFile: path, encoding: .utf8))?.contains(text) == true { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test("an email sent in the demo is written to the demo's spool as an .eml file, and shows sent")
    func emailToSpool() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("closer-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        try await Tmux.session(command: "\(Binaries.closer) --demo --demo-speed 0.1", environment: ["HOME": home.path]) { tmux in
            await tmux.waitFor("● online")
            // `/@` keeps the leads with an email address; the first of them gets the email.
            await tmux.send(literal: "/@")
            await tmux.send(keys: "Enter")
            await tmux.waitFor("/@")
            await tmux.send(keys: "c")
            // Whatever channel the lead used last, cycle to email (at most four channels).
            for _ in 0..<4 {
                try await Task.sleep(for: .milliseconds(300))
                if (await tmux.capture()).contains("[✉ email]") { break }
                await tmux.send(keys: "C-t")
            }
            await tmux.waitFor("[✉ email]")
            await tmux.send(literal: "Here is the spool test body")
            await tmux.send(keys: "BTab")
            await tmux.send(literal: "Spool test")
            await tmux.send(keys: "C-s")
            await tmux.waitUntil(describing: "the email to show as sent") { $0.contains("Spool test") && $0.contains(" sent") }
            await tmux.send(keys: "Escape")
            try await Task.sleep(for: .milliseconds(100))
            await tmux.send(keys: "q")
            await tmux.waitFor("EXIT=0")
        }
        let spool = home.appendingPathComponent(".local/share/closer/demo/spool").path
        let files = try FileManager.default.contentsOfDirectory(atPath: spool).filter { $0.hasSuffix(".eml") }
        let emails = try files.map { try String(contentsOfFile: spool + "/" + $0, encoding: .utf8) }
        #expect(emails.contains { $0.contains("Subject: Spool test") && $0.contains("Here is the spool test body") })
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

    /// The sum of the sidebar's activity counts ("1 sent  2 received", "3 opens  0 clicks",
    /// "0 meetings  1 won", today's and the window's). Only the text right of the thread panel's
    /// border is read, so a toast ("3 opens from …") or a message body cannot count.
    static func activityTally(in screen: String) -> Int {
        let figure = /(\d+) (?:sent|received|opens|clicks|meetings|won)\b/
        return screen.split(separator: "\n").reduce(0) { sum, line in
            guard let border = line.range(of: "││", options: .backwards) else { return sum }
            return sum + line[border.upperBound...].matches(of: figure).reduce(0) { $0 + (Int($1.1) ?? 0) }
        }
    }
}
