import Foundation

/// The RFC 5322 `Date` header format, e.g. `Tue, 24 Nov 2026 14:02:00 +0000`.
///
/// Always in GMT with English names from a fixed calendar, so the header never depends on the
/// server's locale or time zone.
enum MailDate {
    /// The header value for `date`.
    static func string(from date: Date) -> String {
        date.formatted(style)
    }

    private static let style = Date.VerbatimFormatStyle(
        format: """
            \(weekday: .abbreviated), \(day: .twoDigits) \(month: .abbreviated) \(year: .extended(minimumLength: 4)) \
            \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits):\(second: .twoDigits) +0000
            """,
        locale: Locale(identifier: "en_US_POSIX"),
        timeZone: .gmt,
        calendar: Calendar(identifier: .gregorian)
    )
}
