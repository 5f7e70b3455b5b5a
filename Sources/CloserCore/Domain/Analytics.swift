import Foundation

/// Daily series for the dashboard chart, oldest day first.
public struct Analytics: Codable, Sendable, Hashable {
    /// One UTC day of activity.
    public struct Day: Codable, Sendable, Hashable {
        /// The day as `YYYY-MM-DD` (UTC).
        public var date: String
        public var sent: Int
        public var delivered: Int
        public var opened: Int
        public var clicked: Int
        public var replied: Int
        public var converted: Int
        public init(date: String, sent: Int = 0, delivered: Int = 0, opened: Int = 0, clicked: Int = 0, replied: Int = 0, converted: Int = 0) {
            self.date = date
            self.sent = sent
            self.delivered = delivered
            self.opened = opened
            self.clicked = clicked
            self.replied = replied
            self.converted = converted
        }
    }

    /// Totals over every day of `data`.
    public struct Summary: Codable, Sendable, Hashable {
        public var days: Int
        public var sent: Int
        public var delivered: Int
        public var opened: Int
        public var clicked: Int
        public var replied: Int
        public var converted: Int
        public init(days: [Day]) {
            self.days = days.count
            sent = days.reduce(0) { $0 + $1.sent }
            delivered = days.reduce(0) { $0 + $1.delivered }
            opened = days.reduce(0) { $0 + $1.opened }
            clicked = days.reduce(0) { $0 + $1.clicked }
            replied = days.reduce(0) { $0 + $1.replied }
            converted = days.reduce(0) { $0 + $1.converted }
        }
    }

    public var data: [Day]
    public var summary: Summary

    public init(data: [Day]) {
        self.data = data
        self.summary = Summary(days: data)
    }
}
