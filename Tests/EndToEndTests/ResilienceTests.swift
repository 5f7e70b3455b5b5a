import Foundation
import Testing

/// The real binaries against what goes wrong in the field: hostile text from outside, and a server
/// that goes away while the rep keeps working.
@Suite("Resilience end to end")
struct ResilienceTests {
    @Test("a hostile message through the webhook (escapes, 50 KB, RTL override, 200 ZWJ emoji) leaves the screen intact")
    func hostileMessage() async throws {
        let server = try await E2EServer()
        defer { server.remove() }
        try await Tmux.session(width: 160, height: 45, command: Binaries.closer, environment: server.clientEnvironment) { tmux in
            await tmux.waitFor("● online")
            let family = String(repeating: "👩‍👩‍👧‍👦", count: 200)
            let body = "\u{1B}[2J\u{1B}[H\u{1B}]0;pwned\u{07}Totally normal \u{1B}]8;;https://evil.example\u{07}link\u{1B}]8;;\u{07} "
                + "\u{202E}fdp.exe\u{202C} \u{9B}31m\n" + family + "\n" + String(repeating: "lorem ipsum dolor sit amet ", count: 1_900)
            #expect(body.utf8.count > 50_000)
            // Names and subjects with control characters are refused at the door (400); format
            // characters such as the RTL override get through and must be neutralised on screen.
            #expect(try server.inbound(["channel": "email", "from": "evil@corp.example", "name": "Evil Corp \u{202E}gnp.exe",
                                        "subject": "URGENT \u{202E}fdp.exe", "body": body, "externalId": "hostile-1"]) == "201")
            await tmux.waitFor("Evil Corp")
            // Open it and page through the 50 KB: the client keeps answering.
            await tmux.send(keys: "Enter")
            for _ in 0..<5 { await tmux.send(keys: "PageUp") }
            await tmux.send(keys: "End")
            let screen = await tmux.waitFor("Totally normal")
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            // The frame is whole: every row of the leads panel still starts with its border.
            #expect(lines.prefix(44).allSatisfy { $0.hasPrefix("│") || $0.hasPrefix("┌") || $0.hasPrefix("└") }, "\(screen)")
            #expect(!screen.contains("pwned"), "an OSC title string was drawn or obeyed")
            #expect(!screen.contains("\u{202E}"))
            let title = try await tmux.output(["display-message", "-p", "-t", tmux.session, "#{pane_title}"])
            #expect(!title.contains("pwned"), "the pane title was set to \(title)")
            // Nothing leaked into the terminal's own state: no raw escape in a capture with attributes.
            let raw = try await tmux.output(["capture-pane", "-p", "-e", "-t", tmux.session])
            #expect(!raw.contains("\u{1B}]"), "an OSC sequence reached the terminal")
            #expect(!raw.contains("\u{1B}[2J"))
            await tmux.send(keys: "q")
            await tmux.waitFor("EXIT=0")
        }
    }

    @Test("the server stops for 20 s: three sends show queued, then go out once each and in order; a reply sent meanwhile shows up")
    func outage() async throws {
        let server = try await E2EServer()
        defer { server.remove() }
        let lead = try server.createLead(name: "Dana Kim", email: "dana@northwind.example")
        let leadId = try #require(lead["id"] as? String)
        try await Tmux.session(width: 160, height: 45, command: Binaries.closer, environment: server.clientEnvironment) { tmux in
            await tmux.waitFor("● online")
            server.stop()
            await tmux.waitUntil(describing: "the client to notice") { !$0.contains("● online") }
            let outageStart = ContinuousClock.now
            await tmux.send(keys: "c")
            for index in 1...3 {
                // After a send the compose stays open for the next message.
                await tmux.typeEmail(subject: "Offline \(index)", body: "Written on the train, number \(index)")
                await tmux.send(keys: "C-s")
                await tmux.waitUntil(describing: "message \(index) queued") { $0.components(separatedBy: "queued").count - 1 >= index }
            }
            let remaining = Duration.seconds(20) - (ContinuousClock.now - outageStart)
            if remaining > .zero { try await Task.sleep(for: remaining) }
            try await server.start()
            // Dana replies before this client is back.
            try server.inbound(["channel": "email", "from": "dana@northwind.example", "subject": "Re: Offline", "body": "Got all three, thanks!",
                                "externalId": "reply-after-outage"])
            // Back online a queued message reads "sending…" until the server has it, so wait for
            // neither word: only then has every one of the three reached the server.
            await tmux.waitUntil(timeout: 60, describing: "the reply, and no message left queued or sending") {
                $0.contains("Got all three, thanks!") && !$0.contains("queued") && !$0.contains("sending")
            }
        }
        let thread = try server.thread(leadId: leadId)
        let bodies = thread.compactMap { $0["body"] as? String }
        // Each once, the three in the order written (the reply is stamped when it arrived, which
        // may be before the client was back to deliver them).
        #expect(bodies.filter { $0.hasPrefix("Written on the train") }
            == ["Written on the train, number 1", "Written on the train, number 2", "Written on the train, number 3"])
        #expect(bodies.filter { $0 == "Got all three, thanks!" }.count == 1)
        #expect(bodies.count == 4)
    }
}
