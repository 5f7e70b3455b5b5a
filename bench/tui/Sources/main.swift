// closer-bench-tui: the in-process half of bench/tui (see bench/README.md, "Terminal client").
//
//   closer-bench-tui render [options]   AppView.render into a MemoryScreen, and a key's turn of the
//                                       loop (Update + fixture backend + render), on Fixtures.large
//   closer-bench-tui flush  [options]   the same frames flushed to ncurses; run it in a terminal
//                                       (a 200x50 tmux pane), results go to --out
//
// Options: --leads N (10000)  --thread N (5000)  --size WxH (200x50, render only; flush uses the
// terminal's size)  --iterations N (2000)  --thread-iterations N (200)  --warmup N (50)
// --out FILE (JSON report; default stdout for render, required for flush)
// --only PREFIX (render: run only the distributions whose name starts with PREFIX, e.g. for perf).
// A summary of every distribution goes to stderr.

import CloserCore
import CloserTUI
import Foundation

/// The command line, parsed by hand: the driver needs nothing more.
struct Arguments {
    var mode = "render"
    var leads = 10_000
    var thread = 5_000
    var size = Size(width: 200, height: 50)
    var iterations = 2_000
    var threadIterations = 200
    var warmup = 50
    var out: String?
    var only: String?

    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        if let first = rest.first, !first.hasPrefix("-") {
            mode = first
            rest = rest.dropFirst()
        }
        while let option = rest.popFirst() {
            guard let value = rest.popFirst() else { throw UsageError("\(option) needs a value") }
            switch option {
            case "--leads": leads = try Self.number(value, option)
            case "--thread": thread = try Self.number(value, option)
            case "--iterations": iterations = try Self.number(value, option)
            case "--thread-iterations": threadIterations = try Self.number(value, option)
            case "--warmup": warmup = try Self.number(value, option)
            case "--out": out = value
            case "--only": only = value
            case "--size":
                let parts = value.split(separator: "x").compactMap { Int($0) }
                guard parts.count == 2 else { throw UsageError("--size takes WxH, e.g. 200x50") }
                size = Size(width: parts[0], height: parts[1])
            default: throw UsageError("unknown option \(option)")
            }
        }
        guard ["render", "flush"].contains(mode) else { throw UsageError("unknown mode \(mode) (render or flush)") }
        if mode == "flush" && out == nil { throw UsageError("flush needs --out FILE: the terminal is in use") }
    }

    private static func number(_ text: String, _ option: String) throws -> Int {
        guard let value = Int(text), value > 0 else { throw UsageError("\(option) takes a positive number") }
        return value
    }
}

/// A mistake on the command line.
struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

do {
    let arguments = try Arguments(Array(CommandLine.arguments.dropFirst()))
    let baseline = residentMegabytes()
    let inbox = Fixtures.large(leadCount: arguments.leads, threadLength: arguments.thread, now: Fixtures.referenceNow)
    let withFixture = residentMegabytes()
    var report: Report
    switch arguments.mode {
    case "flush":
        report = FlushBench(inbox: inbox, iterations: arguments.iterations, warmup: arguments.warmup).run()
    default:
        var bench = RenderBench(inbox: inbox, size: arguments.size, iterations: arguments.iterations,
                                threadIterations: arguments.threadIterations, warmup: arguments.warmup, only: arguments.only)
        let app = bench.freshApp()
        let withApp = residentMegabytes()
        report = bench.run()
        report.figures += [
            Figure(name: "memory.baseline", what: "RSS (MB) of this driver before the fixture exists", value: baseline),
            Figure(name: "memory.fixture", what: "RSS (MB) added by Fixtures.large (the backend's copy of the data)", value: withFixture - baseline),
            Figure(name: "memory.app", what: "RSS (MB) added by the app state loaded from it (leads sorted, 5,000-message page, first frames)", value: withApp - withFixture),
            Figure(name: "memory.leadStride", what: "MemoryLayout<Lead>.stride (bytes, strings' heap buffers not included)", value: Double(MemoryLayout<Lead>.stride)),
            Figure(name: "memory.messageStride", what: "MemoryLayout<Message>.stride (bytes)", value: Double(MemoryLayout<Message>.stride)),
        ]
        withExtendedLifetime(app) {}
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    let json = try encoder.encode(report)
    if let out = arguments.out {
        try json.write(to: URL(fileURLWithPath: out))
    } else {
        FileHandle.standardOutput.write(json + Data("\n".utf8))
    }
} catch let error as UsageError {
    FileHandle.standardError.write(Data("closer-bench-tui: \(error)\n".utf8))
    exit(2)
} catch {
    FileHandle.standardError.write(Data("closer-bench-tui: \(error)\n".utf8))
    exit(1)
}
