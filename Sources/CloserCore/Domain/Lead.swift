import Foundation

/// A prospect owned by one rep, with the contact handles the rep can reach them on.
///
/// The stored properties are declared widest first, the one-byte `status` last, where it fits in
/// the message's tail: a lead takes 272 bytes instead of 288, and a client holds 10,000 of them.
public struct Lead: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var name: String
    public var email: String?
    public var instagram: String?
    public var phone: String?
    /// Deal value in minor currency units (cents), so sums never drift.
    public var valueCents: Int
    public var createdAt: Date
    public var updatedAt: Date
    /// When the last message in either direction was written, or when the lead was created.
    public var lastActivityAt: Date
    /// Inbound messages the rep has not read yet.
    public var unreadCount: Int
    /// The newest message of the thread, in either direction.
    public var lastMessage: Message?
    public var status: LeadStatus

    public init(
        id: String,
        name: String,
        email: String? = nil,
        instagram: String? = nil,
        phone: String? = nil,
        status: LeadStatus = .new,
        valueCents: Int = 0,
        createdAt: Date,
        updatedAt: Date? = nil,
        lastActivityAt: Date? = nil,
        unreadCount: Int = 0,
        lastMessage: Message? = nil
    ) {
        self.id = id
        self.name = name
        self.email = email
        self.instagram = instagram
        self.phone = phone
        self.status = status
        self.valueCents = valueCents
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.lastActivityAt = lastActivityAt ?? createdAt
        self.unreadCount = unreadCount
        self.lastMessage = lastMessage
    }

    /// The channels this lead can be written to, derived from the handles on file.
    public var channels: [Channel] {
        var result: [Channel] = []
        if email?.isEmpty == false { result.append(.email) }
        if instagram?.isEmpty == false { result.append(.instagram) }
        if phone?.isEmpty == false { result.append(contentsOf: [.sms, .whatsapp]) }
        return result
    }
}
