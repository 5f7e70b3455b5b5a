import CNcursesw
import CloserCore
import CloserTUI
import Foundation

/// A line-for-line copy of `NcursesScreen` (internal to CloserTUI, so it cannot be called from
/// here): the same diff against the previous frame, the same `setcchar`/`mvwadd_wch` per changed
/// cell, the same `wnoutrefresh` + `doupdate`. Keep it in step with
/// `Sources/CloserTUI/Terminal/NcursesScreen.swift`; the end-to-end figures in `measure.py` time
/// the real one through `closer`'s trace.
final class NcursesReplica {
    typealias Window = UnsafeMutablePointer<WINDOW>

    private let window: Window
    private var previous: Frame?
    private var styles: [Role: (pair: Int32, attributes: attr_t)] = [:]
    private var nextPair: Int32 = 1
    private var pairs: [PairKey: Int32] = [:]
    private let depth: ColorDepth

    private struct PairKey: Hashable {
        let foreground: Int
        let background: Int
    }

    init(window: Window, theme: Theme, depth: ColorDepth) {
        self.window = window
        self.depth = depth
        apply(theme: theme)
    }

    var size: Size {
        Size(width: Int(getmaxx(window)), height: Int(getmaxy(window)))
    }

    func apply(theme: Theme) {
        styles = [:]
        let theme = depth == .none ? theme.monochromeVersion() : theme
        for role in Role.allCases {
            let style = theme.style(for: role)
            let foreground = depth == .none ? -1 : approximate(style.foreground, depth: depth)
            let background = depth == .none ? -1 : approximate(style.background, depth: depth)
            styles[role] = (pair(foreground: foreground, background: background), Self.attributes(style.attributes))
        }
        previous = nil
    }

    /// The next frame is written in full, and the terminal repainted from scratch.
    func invalidate() {
        previous = nil
        clearok(window, true)
    }

    func present(_ frame: Frame) {
        let full = previous?.size != frame.size
        if full { werase(window) }
        let width = frame.size.width
        frame.cells.withUnsafeBufferPointer { cells in
            let old = full ? nil : previous
            for index in cells.indices {
                let cell = cells[index]
                if let old, old.cells[index] == cell { continue }
                if cell.isContinuation { continue }
                draw(cell, x: Int32(index % width), y: Int32(index / width))
            }
        }
        if let cursor = frame.cursor {
            curs_set(1)
            wmove(window, Int32(cursor.y), Int32(cursor.x))
        } else {
            curs_set(0)
        }
        wnoutrefresh(window)
        doupdate()
        if frame.bell { beep() }
        previous = frame
    }

    private func draw(_ cell: Cell, x: Int32, y: Int32) {
        let style = styles[cell.role] ?? (0, 0)
        let scalars = Array(cell.text.unicodeScalars)
        guard let first = scalars.first else { return }
        if (0x1F1E6...0x1F1FF).contains(first.value), scalars.count == 2 {
            put([first], attributes: style.attributes, pair: style.pair, x: x, y: y)
            put([scalars[1]], attributes: style.attributes, pair: style.pair, x: x + 1, y: y)
            return
        }
        var chars: [Unicode.Scalar] = [first]
        for scalar in scalars.dropFirst() {
            if scalar.value == 0x200D || chars.count >= 4 { break }
            if wcwidth(wchar_t(scalar.value)) == 0 { chars.append(scalar) }
        }
        put(chars, attributes: style.attributes, pair: style.pair, x: x, y: y)
    }

    private func put(_ scalars: [Unicode.Scalar], attributes: attr_t, pair: Int32, x: Int32, y: Int32) {
        var wide = scalars.map { wchar_t(bitPattern: $0.value) }
        wide.append(0)
        _ = wide.withUnsafeBufferPointer { buffer in
            closer_mvadd_cell(window, y, x, buffer.baseAddress, attributes, pair)
        }
    }

    private func pair(foreground: Int, background: Int) -> Int32 {
        if foreground == -1 && background == -1 { return 0 }
        let key = PairKey(foreground: foreground, background: background)
        if let existing = pairs[key] { return existing }
        let number = nextPair
        nextPair += 1
        init_extended_pair(number, Int32(foreground), Int32(background))
        pairs[key] = number
        return number
    }

    private static func attributes(_ attributes: TextAttributes) -> attr_t {
        var result = closer_a_normal()
        if attributes.contains(.bold) { result |= closer_a_bold() }
        if attributes.contains(.dim) { result |= closer_a_dim() }
        if attributes.contains(.underline) { result |= closer_a_underline() }
        if attributes.contains(.reverse) { result |= closer_a_reverse() }
        if attributes.contains(.italic) { result |= closer_a_italic() }
        return result
    }
}

/// Flushing frames drawn by the real `AppView` to a real terminal (run it in a tmux pane) through
/// `NcursesReplica`: a full repaint, a key's diff, and a key's whole turn (update, render, flush).
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
        let screen = NcursesReplica(window: window, theme: catalog.load("default").0, depth: depth)
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
