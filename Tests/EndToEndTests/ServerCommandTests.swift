import Foundation
import Testing

/// closer-server's one-shot commands against PostgreSQL, run as an operator runs them: they say
/// what they did and nothing else.
@Suite("closer-server commands on PostgreSQL", .enabled(if: TestPostgres.adminURL != nil, "needs CLOSER_TEST_POSTGRES_URL (make test sets it)"))
struct ServerCommandTests {
    @Test("migrate, then user add, print one line each and no warning; adding the same rep again is refused")
    func migrateAndAddUser() throws {
        let admin = try #require(TestPostgres.adminURL)
        let name = "closer_cli_\(UUID().uuidString.prefix(8).lowercased())"
        try TwoInstancesTests.psql(admin, "CREATE DATABASE \(name)")
        defer { _ = try? TwoInstancesTests.psql(admin, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        let url = admin.replacingOccurrences(of: "/postgres", with: "/\(name)")

        let migrate = try ProxyTests.run(Binaries.closerServer, ["migrate", "--database", url], input: "")
        #expect(migrate.status == 0)
        #expect(migrate.output.hasPrefix("applied migrations: 1"), "\(migrate.output)")
        #expect(migrate.output.split(separator: "\n").count == 1, "\(migrate.output)")

        let add = try ProxyTests.run(Binaries.closerServer, ["user", "add", "--email", "pat@closer.example", "--name", "Pat Rep", "--database", url],
                                     input: "a long enough password\n")
        #expect(add.status == 0)
        #expect(add.output.hasPrefix("added Pat Rep <pat@closer.example> (id "), "\(add.output)")
        #expect(add.output.split(separator: "\n").count == 1, "\(add.output)")

        let again = try ProxyTests.run(Binaries.closerServer, ["user", "add", "--email", "pat@closer.example", "--name", "Pat Again", "--database", url],
                                       input: "another long password\n")
        #expect(again.status != 0)
        #expect(!again.output.contains("added"), "\(again.output)")
    }
}
