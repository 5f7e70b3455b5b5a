import ArgumentParser
import CloserCore
import CloserServer
import Foundation
import Logging

/// `closer-server seed-demo`: believable demo data for one rep.
struct SeedDemo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed-demo",
        abstract: "Create demo data for a rep: 40 leads on every channel, 30 days of threads, opens and clicks."
    )

    @Option(help: "The rep to seed; created (password from stdin, or --password-file) if missing.") var email: String
    @Option(help: "Display name when the rep is created.") var name = "Demo Rep"
    @Option(name: .customLong("password-file"), help: "Read the new rep's password from this file instead of stdin.")
    var passwordFile: String?
    @Option(help: "Random seed, for the same data every time.") var seed: UInt64 = 42
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let logger = makeLogger(level: .warning)
        let db = try await Database.open(try database.url(), logger: logger)
        let summary = try await db.withRunning { db in
            try await Migrations.run(on: db)
            let admin = UserAdministration(database: db)
            let user: User
            if let existing = try await admin.findUser(email: email) {
                user = existing
            } else {
                let password = try passwordFile.map { try String(contentsOfFile: $0, encoding: .utf8).trimmingCharacters(in: .newlines) }
                    ?? PasswordPrompt.read(prompt: "Password for new rep \(email): ")
                user = try await admin.addUser(email: email, name: name, password: password)
            }
            return try await DemoSeeder(database: db, seed: seed).seed(rep: user)
        }
        print(summary)
    }
}
