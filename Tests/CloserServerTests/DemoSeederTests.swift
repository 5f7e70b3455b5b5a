import CloserCore
@testable import CloserServer
import Foundation
import HTTPTypes
import Testing

@Suite("seed-demo")
struct DemoSeederTests {
    @Test("40 leads in every status and on every channel, about 600 messages, and every KPI with a real value",
          arguments: TestStore.available)
    func seedsABelievableInbox(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            try await DemoSeeder(database: server.database).seed(rep: rep.user)

            let leads = try server.decode(LeadPage.self, try await server.request(.get, "/api/leads?limit=200", token: rep.token)).leads
            #expect(leads.count == 40)
            #expect(Set(leads.map(\.status)) == Set(LeadStatus.allCases))
            #expect(Set(leads.compactMap { $0.lastMessage?.channel }) == Set(CloserCore.Channel.allCases))
            #expect(leads.contains { $0.unreadCount > 0 })
            let activity = leads.map(\.lastActivityAt)
            #expect(activity == activity.sorted(by: >), "the list is ordered by last activity")

            let messages = try await server.count("SELECT COUNT(*) AS n FROM messages")
            #expect((500...700).contains(messages), "\(messages) messages")
            let spanDays = try await server.count("SELECT COUNT(DISTINCT created_at / 86400000) AS n FROM messages")
            #expect(spanDays >= 25, "threads spread over 30 days, not one afternoon: \(spanDays) days")

            let stats = try server.decode(DashboardStats.self, try await server.request(.get, "/api/dashboard/stats", token: rep.token))
            #expect(stats.leadsCreated > 0 && stats.leadsConverted > 0 && stats.conversionRate > 0)
            #expect((stats.responseTime.medianSeconds ?? 0) > 0 && (stats.responseTime.meanSeconds ?? 0) > 0)
            #expect(stats.emailsSent > 0 && stats.openRate > 0 && stats.clickRate > 0 && stats.openRate >= stats.clickRate)
            let window = stats.activityCounts.window
            #expect(window.sent > 0 && window.received > 0 && window.opens > 0 && window.clicks > 0)
            #expect(window.meetingsBooked > 0 && window.conversions > 0)
            #expect(stats.pipelineValue.openCents > 0 && stats.pipelineValue.convertedCents > 0)

            let analytics = try server.decode(Analytics.self, try await server.request(.get, "/api/dashboard/analytics?days=30", token: rep.token))
            #expect(analytics.data.filter { $0.sent > 0 }.count >= 20, "the sparkline has a month of sends")
            #expect(analytics.data.contains { $0.opened > 0 } && analytics.data.contains { $0.replied > 0 })
        }
    }
}
