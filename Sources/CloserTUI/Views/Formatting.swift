import Foundation

/// How times, money and rates read in the UI. Pure functions of their inputs (time zone included),
/// so golden frames are stable.
enum Formatting {
    /// "now", "2m", "3h", "Yesterday", "Mon", "23 Nov", "23 Nov 25".
    static func relative(_ date: Date, now: Date, timeZone: TimeZone) -> String {
        let seconds = now.timeIntervalSince(date)
        if seconds < 60 { return "now" }
        if seconds < 3600 { return "\(Int(seconds / 60))m" }
        let calendar = utcCalendar(timeZone)
        let days = calendar.dateComponents([.day], from: calendar.startOfDay(for: date), to: calendar.startOfDay(for: now)).day ?? 0
        if days == 0 { return "\(Int(seconds / 3600))h" }
        if days == 1 { return "Yesterday" }
        if days < 7 { return weekday(date, calendar: calendar) }
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        let nowYear = calendar.component(.year, from: now)
        let base = "\(parts.day!) \(monthNames[parts.month! - 1])"
        return parts.year == nowYear ? base : base + " \(parts.year! % 100)"
    }

    /// The thread's date separator: "Today", "Yesterday", "Mon 23 Nov" (with the year when not this year).
    static func daySeparator(_ date: Date, now: Date, timeZone: TimeZone) -> String {
        let calendar = utcCalendar(timeZone)
        let days = calendar.dateComponents([.day], from: calendar.startOfDay(for: date), to: calendar.startOfDay(for: now)).day ?? 0
        if days == 0 { return "Today" }
        if days == 1 { return "Yesterday" }
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        var text = "\(weekday(date, calendar: calendar)) \(parts.day!) \(monthNames[parts.month! - 1])"
        if parts.year != calendar.component(.year, from: now) { text += " \(parts.year!)" }
        return text
    }

    static func sameDay(_ a: Date, _ b: Date, timeZone: TimeZone) -> Bool {
        utcCalendar(timeZone).isDate(a, inSameDayAs: b)
    }

    /// "14:02".
    static func clock(_ date: Date, timeZone: TimeZone) -> String {
        let parts = utcCalendar(timeZone).dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d", parts.hour!, parts.minute!)
    }

    /// "$12,500" (whole dollars when there are no cents).
    static func money(cents: Int, currency: String = "USD") -> String {
        let symbol = currency == "USD" ? "$" : currency == "EUR" ? "€" : currency == "GBP" ? "£" : currency + " "
        let negative = cents < 0
        let absolute = abs(cents)
        var digits = String(absolute / 100)
        var grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits.removeLast(3)
        }
        grouped = digits + grouped
        let fraction = absolute % 100
        let text = fraction == 0 ? grouped : grouped + String(format: ".%02d", fraction)
        return (negative ? "-" : "") + symbol + text
    }

    /// "66.7%".
    static func percent(_ ratio: Double) -> String {
        String(format: "%.1f%%", ratio * 100)
    }

    /// "45s", "12m", "1h 23m", "2d 4h".
    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        if total < 60 { return "\(total)s" }
        if total < 3600 { return "\(total / 60)m" }
        if total < 86_400 { return "\(total / 3600)h \(total % 3600 / 60)m" }
        return "\(total / 86_400)d \(total % 86_400 / 3600)h"
    }

    private static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    private static let weekdayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]

    private static func weekday(_ date: Date, calendar: Calendar) -> String {
        weekdayNames[calendar.component(.weekday, from: date) - 1]
    }

    private static func utcCalendar(_ timeZone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }
}
