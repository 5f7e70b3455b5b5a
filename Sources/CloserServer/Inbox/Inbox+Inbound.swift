import CloserCore
import Foundation
import SQLKit

extension Inbox {
    /// Stores a message a lead sent (from the inbound webhook or the demo's simulator), once per
    /// provider id: it finds the lead by address, handle or phone (or creates one), and tells the
    /// rep with the same events a live reply causes anywhere else.
    func receive(_ request: InboundMessageRequest) async throws -> (Message, created: Bool) {
        let contact: LeadContact = switch request.channel {
        case .email: .email(try InputValidation.email(request.from, field: "from"))
        case .instagram: .instagram(try InputValidation.instagram(request.from, field: "from"))
        case .sms, .whatsapp: .phone(try InputValidation.phone(request.from, field: "from"))
        }
        let body = try InputValidation.body(request.body)
        let subject = request.channel.hasSubject ? try InputValidation.subject(request.subject) : nil
        let externalId = try InputValidation.externalId(request.externalId)
        let name = try request.name.map { try InputValidation.name($0) }
        let recipient = try request.to.map { try InputValidation.email($0, field: "to") }
        let receivedAt = request.receivedAt ?? Date()

        if let existing = try await database.read({ db in try await MessageStore(db: db).find(channel: request.channel, externalId: externalId) }) {
            return (existing.message, false)
        }
        let userId = try await rep(for: contact, recipient: recipient)
        do {
            return try await committer.commit(userId: userId) { db, events -> (Message, Bool) in
                let leads = LeadStore(db: db)
                let now = Date()
                var lead: Lead
                var isNewLead = false
                if let found = try await leads.find(userId: userId, contact: contact) {
                    lead = found
                } else {
                    lead = Lead(
                        id: UUID().uuidString.lowercased(), name: name ?? contact.value,
                        email: request.channel == .email ? contact.value : nil,
                        instagram: request.channel == .instagram ? contact.value : nil,
                        phone: request.channel == .sms || request.channel == .whatsapp ? contact.value : nil,
                        status: .new, valueCents: 0, createdAt: Date(millis: now.millis)
                    )
                    try await leads.insert(lead, userId: userId)
                    isNewLead = true
                    let created = try await ActivityStore(db: db).append(
                        userId: userId, kind: .leadCreated, lead: lead, actor: lead.name, summary: "\(lead.name) wrote in for the first time", at: now
                    )
                    events.append(.leadsUpdated(LeadsUpdated(action: .insert, lead: lead)))
                    events.append(.activityUpdated(ActivityUpdated(activity: created)))
                }
                let message = Message(
                    id: UUID().uuidString.lowercased(), leadId: lead.id, body: body, subject: subject, channel: request.channel,
                    direction: .inbound, status: .delivered, isRead: false, createdAt: Date(millis: receivedAt.millis)
                )
                try await MessageStore(db: db).insert(message, userId: userId, externalId: externalId)
                events.append(.messagesUpdated(MessagesUpdated(action: .insert, message: message)))

                try await leads.touchActivity(id: lead.id, at: receivedAt)
                let oldStatus = lead.status
                // A reply is forward progress only from the first two steps; a qualified or won
                // lead writing again stays where the rep put it, and a stranger's first message
                // makes a lead that is new.
                if !isNewLead, let rank = lead.status.pipelineRank, let replied = LeadStatus.replied.pipelineRank, rank < replied {
                    lead.status = .replied
                    try await leads.update(id: lead.id, userId: userId, status: .replied, valueCents: lead.valueCents, at: now)
                }
                lead = try await leads.find(id: lead.id, userId: userId) ?? lead
                events.append(.leadsUpdated(LeadsUpdated(action: .update, lead: lead)))
                if lead.status != oldStatus {
                    events += try await statusChanged(lead: lead, from: oldStatus, actor: lead.name, userId: userId, db: db, at: now)
                }
                let what = subject.map { "“\($0)”" } ?? "a \(request.channel.rawValue) message"
                let activity = try await ActivityStore(db: db).append(
                    userId: userId, kind: .messageReceived, lead: lead, actor: lead.name,
                    summary: "\(lead.name) sent \(what)", data: ["messageId": .string(message.id)], at: now
                )
                events.append(.activityUpdated(ActivityUpdated(activity: activity)))
                let preview = body.count > 80 ? body.prefix(79) + "…" : Substring(body)
                events.append(.notification(ServerNotification(
                    kind: .messageReceived, leadId: lead.id, leadName: lead.name, messageId: message.id,
                    text: "\(lead.name): \(preview)", at: now
                )))
                return (message, true)
            }
        } catch where Database.isUniqueViolation(error) {
            // The same externalId arrived twice at once: the other request stored it.
            guard let existing = try await database.read({ db in try await MessageStore(db: db).find(channel: request.channel, externalId: externalId) })
            else { throw error }
            return (existing.message, false)
        }
    }

    /// Whose inbox an inbound message goes to: the rep it was addressed to; else the one rep who
    /// has this sender as a lead (the most recently active, if several do); else the only rep.
    private func rep(for contact: LeadContact, recipient: String?) async throws -> String {
        try await database.read { db in
            let users = UserStore(db: db)
            if let recipient {
                guard let user = try await users.find(email: recipient) else { throw APIError.unprocessable("to", "no rep has the address \(recipient)") }
                return user.id
            }
            if let owner = try await LeadStore(db: db).mostRecentOwner(contact: contact) { return owner }
            let all = try await users.all()
            guard all.count == 1, let only = all.first else {
                throw APIError.unprocessable("to", "is required: the sender is not a lead yet and the server has \(all.count) reps")
            }
            return only.id
        }
    }
}
