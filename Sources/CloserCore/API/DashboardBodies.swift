/// `GET /api/dashboard/activity` answer: newest first.
public struct ActivityPage: Codable, Sendable, Hashable {
    public var activities: [Activity]
    /// Pass as `cursor` to get older entries; absent on the last page.
    public var nextCursor: String?
    public init(activities: [Activity], nextCursor: String?) {
        self.activities = activities
        self.nextCursor = nextCursor
    }
}

/// `GET /api/events?after=OFFSET` answer: the same replay a reconnecting socket gets.
public struct EventsPage: Codable, Sendable, Hashable {
    public var events: [LoggedEvent]
    /// True when the log no longer reaches back to `after`: reload over REST instead.
    public var resync: Bool
    /// The newest offset the server holds for this rep.
    public var currentOffset: Int
    /// Whether more events follow; ask again with `after` = the last offset returned.
    public var hasMore: Bool
    public init(events: [LoggedEvent], resync: Bool, currentOffset: Int, hasMore: Bool) {
        self.events = events
        self.resync = resync
        self.currentOffset = currentOffset
        self.hasMore = hasMore
    }
}
