@testable import CloserCore
import Foundation
import Testing

@Suite("ISO 8601 dates")
struct ISO8601Tests {
    @Test("formats whole milliseconds exactly, across eras and leap years, and parses back to the same instant")
    func formatsAndRoundTrips() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        var generator = SystemRandomNumberGenerator()
        let fixed: [Int64] = [0, 951_782_400_000, 1_795_528_920_123, -86_400_500, 4_102_444_800_000, 1_582_934_400_999, -1]
        let random = (0..<2000).map { _ in Int64.random(in: -2_000_000_000_000...4_000_000_000_000, using: &generator) }
        for millis in fixed + random {
            let date = Date(timeIntervalSince1970: Double(millis) / 1000)
            // The oracle: the calendar's fields for the whole second, and the millisecond from the integer.
            let wholeSecond = Date(timeIntervalSince1970: Double(millis.floorDivided(by: 1000)))
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: wholeSecond)
            let expected = String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!,
                                  Int(millis - millis.floorDivided(by: 1000) * 1000))
            #expect(ISO8601.format(date) == expected, "\(millis)")
            let parsed = ISO8601.parse(ISO8601.format(date))
            #expect(parsed.map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) } == millis, "\(millis)")
        }
    }

    @Test("parses whole seconds, fractions and offsets; refuses malformed text")
    func parsing() {
        #expect(ISO8601.parse("2026-11-24T14:02:00Z") == Date(timeIntervalSince1970: 1_795_528_920))
        #expect(ISO8601.parse("2026-11-24T16:02:00+02:00") == Date(timeIntervalSince1970: 1_795_528_920))
        #expect(ISO8601.parse("2026-11-24T14:02:00.5Z") == Date(timeIntervalSince1970: 1_795_528_920.5))
        for bad in ["", "2026-11-24", "2026-13-24T14:02:00Z", "2026-11-24T14:02:00", "2026-11-24T14:02:00.Z", "2026-11-24T14:02:00Zjunk",
                    "2026-11-24 14:02:00Z", "2026-11-24T25:02:00Z", "abcd-11-24T14:02:00Z"] {
            #expect(ISO8601.parse(bad) == nil, "\(bad)")
        }
    }
}

private extension Int64 {
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor < 0) ? quotient - 1 : quotient
    }
}
