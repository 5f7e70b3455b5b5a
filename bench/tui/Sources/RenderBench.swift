import CloserCore
import CloserTUI
import Foundation

/// The in-process figures: `AppView.render` into a `MemoryScreen`, and a key's whole turn of the
/// loop (`Update.apply`, the fixture backend's answer, `AppView.render`), at a chosen size, on
/// `Fixtures.large`.
struct RenderBench {
    let inbox: FixtureInbox
    let size: Size
    let iterations: Int
    let threadIterations: Int
    let warmup: Int
    /// Runs only the figures whose name starts with this (for profiling one of them).
    let only: String?
    private(set) var checksum = 0

    init(inbox: FixtureInbox, size: Size, iterations: Int, threadIterations: Int, warmup: Int, only: String? = nil) {
        self.inbox = inbox
        self.only = only
        self.size = size
        self.iterations = iterations
        self.threadIterations = threadIterations
        self.warmup = warmup
    }

    /// A fresh application, started the way `closer --fixture` starts, at the top of the list.
    func freshApp() -> InProcessApp {
        InProcessApp(inbox: inbox, size: size, now: Fixtures.referenceNow)
    }

    mutating func consume(_ frame: Frame) {
        let cells = frame.cells
        guard !cells.isEmpty else { return }
        checksum &+= cells[(checksum & 0x7FFF) % cells.count].text.utf8.count &+ cells.count
    }

    // MARK: Render only

    /// Times `AppView.render` plus `MemoryScreen.present`, alternating `first` and `second` (untimed)
    /// between frames so every frame draws a different state.
    mutating func renderOnly(_ name: String, _ what: String, app start: InProcessApp, first: KeyEvent, second: KeyEvent, count: Int) -> Distribution {
        var app = start
        let screen = MemoryScreen(width: size.width, height: size.height)
        var samples: [Double] = []
        samples.reserveCapacity(count)
        for index in 0..<(warmup + count) {
            _ = app.iterate([.key(index % 2 == 0 ? first : second)])
            app.settle()
            var frame: Frame?
            let elapsed = Stopwatch.milliseconds {
                frame = AppView.render(app.state)
                screen.present(frame!)
            }
            if index >= warmup { samples.append(elapsed) }
            if let frame { consume(frame) }
        }
        return Distribution(name: name, what: what, samples: samples)
    }

    // MARK: Key to frame

    /// Times whole turns of the loop for `keys` (cycled): the key's turn (`key→frame`) and, when
    /// the backend answered (a thread page, a read receipt), the following turns too (`key→settled`).
    mutating func keyToFrame(_ name: String, _ what: String, app start: InProcessApp, keys: [KeyEvent], count: Int) -> (Distribution, Distribution, Int) {
        var app = start
        var first: [Double] = []
        var settled: [Double] = []
        var extraFrames = 0
        first.reserveCapacity(count)
        settled.reserveCapacity(count)
        for index in 0..<(warmup + count) {
            let key = keys[index % keys.count]
            let begin = ContinuousClock.now
            let frame = app.iterate([.key(key)])
            let firstMs = Stopwatch.milliseconds(since: begin)
            var frames = 0
            while app.hasQueuedWork {
                consume(app.iterate([]))
                frames += 1
            }
            let settledMs = Stopwatch.milliseconds(since: begin)
            consume(frame)
            if index >= warmup {
                first.append(firstMs)
                settled.append(settledMs)
                extraFrames += frames
            }
        }
        return (Distribution(name: name, what: what + ": the key's frame", samples: first),
                Distribution(name: name + ".settled", what: what + ": until the backend's answer is drawn too", samples: settled),
                extraFrames)
    }

    // MARK: The runs

    private func wanted(_ name: String) -> Bool {
        only.map { name.hasPrefix($0) } ?? true
    }

    private func log(_ distribution: Distribution) {
        FileHandle.standardError.write(Data((distribution.summary + "\n").utf8))
    }

    mutating func run() -> Report {
        var report = Report(mode: "render", size: "\(size.width)x\(size.height)", leads: inbox.leads.count,
                            threadLength: inbox.threads.values.map(\.count).max() ?? 0)
        let top = freshApp()
        var bottom = top
        bottom.press(KeyEvent.char("G"))
        var thread = top
        thread.press(KeyEvent(.enter))
        var threadOldest = thread
        threadOldest.press(KeyEvent.char("g"))
        // Every lead's last message a 20 KB email, quoted history and all, as real inboxes have.
        var longMail = inbox
        let history = String(repeating: "> Quoted history line, with a few more words in it.\n", count: 400)
        for index in longMail.leads.indices {
            longMail.leads[index].lastMessage?.body = "Reply \(index): thanks, our notes are below.\n" + history
        }
        let longMailTop = InProcessApp(inbox: longMail, size: size, now: Fixtures.referenceNow)
        let j = KeyEvent.char("j")
        let k = KeyEvent.char("k")

        let renders: [(String, String, InProcessApp, KeyEvent, KeyEvent, Int)] = [
            ("render.leads.top", "render, lead list focused, selection alternating lead 0 (5,000-message thread shown) and lead 1",
             top, j, k, iterations),
            ("render.leads.bottom", "render, lead list focused, selection alternating leads 9,999 and 9,998", bottom, k, j, iterations),
            ("render.leads.longmail", "render, lead list focused at the top, every lead's last message a 20 KB email", longMailTop, j, k, iterations),
            ("render.thread", "render, 5,000-message thread focused, newest messages, scrolling one row up/down", thread, k, j, iterations),
            ("render.thread.oldest", "render, 5,000-message thread focused, scrolled to the oldest message", threadOldest, j, k, threadIterations),
        ]
        for (name, what, app, first, second, count) in renders where wanted(name) {
            let probe = LoadProbe()
            var distribution = renderOnly(name, what, app: app, first: first, second: second, count: count)
            distribution.otherCores = probe.otherCores()
            log(distribution)
            report.distributions.append(distribution)
        }

        let keyRuns: [(String, String, InProcessApp, [KeyEvent], Int)] = [
            ("key.leads.walk", "`j` walking down the lead list from lead 0 (each step selects a new lead, whose thread loads)", top, [j], iterations),
            ("key.leads.top", "`j`/`k` alternating at the top (lead 0 with the 5,000-message thread, lead 1)", top, [j, k], iterations),
            ("key.leads.bottom", "`k`/`j` alternating at the bottom (leads 9,998/9,999)", bottom, [k, j], iterations),
            ("key.thread", "`k`/`j` scrolling the focused 5,000-message thread by one row", thread, [k, j], threadIterations),
        ]
        for (name, what, app, keys, count) in keyRuns where wanted(name) {
            let probe = LoadProbe()
            let measured = keyToFrame(name, what, app: app, keys: keys, count: count)
            var first = measured.0
            var settled = measured.1
            let extra = measured.2
            first.otherCores = probe.otherCores()
            settled.otherCores = first.otherCores
            log(first)
            log(settled)
            report.distributions += [first, settled]
            report.figures.append(Figure(name: name + ".extraFrames", what: "frames drawn after the keys' own frames (backend answers)", value: Double(extra)))
        }

        if wanted("cost") {
            let parts = costs(top.state)
            for distribution in parts { log(distribution) }
            report.distributions += parts
        }
        if wanted("startup") {
            let parts = startup()
            for distribution in parts { log(distribution) }
            report.distributions += parts
        }
        report.checksum = checksum
        return report
    }

    /// Single operations of `AppState` that a key can trigger, on the loaded 10,000-lead state.
    func costs(_ loaded: AppState) -> [Distribution] {
        var state = loaded
        let ids = state.leads.map(\.id)
        guard let last = ids.last else { return [] }
        var modify: [Double] = []
        var upsert: [Double] = []
        var lookup: [Double] = []
        for index in 0..<200 {
            let id = ids[(index * 7_919) % ids.count]
            modify.append(Stopwatch.milliseconds { state.modifyLead(id: id) { $0.unreadCount = 0 } })
            let lead = state.lead(id: id)!
            upsert.append(Stopwatch.milliseconds { state.upsertLead(lead) })
            var found = 0
            lookup.append(Stopwatch.milliseconds { found = state.lead(id: last)?.unreadCount ?? 0 })
            precondition(found >= 0)
        }
        return [
            Distribution(name: "cost.modifyLead", what: "AppState.modifyLead on a 10,000-lead state (change, then move the lead to its place)", samples: modify),
            Distribution(name: "cost.upsertLead", what: "AppState.upsertLead of an existing lead (found and moved by binary search)", samples: upsert),
            Distribution(name: "cost.leadLookup", what: "AppState.lead(id:) for the last of 10,000 leads (hash, then binary search)", samples: lookup),
        ]
    }

    /// Start-up in parts, as `closer --fixture --fixture-size` does it: generating the inbox, the
    /// backend's first events (10,000 leads sorted, drafts, stats), the 5,000-message thread page,
    /// and the first full frame.
    mutating func startup() -> [Distribution] {
        var generate: [Double] = []
        var events: [Double] = []
        var threadPage: [Double] = []
        var firstFrame: [Double] = []
        let leadCount = inbox.leads.count
        let threadLength = inbox.threads.values.map(\.count).max() ?? 0
        for _ in 0..<7 {
            var fixture: FixtureInbox?
            generate.append(Stopwatch.milliseconds { fixture = Fixtures.large(leadCount: leadCount, threadLength: threadLength, now: Date()) })
            let inbox = fixture!
            var settings = AppSettings()
            settings.timeZone = .utc
            var state = AppState(size: size, now: Date(), settings: settings)
            let backend = FixtureBackend(inbox: inbox, pageSize: max(200, threadLength))
            let queue = EventQueue()
            var commands: [InboxCommand] = []
            events.append(Stopwatch.milliseconds {
                backend.start { queue.append($0) }
                for event in queue.take() {
                    for effect in Update.apply(.inbox(event), to: &state) {
                        if case .backend(let command) = effect { commands.append(command) }
                    }
                }
            })
            threadPage.append(Stopwatch.milliseconds {
                for command in commands { backend.perform(command) }
                for event in queue.take() { _ = Update.apply(.inbox(event), to: &state) }
            })
            var frame: Frame?
            firstFrame.append(Stopwatch.milliseconds { frame = AppView.render(state) })
            if let frame { consume(frame) }
        }
        // What CLOSER_TRACE adds: TerminalApp.traceName formats events it has no case for with
        // String(describing:) before cutting the text to 40 characters.
        var describeLeads: [Double] = []
        var describeThread: [Double] = []
        let firstThread = inbox.threads.values.max { $0.count < $1.count } ?? []
        for _ in 0..<3 {
            describeLeads.append(Stopwatch.milliseconds {
                checksum &+= String(describing: InboxEvent.leads(inbox.leads)).prefix(40).count
            })
            describeThread.append(Stopwatch.milliseconds {
                let event = InboxEvent.thread(leadId: firstThread.first?.leadId ?? "", messages: firstThread, hasMore: false, replacing: true)
                checksum &+= String(describing: event).prefix(40).count
            })
        }
        return [
            Distribution(name: "trace.describe.leads", what: "CLOSER_TRACE only: String(describing:) of the 10,000-lead event", samples: describeLeads),
            Distribution(name: "trace.describe.thread", what: "CLOSER_TRACE only: String(describing:) of the 5,000-message thread event", samples: describeThread),
            Distribution(name: "startup.generate", what: "Fixtures.large(10,000 leads, 5,000-message thread)", samples: generate),
            Distribution(name: "startup.events", what: "start-up events applied (leads sorted, drafts, stats, analytics, activity)", samples: events),
            Distribution(name: "startup.thread", what: "first thread page (5,000 messages) fetched from the fixture and applied", samples: threadPage),
            Distribution(name: "startup.frame", what: "the first frame with the leads and the thread", samples: firstFrame),
        ]
    }
}
