import Foundation

/// Durations in milliseconds, kept whole so the report can pool runs, with the summary the
/// driver prints.
struct Samples: Codable, Sendable {
    /// A short key (`send.drawn`) the report uses to place the figure.
    var name: String
    /// What was timed, in words.
    var what: String
    var milliseconds: [Double]

    init(name: String, what: String, milliseconds: [Double] = []) {
        self.name = name
        self.what = what
        self.milliseconds = milliseconds
    }

    /// The nearest-rank percentile (`fraction` 0.5 is the median).
    func percentile(_ fraction: Double) -> Double {
        let sorted = milliseconds.sorted()
        guard !sorted.isEmpty else { return .nan }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count - 1, max(0, rank - 1))]
    }

    /// One line for stderr.
    var summary: String {
        let figures = String(format: "n=%5d  p50 %8.3f  p90 %8.3f  p99 %8.3f  max %8.3f ms", milliseconds.count,
                             percentile(0.5), percentile(0.9), percentile(0.99), milliseconds.max() ?? .nan)
        return name.padding(toLength: 26, withPad: " ", startingAt: 0) + figures + "  " + what
    }
}

extension ContinuousClock.Instant {
    /// Milliseconds from `self` to `later`.
    func milliseconds(to later: ContinuousClock.Instant) -> Double {
        let (seconds, attoseconds) = duration(to: later).components
        return Double(seconds) * 1_000 + Double(attoseconds) / 1e15
    }
}
