import Foundation
import Testing

@testable import CloserTUI

#if canImport(Glibc)
import Glibc
#endif

@Suite("Times shown in the rep's zone")
struct DisplayTimeZoneTests {
    /// `.system` reads the zone from the C library; with `TZ` set it must agree with Foundation's
    /// rules for that zone at every hour of a year, across both daylight-saving changes, and in zones
    /// with half-hour offsets and half-hour shifts.
    @Test("the system zone follows TZ, daylight saving included", arguments: ["America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "Europe/London"])
    func systemZoneFollowsTZ(identifier: String) throws {
        let reference = try #require(TimeZone(identifier: identifier))
        let mismatches = withTZ(identifier) {
            stride(from: 1_767_225_600.0, to: 1_767_225_600.0 + 366 * 86_400, by: 3_600).compactMap { seconds -> String? in
                let date = Date(timeIntervalSince1970: seconds)
                let system = DisplayTimeZone.system.secondsFromGMT(for: date)
                return system == reference.secondsFromGMT(for: date) ? nil : "\(date): \(system)"
            }
        }
        #expect(mismatches.count == 0, "hours that differ from Foundation, the first: \(mismatches.prefix(3))")
    }

    @Test("the clock jumps with daylight saving: 01:59 EST, then 03:00 EDT")
    func clockAcrossTheSpringChange() throws {
        let newYork = DisplayTimeZone(try #require(TimeZone(identifier: "America/New_York")))
        // 2026-03-08 06:59 UTC is 01:59 EST; a minute later it is 03:00 EDT.
        let before = Date(timeIntervalSince1970: 1_772_953_140)
        #expect(Formatting.clock(before, timeZone: newYork) == "01:59")
        #expect(Formatting.clock(before + 60, timeZone: newYork) == "03:00")
        #expect(Update.minuteOfDay(before + 60, timeZone: newYork) == 180)
        #expect(Formatting.clock(before, timeZone: .utc) == "06:59")
    }

    private func withTZ<T>(_ identifier: String, _ body: () -> T) -> T {
        Self.tzLock.lock()
        defer { Self.tzLock.unlock() }
        let saved = getenv("TZ").map { String(cString: $0) }
        setenv("TZ", identifier, 1)
        tzset()
        defer {
            if let saved { setenv("TZ", saved, 1) } else { unsetenv("TZ") }
            tzset()
        }
        return body()
    }

    /// The arguments run in parallel; `TZ` is one per process.
    private static let tzLock = NSLock()
}
