import Foundation
import Testing

/// `closer` behind a corporate proxy: `http_proxy` from the environment is honoured (libcurl reads
/// it), with the real binaries and a real forwarding proxy in between.
@Suite("closer behind a proxy")
struct ProxyTests {
    @Test("closer login and logout go through http_proxy, and the token is stored 0600")
    func loginThroughProxy() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("closer-proxy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = "sqlite:\(directory.path)/server.sqlite"
        let password = "correct horse battery"

        #expect(try Self.run(Binaries.closerServer, ["user", "add", "--email", "rita@closer.example", "--name", "Rita Rep", "--database", database],
                             input: password + "\n").status == 0)
        let port = try FreePortFinder.find()
        // Spawn, not Process: a server must start with a clean signal mask to hear SIGTERM.
        let server = try Spawn.launch(Binaries.closerServer, ["serve", "--port", "\(port)", "--database", database, "--log-level", "warning"])
        defer { Spawn.stop(server) }
        let proxyLog = directory.appendingPathComponent("proxy.log").path
        let portFile = directory.appendingPathComponent("proxy.port").path
        let proxy = try Spawn.launch("/usr/bin/python3", [Self.proxyScript, portFile, proxyLog])
        defer { Spawn.stop(proxy) }
        let proxyPort = try await Self.waitForFile(portFile)
        try await Self.waitForServer(port: port)

        let environment = [
            "HOME": directory.path, "XDG_CONFIG_HOME": directory.path + "/config", "XDG_DATA_HOME": directory.path + "/data",
            "http_proxy": "http://127.0.0.1:\(proxyPort)", "PATH": "/usr/bin:/bin",
        ]
        let login = try Self.run(Binaries.closer, ["login", "--server", "http://127.0.0.1:\(port)", "--email", "rita@closer.example"],
                                 input: password + "\n", environment: environment)
        #expect(login.status == 0, "\(login.output)")
        #expect(login.output.contains("Signed in"))
        let credentials = directory.path + "/config/closer/credentials"
        let mode = (try FileManager.default.attributesOfItem(atPath: credentials)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
        #expect(try Self.run(Binaries.closer, ["logout"], input: "", environment: environment).status == 0)

        let requests = (try? String(contentsOfFile: proxyLog, encoding: .utf8)) ?? ""
        #expect(requests.contains("POST http://127.0.0.1:\(port)/api/auth/login"), "\(requests)")
        #expect(requests.contains("POST http://127.0.0.1:\(port)/api/auth/logout"), "\(requests)")
        #expect(!FileManager.default.fileExists(atPath: credentials))
    }

    static let proxyScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Support/forwarding_proxy.py").path

    static func run(_ path: String, _ arguments: [String], input: String, environment: [String: String]? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    static func waitForFile(_ path: String) async throws -> Int {
        for _ in 0..<100 {
            if let text = try? String(contentsOfFile: path, encoding: .utf8), let port = Int(text) { return port }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw Spawn.Failure(description: "the proxy did not start")
    }

    static func waitForServer(port: Int) async throws {
        for _ in 0..<100 {
            if (try? Self.run("/usr/bin/curl", ["-s", "-o", "/dev/null", "--noproxy", "*", "http://127.0.0.1:\(port)/healthz"], input: ""))?.status == 0 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw Spawn.Failure(description: "closer-server did not start")
    }
}

/// A port nothing listens on (it was free a moment ago).
enum FreePortFinder {
    static func find() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0 else { throw Spawn.Failure(description: "no free port") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
