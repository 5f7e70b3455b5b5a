import Foundation
import Testing

/// The real `closer-server` binary for end-to-end tests: a rep, a signed-in `closer` home, helpers
/// to call the API and the signed inbound webhook with curl and python3, and stop/restart on the
/// same port and database.
final class E2EServer: @unchecked Sendable {
    let directory: URL
    let port: Int
    let database: String
    let inboundSecret = "e2e-inbound-\(UUID().uuidString)"
    private(set) var pid: pid_t?
    private(set) var token = ""
    private let extraArguments: [String]

    var base: String { "http://127.0.0.1:\(port)" }
    /// HOME and XDG folders of a `closer` signed in as the rep.
    var clientEnvironment: [String: String] {
        ["HOME": directory.path, "XDG_CONFIG_HOME": directory.path + "/config", "XDG_DATA_HOME": directory.path + "/data"]
    }

    /// A server on a fresh SQLite database (or `database`), a rep, and `closer login` done.
    init(database: String? = nil, arguments: [String] = []) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("closer-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.database = database ?? "sqlite:\(directory.path)/server.sqlite"
        port = try FreePortFinder.find()
        extraArguments = arguments
        try inboundSecret.write(toFile: directory.path + "/inbound-secret", atomically: true, encoding: .utf8)
        _ = try? ProxyTests.run(Binaries.closerServer, ["user", "add", "--email", "rita@closer.example", "--name", "Rita Rep", "--database", self.database],
                                input: "correct horse battery\n")
        try await start()
        token = try Self.object(try curl(["-X", "POST", "\(base)/api/auth/login", "-H", "Content-Type: application/json",
                                           "-d", #"{"email":"rita@closer.example","password":"correct horse battery"}"#]))["token"] as? String ?? ""
        let login = try ProxyTests.run(Binaries.closer, ["login", "--server", base, "--email", "rita@closer.example"],
                                       input: "correct horse battery\n", environment: clientEnvironment.merging(["PATH": "/usr/bin:/bin"]) { $1 })
        #expect(login.status == 0, "\(login.output)")
    }

    func start() async throws {
        pid = try Spawn.launch(Binaries.closerServer, [
            "serve", "--port", "\(port)", "--database", database, "--log-level", "warning",
            "--inbound-secret-file", directory.path + "/inbound-secret", "--spool-dir", directory.path + "/spool",
        ] + extraArguments)
        try await ProxyTests.waitForServer(port: port)
    }

    func stop() {
        if let pid { Spawn.stop(pid) }
        pid = nil
    }

    /// Stops the server and removes its files.
    func remove() {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: API

    func curl(_ arguments: [String]) throws -> String {
        let result = try ProxyTests.run("/usr/bin/curl", ["-s", "--noproxy", "*"] + arguments, input: "")
        guard result.status == 0 else { throw Spawn.Failure(description: "curl \(arguments) failed (\(result.status)): \(result.output)") }
        return result.output
    }

    func api(_ method: String, _ path: String, json: String? = nil) throws -> String {
        var arguments = ["-X", method, base + path, "-H", "Authorization: Bearer \(token)"]
        if let json { arguments += ["-H", "Content-Type: application/json", "-d", json] }
        return try curl(arguments)
    }

    @discardableResult
    func createLead(name: String, email: String) throws -> [String: Any] {
        try Self.object(try api("POST", "/api/leads", json: Self.encode(["name": name, "email": email])))
    }

    func thread(leadId: String) throws -> [[String: Any]] {
        (try Self.object(try api("GET", "/api/messages/\(leadId)?limit=200"))["messages"] as? [[String: Any]]) ?? []
    }

    /// Posts a message as a lead, through the signed inbound webhook (HMAC computed by python3's hmac).
    @discardableResult
    func inbound(_ message: [String: Any]) throws -> String {
        let body = Self.encode(message)
        let script = """
            import hmac, hashlib, json, sys, time, urllib.request
            body = sys.stdin.buffer.read()
            stamp = str(int(time.time()))
            mac = hmac.new(sys.argv[2].encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
            request = urllib.request.Request(sys.argv[1], data=body, method="POST", headers={
                "Content-Type": "application/json", "X-Closer-Timestamp": stamp, "X-Closer-Signature": "sha256=" + mac})
            with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request) as answer:
                print(answer.status)
            """
        let result = try ProxyTests.run("/usr/bin/python3", ["-c", script, base + "/api/webhooks/inbound", inboundSecret], input: body)
        guard result.status == 0 else { throw Spawn.Failure(description: "inbound webhook failed: \(result.output)") }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func encode(_ object: [String: Any]) -> String {
        (try? JSONSerialization.data(withJSONObject: object)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    static func object(_ text: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw Spawn.Failure(description: "not a JSON object: \(text.prefix(300))")
        }
        return object
    }
}
