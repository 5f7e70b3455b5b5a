import CloserClient
import CloserCore
import CloserTUI
import Foundation
import Testing

/// The 500 ms autosave end to end: the terminal client's update loop (where the debounce lives)
/// feeding the real sync engine, which writes the cache and pushes to the real server.
@Suite("Draft autosave")
struct DraftAutosaveTests {
    @Test("100 keystrokes over 5 s: at most 11 local writes and 11 upstream saves, and not a character lost")
    func debounce() async throws {
        try await ClientTestServer.run { server in
            let (_, api) = try await server.signedInRep()
            let lead = try await api.createLead(CreateLeadRequest(name: "Dana Kim", email: "dana@northwind.example"))
            let cache = try ClientCache(path: try SyncEngineTests.temporaryDirectory().path + "/cache.sqlite")
            let engine = SyncEngine(server: server.baseURL, token: try #require(api.token), cache: cache, http: server.http)
            let seen = EventCollector()
            engine.start(sink: seen.record)
            #expect(await seen.wait { $0.contains(.connection(.online)) })

            var loop = UpdateLoop(engine: engine)
            loop.apply(.inbox(.leads([lead])))
            loop.apply(.key(.char("c")))
            #expect(loop.state.focus == .compose)

            // The worst case for a 500 ms debounce: nine pauses just over it, the rest typed fast,
            // 100 keys in about 5 s. Every pause may save once, and the end saves once more.
            let text = String(repeating: "Hi Dana, Q3? ", count: 8).prefix(100)
            let start = ContinuousClock.now
            var at = Duration.zero
            for (index, character) in text.enumerated() {
                at += index > 0 && index % 10 == 0 ? .milliseconds(510) : .milliseconds(4)
                await loop.run(until: start + at)
                loop.apply(.key(.char(character)))
            }
            let typing = ContinuousClock.now - start
            await loop.run(until: ContinuousClock.now + .seconds(1))

            #expect(typing >= .milliseconds(4_900))
            #expect((1...11).contains(loop.localWrites), "local writes: \(loop.localWrites)")
            // The engine reports each cache write it made: the same count.
            let written = seen.events.filter { if case .draftSaved(lead.id, _, false) = $0 { true } else { false } }.count
            #expect(written == loop.localWrites)
            #expect(try cache.draft(leadId: lead.id)?.content == String(text))
            #expect(await seen.wait { $0.contains { if case .draftSaved(lead.id, _, true) = $0 { true } else { false } } })
            // Every accepted upstream save bumps the server's version by one.
            let upstream = try #require(try await api.draft(leadId: lead.id))
            #expect(upstream.content == String(text))
            #expect((1...11).contains(upstream.version), "upstream saves: \(upstream.version)")
            engine.stop()
        }
    }
}

/// The terminal runtime's loop without a terminal: actions through `Update`, backend effects to
/// the engine, backend events back in, and time advanced on the real clock to each deadline the
/// state asks for, as `TerminalApp` does between polls.
private struct UpdateLoop {
    let engine: SyncEngine
    var state = AppState(size: Size(width: 160, height: 45), now: Date())
    private(set) var localWrites = 0

    init(engine: SyncEngine) {
        self.engine = engine
    }

    mutating func apply(_ action: AppAction) {
        for effect in Update.apply(action, to: &state) {
            guard case .backend(let command) = effect else { continue }
            if case .saveDraft = command { localWrites += 1 }
            engine.perform(command)
        }
    }

    /// Sleeps to `deadline`, waking for every autosave (or other timer) due before it.
    mutating func run(until deadline: ContinuousClock.Instant) async {
        while ContinuousClock.now < deadline {
            var wake = deadline
            if let due = Update.nextDeadline(state) {
                wake = min(wake, ContinuousClock.now + .milliseconds(max(0, Int(due.timeIntervalSinceNow * 1000) + 1)))
            }
            try? await Task.sleep(until: wake)
            apply(.tick(Date()))
        }
        apply(.tick(Date()))
    }
}
