import CloserCore

/// The loaded part of one lead's thread.
public struct ThreadState: Sendable, Equatable {
    /// Oldest first.
    public var messages: [Message] = []
    /// Whether older messages exist on the server.
    public var hasMore = false
    /// A page request is in flight.
    public var loading = false
    /// Whether the newest page has arrived at least once.
    public var loaded = false

    public init(messages: [Message] = [], hasMore: Bool = false, loaded: Bool = false) {
        self.messages = messages
        self.hasMore = hasMore
        self.loaded = loaded
    }

    /// Inserts or replaces a message, keeping time order. An outbox message (`local:` id) is
    /// replaced by the server's copy with the same client id. Returns whether it was new.
    @discardableResult
    public mutating func upsert(_ message: Message) -> Bool {
        if let index = messages.firstIndex(where: { $0.id == message.id || (message.clientId != nil && $0.clientId == message.clientId) }) {
            messages[index] = message
            if index > 0, messages[index - 1].createdAt > message.createdAt || (index + 1 < messages.count && messages[index + 1].createdAt < message.createdAt) {
                messages.sort { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
            }
            return false
        }
        if let last = messages.last, (last.createdAt, last.id) > (message.createdAt, message.id) {
            let index = messages.firstIndex { ($0.createdAt, $0.id) > (message.createdAt, message.id) } ?? messages.count
            messages.insert(message, at: index)
        } else {
            messages.append(message)
        }
        return true
    }
}

/// Where the rep has scrolled the thread: rows above the newest line. 0 follows new messages.
public struct ThreadScroll: Sendable, Equatable {
    public var rowsFromBottom = 0
    /// Messages that arrived while the rep was scrolled up.
    public var unseenCount = 0

    public init() {}

    public var isFollowing: Bool { rowsFromBottom == 0 }
}

/// The rows a thread lays out to, for the thread and width it was measured at: in all, and
/// before each message, so a thread scrolled far up is drawn from where the view starts.
public struct ThreadRowCount: Sendable, Equatable {
    struct Key: Sendable, Equatable {
        let leadId: String
        let width: Int
        let count: Int
        let firstId: String?
        let lastId: String?
    }

    let key: Key
    /// `rowsBefore[i]`: the rows of messages `0..<i`; one more entry than messages.
    let rowsBefore: [Int]

    var rows: Int { rowsBefore.last ?? 0 }

    /// The message whose rows include row `row` (0 = the oldest message's first row).
    func message(containing row: Int) -> Int {
        var low = 0
        var high = rowsBefore.count - 1
        while low + 1 < high {
            let middle = (low + high) / 2
            if rowsBefore[middle] <= row { low = middle } else { high = middle }
        }
        return low
    }
}
