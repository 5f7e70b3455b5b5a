import CNcursesw
import CloserCore
import CloserTUI
import Foundation

/// Flushes through the real `NcursesScreen` (package-visible for this bench): a full repaint, a
/// key's diff, and a key's whole turn (update, render, flush).
struct FlushBench {
    let inbox: FixtureInbox
    let iterations: Int
    let warmup: Int

    func run() -> Report {
        setlocale(LC_ALL, "")
        guard let window = initscr() else {
            FileHandle.standardError.write(Data("closer-bench-tui: cannot initialise the terminal\n".utf8))
            exit(1)
        }
        // As TerminalSession.start sets up the terminal for output.
        cbreak()
        noecho()
        nonl()
        keypad(window, true)
        nodelay(window, true)
        if has_colors() {
            start_color()
            use_default_colors()
        }
        defer { endwin() }
        let environment = ProcessInfo.processInfo.environment
        let depth = ColorDepth.detect(colors: Int(closer_colors()), hasRGBFlag: tigetflag("RGB") > 0, environment: environment)
        let catalog = ThemeCatalog(environment: environment, executablePath: Bundle.main.executablePath ?? "/proc/self/exe")
        let screen = NcursesScreen(window: window, theme: catalog.load("default").0, depth: depth)
        let size = screen.size

        var report = Report(mode: "flush", size: "\(size.width)x\(size.height)", leads: inbox.leads.count,
                            threadLength: inbox.threads.values.map(\.count).max() ?? 0)
        report.figures.append(Figure(name: "flush.colorDepth", what: "\(depth)", value: Double(closer_colors())))
        let top = InProcessApp(inbox: inbox, size: size, now: Fixtures.referenceNow)
        var thread = top
        thread.press(KeyEvent(.enter))
        let j = KeyEvent.char("j")
        let k = KeyEvent.char("k")

        // A full repaint (first paint, resize, return from $EDITOR): every cell written and sent.
        var app = top
        var probe = LoadProbe()
        var full: [Double] = []
        for index in 0..<(warmup + iterations / 4) {
            let frame = app.iterate([.key(index % 2 == 0 ? j : k)])
            app.settle()
            screen.invalidate()
            let elapsed = Stopwatch.milliseconds { screen.present(frame) }
            if index >= warmup { full.append(elapsed) }
        }
        var fullDistribution = Distribution(name: "flush.full", what: "full 200x50 frame written and repainted (clearok)", samples: full)
        fullDistribution.otherCores = probe.otherCores()
        report.distributions.append(fullDistribution)

        // A key's diff: only the cells that changed since the last frame.
        for (name, what, start, keys) in [("flush.diff.leads", "diff flush, lead list j/k at the top", top, [j, k]),
                                          ("flush.diff.thread", "diff flush, focused 5,000-message thread scrolled one row", thread, [k, j])] {
            var app = start
            screen.invalidate()
            screen.present(AppView.render(app.state))
            let diffProbe = LoadProbe()
            var samples: [Double] = []
            for index in 0..<(warmup + iterations) {
                let frame = app.iterate([.key(keys[index % keys.count])])
                let elapsed = Stopwatch.milliseconds { screen.present(frame) }
                if index >= warmup { samples.append(elapsed) }
                while app.hasQueuedWork { screen.present(app.iterate([])) }
            }
            var distribution = Distribution(name: name, what: what, samples: samples)
            distribution.otherCores = diffProbe.otherCores()
            report.distributions.append(distribution)
        }

        // A key's whole turn without the input read: update, backend, render, flush.
        app = top
        screen.invalidate()
        screen.present(AppView.render(app.state))
        probe = LoadProbe()
        var first: [Double] = []
        var settled: [Double] = []
        for index in 0..<(warmup + iterations) {
            let begin = ContinuousClock.now
            screen.present(app.iterate([.key(j)]))
            let firstMs = Stopwatch.milliseconds(since: begin)
            while app.hasQueuedWork { screen.present(app.iterate([])) }
            if index >= warmup {
                first.append(firstMs)
                settled.append(Stopwatch.milliseconds(since: begin))
            }
        }
        var walk = Distribution(name: "keyflush.leads.walk", what: "`j` walking the list: update + render + flush of the key's frame", samples: first)
        var walkSettled = Distribution(name: "keyflush.leads.walk.settled", what: "same, until the thread's frame is flushed too", samples: settled)
        walk.otherCores = probe.otherCores()
        walkSettled.otherCores = walk.otherCores
        report.distributions += [walk, walkSettled]
        return report
    }
}
