import Foundation

/// The names of the events the server pushes, as in the original system, plus `leads_updated` and
/// `resync` (see docs/ARCHITECTURE.md, "Real-time").
public enum ServerEventName: String, WireEnum {
    case messagesUpdated = "messages_updated"
    case statsUpdated = "stats_updated"
    case analyticsUpdated = "analytics_updated"
    case activityUpdated = "activity_updated"
    case draftsUpdated = "drafts_updated"
    case leadsUpdated = "leads_updated"
    case notification
    /// The event log no longer reaches back to the client's offset: reload over REST.
    case resync
}

/// Whether a record was created or changed.
public enum ChangeAction: String, WireEnum {
    case insert = "INSERT"
    case update = "UPDATE"
}

/// Whether a draft was saved or removed.
public enum DraftAction: String, WireEnum {
    case upsert = "UPSERT"
    case delete = "DELETE"
}

/// `messages_updated`: a new message, or a change to one (status, read, opened, clicked).
public struct MessagesUpdated: Codable, Sendable, Hashable {
    public var action: ChangeAction
    public var message: Message
    public init(action: ChangeAction, message: Message) {
        self.action = action
        self.message = message
    }
}

/// `leads_updated`: a lead was created (an unknown sender wrote in) or changed (status, value).
public struct LeadsUpdated: Codable, Sendable, Hashable {
    public var action: ChangeAction
    public var lead: Lead
    public init(action: ChangeAction, lead: Lead) {
        self.action = action
        self.lead = lead
    }
}

/// `stats_updated`: every KPI, freshly computed.
public struct StatsUpdated: Codable, Sendable, Hashable {
    public var stats: DashboardStats
    public var timestamp: Date
    public init(stats: DashboardStats, timestamp: Date) {
        self.stats = stats
        self.timestamp = timestamp
    }
}

/// `activity_updated`: one new entry of the activity stream; `event` repeats its kind.
public struct ActivityUpdated: Codable, Sendable, Hashable {
    public var event: ActivityKind
    public var data: Activity
    public init(activity: Activity) {
        self.event = activity.kind
        self.data = activity
    }
}

/// `drafts_updated`: the same rep saved or removed a draft, maybe on another device.
public struct DraftsUpdated: Codable, Sendable, Hashable {
    public var action: DraftAction
    public var leadId: String
    /// The draft as saved; for `DELETE`, the draft as it was when removed, if there was one.
    public var draft: Draft?
    public init(action: DraftAction, leadId: String, draft: Draft?) {
        self.action = action
        self.leadId = leadId
        self.draft = draft
    }
}

/// `resync`: sent instead of a replay when the log no longer holds the events after `offset`.
public struct ResyncRequired: Codable, Sendable, Hashable {
    /// The offset the client asked to resume after.
    public var requestedOffset: Int
    /// The newest offset the server has; the client resumes from here after its REST reload.
    public var currentOffset: Int
    public init(requestedOffset: Int, currentOffset: Int) {
        self.requestedOffset = requestedOffset
        self.currentOffset = currentOffset
    }
}

/// One server-to-client event with its typed payload.
public enum ServerEvent: Sendable, Hashable {
    case messagesUpdated(MessagesUpdated)
    case statsUpdated(StatsUpdated)
    case analyticsUpdated(Analytics)
    case activityUpdated(ActivityUpdated)
    case draftsUpdated(DraftsUpdated)
    case leadsUpdated(LeadsUpdated)
    case notification(ServerNotification)
    case resync(ResyncRequired)

    /// The event's name on the wire.
    public var name: ServerEventName {
        switch self {
        case .messagesUpdated: .messagesUpdated
        case .statsUpdated: .statsUpdated
        case .analyticsUpdated: .analyticsUpdated
        case .activityUpdated: .activityUpdated
        case .draftsUpdated: .draftsUpdated
        case .leadsUpdated: .leadsUpdated
        case .notification: .notification
        case .resync: .resync
        }
    }

    /// The payload as a JSON object, without the offset. The two events every send and every
    /// draft save log write themselves (`JSONWritable`); the rest go through the encoder.
    public func payload() throws -> JSONValue {
        switch self {
        case .messagesUpdated(let value): try value.jsonValue()
        case .statsUpdated(let value): try JSONValue(encoding: value, using: CloserJSON.encoder())
        case .analyticsUpdated(let value): try JSONValue(encoding: value, using: CloserJSON.encoder())
        case .activityUpdated(let value): try JSONValue(encoding: value, using: CloserJSON.encoder())
        case .draftsUpdated(let value): try value.jsonValue()
        case .leadsUpdated(let value): try JSONValue(encoding: value, using: CloserJSON.encoder())
        case .notification(let value): try JSONValue(encoding: value, using: CloserJSON.encoder())
        case .resync(let value): try JSONValue(encoding: value, using: CloserJSON.encoder())
        }
    }

    /// Rebuilds a typed event from its name and payload, as read from the log or the socket.
    public init(name: ServerEventName, payload: JSONValue) throws {
        switch name {
        case .messagesUpdated: self = .messagesUpdated(try payload.decode(MessagesUpdated.self, using: CloserJSON.decoder()))
        case .statsUpdated: self = .statsUpdated(try payload.decode(StatsUpdated.self, using: CloserJSON.decoder()))
        case .analyticsUpdated: self = .analyticsUpdated(try payload.decode(Analytics.self, using: CloserJSON.decoder()))
        case .activityUpdated: self = .activityUpdated(try payload.decode(ActivityUpdated.self, using: CloserJSON.decoder()))
        case .draftsUpdated: self = .draftsUpdated(try payload.decode(DraftsUpdated.self, using: CloserJSON.decoder()))
        case .leadsUpdated: self = .leadsUpdated(try payload.decode(LeadsUpdated.self, using: CloserJSON.decoder()))
        case .notification: self = .notification(try payload.decode(ServerNotification.self, using: CloserJSON.decoder()))
        case .resync: self = .resync(try payload.decode(ResyncRequired.self, using: CloserJSON.decoder()))
        }
    }
}

/// An event as stored in the per-user log: the payload carries its `offset` on the wire.
public struct LoggedEvent: Codable, Sendable, Hashable {
    public var offset: Int
    public var name: ServerEventName
    public var payload: JSONValue
    public var at: Date

    public init(offset: Int, name: ServerEventName, payload: JSONValue, at: Date) {
        self.offset = offset
        self.name = name
        self.payload = payload
        self.at = at
    }

    /// The payload with `offset` merged in, as sent to Socket.IO clients.
    public var wirePayload: JSONValue {
        guard case .object(var fields) = payload else { return payload }
        fields["offset"] = .number(Double(offset))
        return .object(fields)
    }

    /// The typed event.
    public func decoded() throws -> ServerEvent {
        try ServerEvent(name: name, payload: payload)
    }
}
