import CloserCore
import Foundation
import SQLKit

/// Everything a rep can change, with the events each change causes. Routes validate and call in;
/// the webhook and tracking handlers use the same methods, so every path emits the same events.
struct Inbox: Sendable {
    let database: Database
    let committer: ChangeCommitter
    let delivery: MessageDelivery
    /// Whether outbound email gets a pixel and tracked links (`--tracking`).
    var trackingEnabled = true

    // MARK: Leads

    func createLead(_ request: CreateLeadRequest, user: AuthenticatedUser) async throws -> Lead {
        let now = Date()
        let lead = Lead(
            id: UUID().uuidString.lowercased(),
            name: try InputValidation.name(request.name),
            email: try request.email.map { try InputValidation.email($0) },
            instagram: try request.instagram.map { try InputValidation.instagram($0) },
            phone: try request.phone.map { try InputValidation.phone($0) },
            status: request.status ?? .new,
            valueCents: try InputValidation.valueCents(request.valueCents ?? 0),
            createdAt: Date(millis: now.millis)
        )
        try await committer.commit(userId: user.id) { db, events in
            try await LeadStore(db: db).insert(lead, userId: user.id)
            let activity = try await ActivityStore(db: db).append(
                userId: user.id, kind: .leadCreated, lead: lead, actor: user.name, summary: "\(user.name) added \(lead.name)", at: now
            )
            events.append(.leadsUpdated(LeadsUpdated(action: .insert, lead: lead)))
            events.append(.activityUpdated(ActivityUpdated(activity: activity)))
        }
        return lead
    }

    /// Changes status and/or value. A change to `meeting_booked` or `converted` also notifies.
    func updateLead(id: String, _ request: UpdateLeadRequest, user: AuthenticatedUser) async throws -> Lead {
        let valueCents = try request.valueCents.map { try InputValidation.valueCents($0) }
        return try await committer.commit(userId: user.id) { db, events in
            let leads = LeadStore(db: db)
            guard var lead = try await leads.find(id: id, userId: user.id) else { throw APIError.notFound("lead") }
            let before = lead
            lead.status = request.status ?? lead.status
            lead.valueCents = valueCents ?? lead.valueCents
            guard lead.status != before.status || lead.valueCents != before.valueCents else { return lead }
            let now = Date()
            lead.updatedAt = Date(millis: now.millis)
            try await leads.update(id: id, userId: user.id, status: lead.status, valueCents: lead.valueCents, at: now)
            events.append(.leadsUpdated(LeadsUpdated(action: .update, lead: lead)))
            if lead.status != before.status {
                events += try await statusChanged(lead: lead, from: before.status, actor: user.name, userId: user.id, db: db, at: now)
            }
            if lead.valueCents != before.valueCents {
                let activity = try await ActivityStore(db: db).append(
                    userId: user.id, kind: .valueChanged, lead: lead, actor: user.name,
                    summary: "\(user.name) set \(lead.name)'s value to \(MoneyFormat.dollars(cents: lead.valueCents))",
                    data: ["from": .number(Double(before.valueCents)), "to": .number(Double(lead.valueCents))], at: now
                )
                events.append(.activityUpdated(ActivityUpdated(activity: activity)))
            }
            return lead
        }
    }

    /// The activity and notification of a status change, shared by the REST patch and inbound replies.
    func statusChanged(lead: Lead, from old: LeadStatus, actor: String, userId: String, db: StoreDatabase, at now: Date) async throws -> [ServerEvent] {
        var events: [ServerEvent] = []
        let activity = try await ActivityStore(db: db).append(
            userId: userId, kind: .statusChanged, lead: lead, actor: actor,
            summary: "\(lead.name) moved from \(old.rawValue) to \(lead.status.rawValue)", tag: lead.status.rawValue,
            data: ["from": .string(old.rawValue), "to": .string(lead.status.rawValue)], at: now
        )
        events.append(.activityUpdated(ActivityUpdated(activity: activity)))
        let kind: NotificationKind? = switch lead.status {
        case .meetingBooked: .meetingBooked
        case .converted: .leadConverted
        default: nil
        }
        if let kind {
            let text = kind == .meetingBooked ? "Meeting booked with \(lead.name)" : "\(lead.name) converted"
            events.append(.notification(ServerNotification(kind: kind, leadId: lead.id, leadName: lead.name, text: text, at: now)))
        }
        return events
    }

    // MARK: Messages

    /// Stores an outbound message once per `clientId` and hands it to its channel. Returns the
    /// message and whether this call created it (false: a repeat of an earlier send).
    func send(_ request: SendMessageRequest, leadId: String, user: AuthenticatedUser) async throws -> (Message, created: Bool) {
        let body = try InputValidation.body(request.body)
        let clientId = try InputValidation.clientId(request.clientId)
        let subject = request.channel.hasSubject ? try InputValidation.subject(request.subject) : nil
        if request.channel.hasSubject && subject == nil {
            throw APIError.invalid("subject", "is required for email")
        }
        let now = Date()
        let outcome: (Message, Bool)
        do {
            outcome = try await insertOutbound(body: body, subject: subject, channel: request.channel, clientId: clientId, leadId: leadId, user: user, now: now)
        } catch where Database.isUniqueViolation(error) {
            // A concurrent send with the same clientId committed first: answer with its message.
            guard let existing = try await database.read({ db in try await MessageStore(db: db).find(clientId: clientId, userId: user.id) }),
                  existing.leadId == leadId
            else { throw APIError.conflict(code: "client_id_reused", message: "clientId: already used for a message to another lead") }
            return (existing, false)
        }
        let (message, created) = outcome
        guard created else { return (message, false) }
        await delivery.deliverSoon(messageId: message.id)
        let settled = try await database.read { db in try await MessageStore(db: db).find(id: message.id, userId: user.id) }
        return (settled ?? message, true)
    }

    private func insertOutbound(body: String, subject: String?, channel: Channel, clientId: String, leadId: String,
                                user: AuthenticatedUser, now: Date) async throws -> (Message, Bool) {
        let request = (channel: channel, clientId: clientId)
        return try await committer.commit(userId: user.id) { db, events -> (Message, Bool) in
            let messages = MessageStore(db: db)
            let leads = LeadStore(db: db)
            guard var lead = try await leads.find(id: leadId, userId: user.id) else { throw APIError.notFound("lead") }
            if let existing = try await messages.find(clientId: clientId, userId: user.id) {
                guard existing.leadId == leadId else {
                    throw APIError.conflict(code: "client_id_reused", message: "clientId: already used for a message to another lead")
                }
                return (existing, false)
            }
            guard lead.channels.contains(request.channel) else {
                throw APIError.unprocessable("channel", "\(lead.name) has no \(request.channel.rawValue) contact on file")
            }
            let message = Message(
                id: UUID().uuidString.lowercased(), leadId: leadId, body: body, subject: subject, channel: request.channel,
                direction: .outbound, status: .queued,
                trackingId: request.channel == .email ? SecureToken.randomHex(bytes: 16) : nil,
                isRead: true, clientId: clientId, createdAt: Date(millis: now.millis)
            )
            try await messages.insert(message, userId: user.id, nextAttemptAt: now)
            if trackingEnabled && request.channel == .email {
                // One unguessable token per distinct link, stored before the email exists, so a
                // retried delivery rewrites the same links the same way.
                let tracking = TrackingStore(db: db)
                for url in LinkScan.scan(body).urls {
                    try await tracking.insertLink(TrackingStore.Link(
                        id: UUID().uuidString.lowercased(), messageId: message.id, token: SecureToken.random(bytes: 16), url: url))
                }
            }
            events.append(.messagesUpdated(MessagesUpdated(action: .insert, message: message)))

            let drafts = DraftStore(db: db)
            if let draft = try await drafts.find(leadId: leadId, userId: user.id) {
                try await drafts.delete(leadId: leadId, userId: user.id)
                events.append(.draftsUpdated(DraftsUpdated(action: .delete, leadId: leadId, draft: draft)))
            }

            try await leads.touchActivity(id: leadId, at: now)
            let oldStatus = lead.status
            if lead.status == .new {
                lead.status = .contacted
                try await leads.update(id: leadId, userId: user.id, status: .contacted, valueCents: lead.valueCents, at: now)
            }
            lead.lastActivityAt = message.createdAt
            lead.lastMessage = message
            events.append(.leadsUpdated(LeadsUpdated(action: .update, lead: lead)))
            if lead.status != oldStatus {
                events += try await statusChanged(lead: lead, from: oldStatus, actor: user.name, userId: user.id, db: db, at: now)
            }
            let what = message.subject.map { "“\($0)”" } ?? "a \(message.channel.rawValue) message"
            let activity = try await ActivityStore(db: db).append(
                userId: user.id, kind: .messageSent, lead: lead, actor: user.name,
                summary: "\(user.name) sent \(what) to \(lead.name)", data: ["messageId": .string(message.id)], at: now
            )
            events.append(.activityUpdated(ActivityUpdated(activity: activity)))
            return (message, true)
        }
    }

    func markRead(leadId: String, user: AuthenticatedUser) async throws -> Int {
        try await committer.commit(userId: user.id) { db, events in
            guard var lead = try await LeadStore(db: db).find(id: leadId, userId: user.id) else { throw APIError.notFound("lead") }
            let read = try await MessageStore(db: db).markRead(leadId: leadId, userId: user.id)
            guard !read.isEmpty else { return 0 }
            for message in read {
                events.append(.messagesUpdated(MessagesUpdated(action: .update, message: message)))
            }
            lead.unreadCount = 0
            if let last = lead.lastMessage, read.contains(where: { $0.id == last.id }) { lead.lastMessage?.isRead = true }
            events.append(.leadsUpdated(LeadsUpdated(action: .update, lead: lead)))
            return read.count
        }
    }

    // MARK: Drafts

    /// Saves the rep's draft. With `baseVersion` older than the stored version the save is refused
    /// with 409 and the stored draft, so the client can keep both texts.
    func saveDraft(_ request: SaveDraftRequest, leadId: String, user: AuthenticatedUser) async throws -> Draft {
        let content = try InputValidation.draftContent(request.content)
        let subject = try InputValidation.subject(request.subject)
        if let base = request.baseVersion, base < 0 { throw APIError.invalid("baseVersion", "must not be negative") }
        let now = Date()
        let savedAt = request.savedAt ?? now
        let result: DraftStore.SaveResult
        switch database.dialect {
        case .postgres:
            // The busiest write: one statement saves, logs and notifies (see `DraftStore.saveLogged`).
            result = try await committer.commitLogged(userId: user.id) { db in
                let unversioned = Draft(
                    leadId: leadId, content: content, subject: subject, channel: request.channel, version: 0,
                    savedAt: Date(millis: savedAt.millis), updatedAt: Date(millis: now.millis)
                )
                let (result, offset) = try await DraftStore(db: db).saveLogged(
                    leadId: leadId, userId: user.id, content: content, subject: subject, channel: request.channel,
                    baseVersion: request.baseVersion, savedAt: savedAt, at: now,
                    eventPayload: try ServerEvent.draftsUpdated(DraftsUpdated(action: .upsert, leadId: leadId, draft: unversioned)).payload()
                )
                guard case .saved(let draft) = result, let offset else { return (result, []) }
                let event = ServerEvent.draftsUpdated(DraftsUpdated(action: .upsert, leadId: leadId, draft: draft))
                return (result, [LoggedEvent(offset: offset, name: event.name, payload: try event.payload(), at: Date(millis: now.millis))])
            }
        case .sqlite:
            result = try await committer.commit(userId: user.id) { db, events in
                let result = try await DraftStore(db: db).save(
                    leadId: leadId, userId: user.id, content: content, subject: subject, channel: request.channel,
                    baseVersion: request.baseVersion, savedAt: savedAt, at: now
                )
                if case .saved(let draft) = result {
                    events.append(.draftsUpdated(DraftsUpdated(action: .upsert, leadId: leadId, draft: draft)))
                }
                return result
            }
        }
        switch result {
        case .saved(let draft):
            return draft
        case .noLead:
            throw APIError.notFound("lead")
        case .conflict(let current):
            var error = APIError.conflict(
                code: "draft_conflict",
                message: "the draft changed on another device (version \(current.version), yours was based on \(request.baseVersion ?? 0))"
            )
            error.customBody = DraftConflictBody(error: error.detail, draft: current)
            throw error
        }
    }

    func deleteDraft(leadId: String, user: AuthenticatedUser) async throws {
        try await committer.commit(userId: user.id) { db, events in
            guard try await LeadStore(db: db).exists(id: leadId, userId: user.id) else { throw APIError.notFound("lead") }
            let drafts = DraftStore(db: db)
            guard let draft = try await drafts.find(leadId: leadId, userId: user.id) else { return }
            try await drafts.delete(leadId: leadId, userId: user.id)
            events.append(.draftsUpdated(DraftsUpdated(action: .delete, leadId: leadId, draft: draft)))
        }
    }
}
