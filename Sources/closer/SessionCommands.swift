import ArgumentParser
import CloserClient
import CloserCore
import CloserTUI
import Foundation

/// `closer login --server URL --email E`: asks for the password (no echo), signs in, and keeps
/// the token in `$XDG_CONFIG_HOME/closer/credentials` (mode 0600).
struct Login: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Sign in to a Closer server and remember the token.")

    @Option(help: "The server, e.g. https://closer.example.com (default: CLOSER_SERVER, then `server` in config.toml).")
    var server: String?

    @Option(help: "Your email address.")
    var email: String

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let configured = (try? ClientConfig.load(environment: environment))?.server
        guard let server = server ?? environment["CLOSER_SERVER"].flatMap({ $0.isEmpty ? nil : $0 }) ?? configured else {
            throw ValidationError("which server? pass --server URL (or set CLOSER_SERVER, or `server` in config.toml)")
        }
        guard let password = PasswordPrompt.read(prompt: "Password for \(email): "), !password.isEmpty else {
            throw ValidationError("no password given")
        }
        let api = APIClient(baseURL: server, http: CurlHTTPClient())
        let answer: LoginResponse
        do {
            answer = try await api.login(email: email, password: password)
        } catch APIClientError.unauthorized {
            throw ValidationError("wrong email or password")
        } catch {
            throw ValidationError("could not sign in: \(error)")
        }
        try Credentials(server: api.baseURL, token: answer.token, userId: answer.user.id, email: answer.user.email).save(environment: environment)
        print("Signed in to \(api.baseURL) as \(answer.user.name) <\(answer.user.email)>. Run `closer` to open your inbox.")
    }
}

/// `closer logout`: revokes the token on the server (when reachable) and forgets it here.
struct Logout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Sign out and forget the stored token.")

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let credentials = try Credentials.load(environment: environment) else {
            print("Not signed in.")
            return
        }
        var api = APIClient(baseURL: credentials.server, http: CurlHTTPClient())
        api.token = credentials.token
        do {
            try await api.logout()
        } catch {
            FileHandle.standardError.write(Data("closer: the server could not be told (\(error)); the token is forgotten here anyway\n".utf8))
        }
        try Credentials.delete(environment: environment)
        print("Signed out of \(credentials.server).")
    }
}
