import ArgumentParser
import CloserServer
import Logging

/// `closer-server migrate`: bring the schema up to date and exit.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run database migrations and exit.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let logger = makeLogger()
        let db = try await Database.open(try database.url(), logger: logger)
        let applied = try await db.withRunning { db in try await Migrations.run(on: db) }
        print(applied.isEmpty ? "schema is up to date" : "applied migrations: \(applied.map(String.init).joined(separator: ", "))")
    }
}
