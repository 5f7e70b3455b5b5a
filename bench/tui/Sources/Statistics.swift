import Foundation

/// A measured distribution of durations, in milliseconds, as the driver reports it.
struct Distribution: Codable, Sendable {
    /// A short key (`render.leads.top`) the report script uses to place the figure.
    var name: String
    /// What was timed, in words, for the table.
    var what: String
    var count: Int
    var medianMs: Double
    var p99Ms: Double
    var maxMs: Double
    var meanMs: Double
    var minMs: Double
    /// Cores the rest of the machine used while this was measured (nil when unknown); a figure
    /// taken while other work ran is pessimistic.
    var otherCores: Double?

    init(name: String, what: String, samples: [Double]) {
        precondition(!samples.isEmpty, "no samples for \(name)")
        let sorted = samples.sorted()
        self.name = name
        self.what = what
        count = sorted.count
        medianMs = Self.percentile(sorted, 0.5)
        p99Ms = Self.percentile(sorted, 0.99)
        maxMs = sorted[sorted.count - 1]
        minMs = sorted[0]
        meanMs = sorted.reduce(0, +) / Double(sorted.count)
    }

    /// The nearest-rank percentile of an ascending array.
    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count - 1, max(0, rank - 1))]
    }

    /// One line for a person reading the driver's own output.
    var summary: String {
        name.padding(toLength: 30, withPad: " ", startingAt: 0)
            + String(format: "n=%5d  median %8.3f ms  p99 %8.3f ms  max %8.3f ms  ", count, medianMs, p99Ms, maxMs) + what
    }
}

/// A single measured figure that is not a distribution (a size, a count).
struct Figure: Codable, Sendable {
    var name: String
    var what: String
    var value: Double
}

/// Everything one driver mode measured, written as JSON for `report.py`.
struct Report: Codable, Sendable {
    var mode: String
    var size: String
    var leads: Int
    var threadLength: Int
    var distributions: [Distribution] = []
    var figures: [Figure] = []
    /// A value derived from every frame, printed so the optimiser cannot drop the work.
    var checksum: Int = 0
}

/// Times closures with the monotonic clock.
enum Stopwatch {
    /// Milliseconds taken by `body`.
    static func milliseconds(_ body: () -> Void) -> Double {
        let start = ContinuousClock.now
        body()
        return milliseconds(since: start)
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = start.duration(to: .now)
        let (seconds, attoseconds) = elapsed.components
        return Double(seconds) * 1_000 + Double(attoseconds) / 1e15
    }
}

/// This process's resident memory, from `/proc/self/statm`, in megabytes (0 where unavailable).
func residentMegabytes() -> Double {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Double(fields[1]) else { return 0 }
    return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
}

/// How busy the rest of the machine is while something is measured: all CPUs' busy time from
/// `/proc/stat`, less this process's own CPU time from `/proc/self/stat`.
struct LoadProbe {
    private let machine: (busy: Double, total: Double)
    private let own: Double

    init() {
        machine = Self.machineTicks()
        own = Self.ownTicks()
    }

    /// Cores used by other processes since `init`, or nil if /proc could not be read.
    func otherCores() -> Double? {
        let now = Self.machineTicks()
        let cores = Double(ProcessInfo.processInfo.activeProcessorCount)
        let total = now.total - machine.total
        guard total > 0 else { return nil }
        // /proc/stat's line sums every CPU's ticks; the elapsed wall time is total / cores.
        let elapsed = total / cores
        return max(0, (now.busy - machine.busy) - (Self.ownTicks() - own)) / elapsed
    }

    private static func machineTicks() -> (busy: Double, total: Double) {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = text.split(separator: "\n").first else { return (0, 0) }
        let fields = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard fields.count >= 5 else { return (0, 0) }
        let total = fields.prefix(8).reduce(0, +)
        return (total - fields[3] - fields[4], total)
    }

    private static func ownTicks() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return 0 }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // Fields after the command: state is [0], utime [11], stime [12].
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return user + system
    }
}
