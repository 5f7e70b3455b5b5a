import CloserCore
import Foundation
import Testing

/// The hand-written JSON of the hot API answers is byte for byte what `CloserJSON.encoder()`
/// writes, so clients cannot tell which one produced an answer.
@Suite("JSONWriter")
struct JSONWriterTests {
    func encoded(_ value: some Encodable) throws -> String {
        String(decoding: try CloserJSON.encoder().encode(value), as: UTF8.self)
    }

    func written(_ value: some JSONWritable) -> String {
        String(decoding: value.jsonBytes(), as: UTF8.self)
    }

    /// Strings that need escaping, and ones that must not be escaped.
    static let awkward = [
        "", "plain", "quote \" backslash \\ slash / done", "tab\tnewline\nreturn\rbell\u{07}nul\u{00}esc\u{1B}[2J",
        "\u{7F} del, \u{2028} line separator, \u{202E} override", "日本語 · emoji 👩‍👩‍👧 · flag 🇫🇷 · é (e\u{301})",
        "https://closer.example/p/northwind?a=1&b=<2>",
    ]

    @Test("messages: every field, absent optionals, awkward text")
    func messages() throws {
        let at = Date(timeIntervalSince1970: 1_795_528_920.123)
        var all: [Message] = []
        for (index, text) in Self.awkward.enumerated() {
            all.append(Message(id: "m\(index)", leadId: "l1", body: text, subject: index.isMultiple(of: 2) ? text : nil,
                               channel: Channel.allCases[index % Channel.allCases.count], direction: index.isMultiple(of: 3) ? .inbound : .outbound,
                               status: MessageStatus.allCases[index % MessageStatus.allCases.count], failureReason: index == 3 ? text : nil,
                               trackingId: index == 1 ? "t-\(index)" : nil, openedAt: index == 1 ? at : nil, clickedAt: index == 5 ? at : nil,
                               isRead: index.isMultiple(of: 2), clientId: index == 4 ? "c-4" : nil, createdAt: at.addingTimeInterval(Double(index))))
        }
        for message in all {
            #expect(written(message) == (try encoded(message)))
        }
        let page = MessagePage(messages: all, hasMore: true)
        #expect(written(page) == (try encoded(page)))
        #expect(written(MessagePage(messages: [], hasMore: false)) == (try encoded(MessagePage(messages: [], hasMore: false))))
    }

    @Test("leads and lead pages, with and without a last message and a cursor, from the fixtures too")
    func leads() throws {
        let inbox = Fixtures.inbox()
        for lead in inbox.leads {
            #expect(written(lead) == (try encoded(lead)))
        }
        var stranger = Lead(id: "x", name: Self.awkward[3], createdAt: Date(timeIntervalSince1970: 0))
        stranger.valueCents = -42
        #expect(written(stranger) == (try encoded(stranger)))
        for page in [LeadPage(leads: inbox.leads, nextCursor: "abc/def"), LeadPage(leads: [], nextCursor: nil)] {
            #expect(written(page) == (try encoded(page)))
        }
        for message in inbox.threads.values.joined() {
            #expect(written(message) == (try encoded(message)))
        }
    }

    @Test("drafts and the events of sends and draft saves, as answers and as event payloads")
    func draftsAndEvents() throws {
        let at = Date(timeIntervalSince1970: 1_795_528_920.5)
        var drafts: [Draft] = []
        for (index, text) in Self.awkward.enumerated() {
            drafts.append(Draft(leadId: "l\(index)", content: text, subject: index.isMultiple(of: 2) ? nil : text,
                                channel: Channel.allCases[index % Channel.allCases.count], version: index * 1_000_003,
                                savedAt: at.addingTimeInterval(Double(index)), updatedAt: at))
        }
        let deleted = DraftsUpdated(action: .delete, leadId: "gone", draft: nil)
        var events: [(event: ServerEvent, typed: any Encodable)] = [(.draftsUpdated(deleted), deleted)]
        for draft in drafts {
            #expect(written(draft) == (try encoded(draft)))
            let saved = DraftsUpdated(action: .upsert, leadId: draft.leadId, draft: draft)
            events.append((.draftsUpdated(saved), saved))
        }
        for message in Fixtures.inbox().threads.values.joined() {
            let changed = MessagesUpdated(action: message.isRead ? .update : .insert, message: message)
            events.append((.messagesUpdated(changed), changed))
        }
        for (event, typed) in events {
            #expect(try event.payload() == JSONValue(encoding: typed, using: CloserJSON.encoder()))
            #expect(try ServerEvent(name: event.name, payload: event.payload()) == event)
        }
    }

    @Test("what it writes decodes back to the same values")
    func roundTrip() throws {
        let inbox = Fixtures.inbox()
        let page = LeadPage(leads: inbox.leads, nextCursor: "next")
        #expect(try CloserJSON.decoder().decode(LeadPage.self, from: Data(page.jsonBytes())) == page)
    }
}
