import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The zone the UI shows wall-clock times in: how far from UTC it is at a given moment.
///
/// Not a Foundation `TimeZone`, because on Linux every `TimeZone` other than GMT is backed by ICU,
/// and `TimeZone.current` alone makes about 4 MB of ICU's code and tables resident in a process that
/// needs nothing else from ICU (bench/tui, RSS after first paint). The rep's own zone comes from the
/// C library instead, as in every other terminal program: `localtime_r`, which follows `TZ` or
/// `/etc/localtime`, daylight saving included. Tests and benchmarks pin a zone.
public struct DisplayTimeZone: Sendable {
    private let offset: @Sendable (Date) -> Int

    private init(offset: @escaping @Sendable (Date) -> Int) {
        self.offset = offset
    }

    /// Seconds to add to UTC to get the wall-clock time at `date`.
    public func secondsFromGMT(for date: Date) -> Int {
        offset(date)
    }

    /// `date` as seconds since 1970-01-01 00:00 on this zone's wall clock.
    func wallClockSeconds(_ date: Date) -> Double {
        date.timeIntervalSince1970 + Double(offset(date))
    }

    public static let utc = DisplayTimeZone { _ in 0 }

    /// The zone of the machine the rep runs `closer` on.
    public static let system = DisplayTimeZone { date in
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        guard localtime_r(&seconds, &parts) != nil else { return 0 }
        return Int(parts.tm_gmtoff)
    }

    /// Any Foundation zone, its rules included (tests use named zones).
    public init(_ timeZone: TimeZone) {
        offset = { timeZone.secondsFromGMT(for: $0) }
    }
}
