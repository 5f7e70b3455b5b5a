import CloserCore
import Foundation

/// How times, money and rates read in the UI. Pure functions of their inputs (time zone included),
/// so golden frames are stable; plain arithmetic on the local day number, because these run for
/// every visible row of every frame.
enum Formatting {
    /// "now", "2m", "3h", "Yesterday", "Mon", "23 Nov", "23 Nov 25".
    static func relative(_ date: Date, now: Date, timeZone: DisplayTimeZone) -> String {
        let seconds = now.timeIntervalSince(date)
        if seconds < 60 { return "now" }
        if seconds < 3600 { return "\(Int(seconds / 60))m" }
        let day = LocalDay(date, timeZone: timeZone)
        let today = LocalDay(now, timeZone: timeZone)
        let days = today.number - day.number
        if days == 0 { return "\(Int(seconds / 3600))h" }
        if days == 1 { return "Yesterday" }
        if days < 7 { return weekdayNames[day.weekday] }
        let base = "\(day.day) \(monthNames[day.month - 1])"
        return day.year == today.year ? base : base + " \(day.year % 100)"
    }

    /// The thread's date separator: "Today", "Yesterday", "Mon 23 Nov" (with the year when not this year).
    static func daySeparator(_ date: Date, now: Date, timeZone: DisplayTimeZone) -> String {
        let day = LocalDay(date, timeZone: timeZone)
        let today = LocalDay(now, timeZone: timeZone)
        let days = today.number - day.number
        if days == 0 { return "Today" }
        if days == 1 { return "Yesterday" }
        var text = "\(weekdayNames[day.weekday]) \(day.day) \(monthNames[day.month - 1])"
        if day.year != today.year { text += " \(day.year)" }
        return text
    }

    static func sameDay(_ a: Date, _ b: Date, timeZone: DisplayTimeZone) -> Bool {
        LocalDay.number(a, timeZone: timeZone) == LocalDay.number(b, timeZone: timeZone)
    }

    /// "14:02".
    static func clock(_ date: Date, timeZone: DisplayTimeZone) -> String {
        let secondOfDay = secondOfDay(date, timeZone: timeZone)
        let hour = secondOfDay / 3600
        let minute = secondOfDay % 3600 / 60
        return (hour < 10 ? "0" : "") + String(hour) + ":" + (minute < 10 ? "0" : "") + String(minute)
    }

    /// Seconds since local midnight (0–86,399).
    static func secondOfDay(_ date: Date, timeZone: DisplayTimeZone) -> Int {
        let local = Int64(timeZone.wallClockSeconds(date).rounded(.down))
        return Int(((local % 86_400) + 86_400) % 86_400)
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
        let text = fraction == 0 ? grouped : grouped + "." + (fraction < 10 ? "0" : "") + String(fraction)
        return (negative ? "-" : "") + symbol + text
    }

    /// "66.7%".
    static func percent(_ ratio: Double) -> String {
        let tenths = Int((ratio * 1000).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))%"
    }

    /// "45s", "12m", "1h 23m", "2d 4h".
    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        if total < 60 { return "\(total)s" }
        if total < 3600 { return "\(total / 60)m" }
        if total < 86_400 { return "\(total / 3600)h \(total % 3600 / 60)m" }
        return "\(total / 86_400)d \(total % 86_400 / 3600)h"
    }

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    static let weekdayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
}

/// A calendar day in a time zone, from the day number since 1970-01-01 (proleptic Gregorian).
struct LocalDay {
    let number: Int64
    let year: Int
    let month: Int
    let day: Int
    /// 0 = Sunday.
    let weekday: Int

    init(_ date: Date, timeZone: DisplayTimeZone) {
        number = Self.number(date, timeZone: timeZone)
        // 1970-01-01 was a Thursday.
        weekday = Int(((number + 4) % 7 + 7) % 7)
        let civil = ISO8601.civil(fromDays: number)
        year = Int(civil.year)
        month = Int(civil.month)
        day = Int(civil.day)
    }

    static func number(_ date: Date, timeZone: DisplayTimeZone) -> Int64 {
        Int64((timeZone.wallClockSeconds(date) / 86_400).rounded(.down))
    }
}
