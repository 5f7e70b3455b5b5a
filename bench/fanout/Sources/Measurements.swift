import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A monotonic clock in nanoseconds, shared by every task of the load tool, so that a REST call's
/// send time and each client's receipt time are on one timeline in one process.
enum BenchClock {
    private static let epoch = ContinuousClock.now

    /// Nanoseconds since the tool started.
    static func nanos() -> Int64 {
        let elapsed = ContinuousClock.now - epoch
        let (seconds, attoseconds) = elapsed.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// Sleeps until `deadline` (in ``nanos()``), or not at all when it has passed.
    static func sleep(until deadline: Int64) async {
        let wait = deadline - nanos()
        if wait > 0 { try? await Task.sleep(for: .nanoseconds(wait)) }
    }
}

/// Readings of a process from /proc (Linux): resident memory and CPU time.
struct ProcessProbe: Sendable {
    let pid: Int32

    /// `VmRSS` from /proc/PID/status, in bytes; nil when the process is gone.
    func residentBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, let kilobytes = Int(fields[1]) else { return nil }
            return kilobytes * 1024
        }
        return nil
    }

    /// User plus system CPU time from /proc/PID/stat, in seconds; nil when the process is gone.
    func cpuSeconds() -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name: state is field 3, utime 14 and stime 15 (1-based).
        let fields = stat[stat.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// The tool's own process.
    static var current: ProcessProbe { ProcessProbe(pid: getpid()) }
}

/// Order statistics of a sample of durations (nanoseconds), reported in milliseconds.
struct Distribution: Codable, Sendable {
    var count: Int
    var p50: Double
    var p90: Double
    var p99: Double
    var max: Double
    var mean: Double

    /// Nearest-rank percentiles of `nanos`; all zero when the sample is empty.
    init(nanos: [Int64]) {
        count = nanos.count
        guard !nanos.isEmpty else {
            (p50, p90, p99, max, mean) = (0, 0, 0, 0, 0)
            return
        }
        let sorted = nanos.sorted()
        func rank(_ fraction: Double) -> Double {
            let index = Swift.min(sorted.count - 1, Swift.max(0, Int((fraction * Double(sorted.count)).rounded(.up)) - 1))
            return Double(sorted[index]) / 1e6
        }
        p50 = rank(0.50)
        p90 = rank(0.90)
        p99 = rank(0.99)
        max = Double(sorted[sorted.count - 1]) / 1e6
        mean = Double(sorted.reduce(0, +)) / Double(sorted.count) / 1e6
    }
}
