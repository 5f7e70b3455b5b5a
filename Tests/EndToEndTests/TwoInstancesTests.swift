import Foundation
import Testing

/// Scale-out, end to end: two `closer-server` instances on one PostgreSQL, a `closer` on each, the
/// same rep. What happens on one device shows on the other, through LISTEN/NOTIFY, once.
@Suite("Two instances behind PostgreSQL", .enabled(if: TestPostgres.adminURL != nil, "needs CLOSER_TEST_POSTGRES_URL (make test sets it)"))
struct TwoInstancesTests {
    @Test("a message sent on one client appears on the other; a draft typed on one shows on the other; nothing doubles")
    func twoDevices() async throws {
        let admin = try #require(TestPostgres.adminURL)
        let name = "closer_e2e_\(UUID().uuidString.prefix(8).lowercased())"
        try Self.psql(admin, "CREATE DATABASE \(name)")
        defer { _ = try? Self.psql(admin, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        let url = admin.replacingOccurrences(of: "/postgres", with: "/\(name)")

        let laptop = try await E2EServer(database: url)
        defer { laptop.remove() }
        let desktop = try await E2EServer(database: url)
        defer { desktop.remove() }
        let lead = try laptop.createLead(name: "Dana Kim", email: "dana@northwind.example")
        let leadId = try #require(lead["id"] as? String)

        try await Tmux.session(command: Binaries.closer, environment: laptop.clientEnvironment) { one in
            try await Tmux.session(command: Binaries.closer, environment: desktop.clientEnvironment) { two in
                await one.waitFor("● online")
                await two.waitFor("● online")
                await one.waitFor("Dana Kim")
                await two.waitFor("Dana Kim")

                await one.send(keys: "c")
                await one.typeEmail(subject: "From the laptop", body: "Sent on instance one")
                await one.send(keys: "C-s")
                await two.waitFor("Sent on instance one")

                await two.send(keys: "c")
                await two.send(literal: "Draft typed on the desktop")
                await two.waitFor("Draft saved")
                await one.waitFor("Draft typed on the desktop")
            }
        }
        let bodies = try laptop.thread(leadId: leadId).compactMap { $0["body"] as? String }
        #expect(bodies == ["Sent on instance one"])
    }

    @discardableResult
    static func psql(_ url: String, _ sql: String) throws -> String {
        let result = try ProxyTests.run("/usr/bin/psql", [url, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql], input: "")
        guard result.status == 0 else { throw Spawn.Failure(description: "psql failed: \(result.output)") }
        return result.output
    }
}

/// The throwaway cluster `make test` starts (scripts/with-postgres.sh).
enum TestPostgres {
    static var adminURL: String? { ProcessInfo.processInfo.environment["CLOSER_TEST_POSTGRES_URL"] }
}
