import CloserCore
@testable import CloserServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@Suite("Dashboard")
struct DashboardTests {
    @Test("stats follow sends, replies, opens and status changes", arguments: TestStore.available)
    func statsMove(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            let empty = try server.decode(DashboardStats.self, try await server.request(.get, "/api/dashboard/stats", token: rep.token))
            #expect(empty.emailsSent == 0)
            #expect(empty.openRate == 0)
            #expect(empty.responseTime.medianSeconds == nil)

            let dana = try await server.createLead(rep, valueCents: 500_000)
            let marcus = try await server.createLead(rep, name: "Marcus Webb", email: "marcus@example.com", valueCents: 300_000)
            try await server.insertInbound(rep, lead: dana, body: "Interested!", at: Date().addingTimeInterval(-600))
            let first = try await server.send(rep, to: dana)
            try await server.send(rep, to: marcus)
            // Dana opens the email (recorded as the tracking endpoint will record it).
            try await server.database.write { db in
                let tracking = TrackingStore(db: db)
                try await tracking.recordEvent(messageId: first.id, userId: rep.user.id, kind: .open, linkId: nil, ip: "203.0.113.1", userAgent: "test", machine: false, at: Date())
                _ = try await tracking.markFirst(.open, messageId: first.id, at: Date())
            }
            let patched = try await server.request(.patch, "/api/leads/\(dana.id)", token: rep.token, json: UpdateLeadRequest(status: .converted))
            #expect(patched.status == .ok)

            let stats = try server.decode(DashboardStats.self, try await server.request(.get, "/api/dashboard/stats", token: rep.token))
            #expect(stats.leadsCreated == 2)
            #expect(stats.leadsConverted == 1)
            #expect(stats.conversionRate == 0.5)
            #expect(stats.emailsSent == 2)
            #expect(stats.openRate == 0.5)
            #expect(stats.clickRate == 0)
            #expect(stats.opens == .init(unique: 1, total: 1))
            #expect(stats.responseTime.samples == 1)
            #expect((stats.responseTime.medianSeconds ?? 0) > 590)
            #expect(stats.activityCounts.today.sent == 2)
            #expect(stats.activityCounts.today.received == 1)
            #expect(stats.activityCounts.window.conversions == 1)
            #expect(stats.pipelineValue.convertedCents == 500_000)
            #expect(stats.pipelineValue.openCents == 300_000)
            #expect(stats.pipelineValue.totalCents == 800_000)
        }
    }

    @Test("analytics has one point per day, today last, with today's sends", arguments: TestStore.available)
    func analytics(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            let lead = try await server.createLead(rep)
            try await server.send(rep, to: lead)
            try await server.insertInbound(rep, lead: lead)
            let analytics = try server.decode(Analytics.self, try await server.request(.get, "/api/dashboard/analytics?days=7", token: rep.token))
            #expect(analytics.data.count == 7)
            #expect(analytics.data.last?.date == AnalyticsCalculator.dateString(day: Date().millis / 86_400_000))
            #expect(analytics.data.last?.sent == 1)
            #expect(analytics.data.last?.delivered == 1)
            #expect(analytics.data.last?.replied == 1)
            #expect(analytics.summary.sent == 1)
            #expect(try await server.request(.get, "/api/dashboard/analytics?days=0", token: rep.token).status == .badRequest)
            #expect(try await server.request(.get, "/api/dashboard/analytics?days=abc", token: rep.token).status == .badRequest)
        }
    }

    @Test("the activity stream is newest first and paginated", arguments: TestStore.available)
    func activity(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            for index in 0..<5 {
                _ = try await server.createLead(rep, name: "Lead \(index)", email: "l\(index)@example.com")
            }
            let first = try server.decode(ActivityPage.self, try await server.request(.get, "/api/dashboard/activity?limit=3", token: rep.token))
            #expect(first.activities.map(\.leadName) == ["Lead 4", "Lead 3", "Lead 2"])
            #expect(first.activities.allSatisfy { $0.kind == .leadCreated && $0.actor == "Rita Rep" })
            let cursor = try #require(first.nextCursor)
            let second = try server.decode(ActivityPage.self, try await server.request(.get, "/api/dashboard/activity?limit=3&cursor=\(cursor)", token: rep.token))
            #expect(second.activities.map(\.leadName) == ["Lead 1", "Lead 0"])
            #expect(second.nextCursor == nil)
        }
    }

    @Test("median and ratio helpers")
    func helpers() {
        #expect(StatsCalculator.median([]) == nil)
        #expect(StatsCalculator.median([3, 1, 2]) == 2)
        #expect(StatsCalculator.median([4, 1, 2, 3]) == 2.5)
        #expect(StatsCalculator.ratio(1, 0) == 0)
        #expect(MoneyFormat.dollars(cents: 1_250_050) == "$12,500.50")
        #expect(MoneyFormat.dollars(cents: 100_000_000) == "$1,000,000")
    }
}
