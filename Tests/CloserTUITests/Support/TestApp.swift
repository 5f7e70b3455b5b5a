import CloserCore
@testable import CloserTUI
import Foundation

/// An application state driven by fixtures and actions, the way the runtime drives it, for tests.
struct TestApp {
    var state: AppState
    private(set) var effects: [AppEffect] = []

    /// A state loaded from the fixture inbox at `Fixtures.referenceNow`, in UTC, Unicode glyphs.
    init(width: Int = 120, height: Int = 40, inbox: FixtureInbox = Fixtures.inbox(), glyphs: Glyphs = .unicode) {
        var settings = AppSettings()
        settings.glyphs = glyphs
        settings.timeZone = .utc
        state = AppState(size: Size(width: width, height: height), now: Fixtures.referenceNow, settings: settings)
        state.clientIdSeed = "test"
        load(inbox)
    }

    /// Feeds what the fixture backend sends at start, and the selected lead's thread.
    mutating func load(_ inbox: FixtureInbox) {
        send(.inbox(.session(rep: inbox.rep, server: "fixture")))
        send(.inbox(.connection(.online)))
        send(.inbox(.leads(inbox.leads)))
        send(.inbox(.drafts(inbox.drafts)))
        send(.inbox(.stats(inbox.stats)))
        send(.inbox(.analytics(inbox.analytics)))
        send(.inbox(.activity(inbox.activity, live: false)))
        answerThreadLoads(inbox)
    }

    /// Answers every `loadThread` effect so far from the fixture, as the backend would.
    mutating func answerThreadLoads(_ inbox: FixtureInbox = Fixtures.inbox()) {
        let loads = effects.compactMap { effect -> String? in
            if case .backend(.loadThread(let leadId, nil)) = effect { return leadId }
            return nil
        }
        for leadId in loads {
            send(.inbox(.thread(leadId: leadId, messages: inbox.thread(for: leadId), hasMore: false, replacing: true)))
        }
        effects.removeAll { if case .backend(.loadThread) = $0 { return true } else { return false } }
    }

    @discardableResult
    mutating func send(_ action: AppAction) -> [AppEffect] {
        let produced = Update.apply(action, to: &state)
        effects += produced
        return produced
    }

    @discardableResult
    mutating func press(_ keys: KeyEvent...) -> [AppEffect] {
        keys.flatMap { send(.key($0)) }
    }

    /// Presses keys written as in config.toml: `"j"`, `"<C-s>"`, `"<C-x><C-e>"`.
    @discardableResult
    mutating func press(_ names: String) -> [AppEffect] {
        (try! KeyName.parse(names)).flatMap { send(.key($0)) }
    }

    mutating func type(_ text: String) {
        for character in text { send(.key(.char(character))) }
    }

    mutating func advance(by seconds: TimeInterval) -> [AppEffect] {
        send(.tick(state.now.addingTimeInterval(seconds)))
    }

    func render() -> Frame { AppView.render(state) }

    var screenText: String { render().textLines().joined(separator: "\n") }

    mutating func clearEffects() { effects.removeAll() }
}
