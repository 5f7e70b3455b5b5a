import ArgumentParser
import CloserCore
import CloserServer
import Foundation
import Logging

/// `closer-server user add`: create a rep. The password comes from stdin, never from argv, where
/// any user of a shared server could read it with `ps`.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage reps.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a rep. Reads the password from stdin (prompting without echo on a terminal)."
        )

        @Option(help: "The rep's email, used to sign in.") var email: String
        @Option(help: "The rep's display name.") var name: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let password = try PasswordPrompt.read(prompt: "Password for \(email): ")
            let logger = makeLogger(level: .warning)
            let db = try await Database.open(try database.url(), logger: logger)
            let user = try await db.withRunning { db in
                try await Migrations.run(on: db)
                return try await UserAdministration(database: db).addUser(email: email, name: name, password: password)
            }
            print("added \(user.name) <\(user.email)> (id \(user.id))")
        }
    }
}

/// Reads a password from a terminal without echo, or one line from a pipe.
enum PasswordPrompt {
    static func read(prompt: String) throws -> String {
        if isatty(STDIN_FILENO) == 1 {
            FileHandle.standardError.write(Data(prompt.utf8))
            var original = termios()
            tcgetattr(STDIN_FILENO, &original)
            var silent = original
            silent.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
            defer {
                tcsetattr(STDIN_FILENO, TCSAFLUSH, &original)
                FileHandle.standardError.write(Data("\n".utf8))
            }
            guard let line = readLine(strippingNewline: true) else { throw ValidationError("no password given") }
            return line
        }
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw ValidationError("no password on stdin; pipe one in, e.g. printf '%s\\n' \"$PASSWORD\" | closer-server user add ...")
        }
        return line
    }
}
