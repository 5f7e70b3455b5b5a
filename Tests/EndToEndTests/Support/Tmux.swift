import Dispatch
import Foundation
import Synchronization
import Testing

/// A tmux session on a private server socket, running a command in a real terminal, for tests
/// that look at the screen the way a person would (`capture-pane`).
///
/// Every call is async and runs tmux off the cooperative thread pool: tests run in parallel, and a
/// blocked pool thread would stall every other test's server.
final class Tmux: @unchecked Sendable {
    let socket: String
    let session = "closer"
    private(set) var isRunning = false

    private init(socket: String) {
        self.socket = socket
    }

    /// Starts `command` (a shell command line) in a `width`×`height` terminal.
    static func start(width: Int = 160, height: Int = 45, command: String, environment: [String: String] = [:]) async throws -> Tmux {
        let tmux = Tmux(socket: "closer-test-\(UUID().uuidString.prefix(8))")
        TmuxServers.register(tmux.socket)
        var env = ["LANG": "C.UTF-8", "TERM": "xterm-256color"]
        env.merge(environment) { $1 }
        let exports = env.map { "\($0.key)=\(quote($0.value))" }.joined(separator: " ")
        try await tmux.run(["new-session", "-d", "-s", tmux.session, "-x", "\(width)", "-y", "\(height)", "bash --norc --noprofile"])
        try await tmux.run(["set-option", "-t", tmux.session, "remain-on-exit", "on"])
        tmux.isRunning = true
        await tmux.send(literal: "export \(exports) PS1='$ '; clear; \(command); echo EXIT=$?")
        await tmux.send(keys: "Enter")
        return tmux
    }

    /// Runs `body` against a new session, and kills the tmux server (and what runs in it) after,
    /// whether the body passed, failed or threw.
    static func session(width: Int = 160, height: Int = 45, command: String, environment: [String: String] = [:],
                        _ body: (Tmux) async throws -> Void) async throws {
        let tmux = try await start(width: width, height: height, command: command, environment: environment)
        do {
            try await body(tmux)
        } catch {
            await tmux.kill()
            throw error
        }
        await tmux.kill()
    }

    deinit {
        if isRunning { _ = try? Spawn.run("/usr/bin/tmux", ["-L", socket, "kill-server"], captureOutput: false) }
        TmuxServers.unregister(socket)
    }

    func kill() async {
        try? await run(["kill-server"])
        isRunning = false
        TmuxServers.unregister(socket)
    }

    /// The screen as text, one line per row.
    func capture() async -> String {
        (try? await output(["capture-pane", "-p", "-t", session])) ?? ""
    }

    /// A pane format variable (`alternate_on`, `mouse_any_flag`): what the terminal is set to.
    func paneFlag(_ name: String) async -> String {
        ((try? await output(["display-message", "-p", "-t", session, "#{\(name)}"])) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Sends tmux key names (`Enter`, `C-s`, `Escape`, `j`).
    func send(keys: String...) async {
        try? await run(["send-keys", "-t", session] + keys)
    }

    /// Sends text literally (no key-name interpretation).
    func send(literal text: String) async {
        try? await run(["send-keys", "-t", session, "-l", text])
    }

    func resize(width: Int, height: Int) async {
        try? await run(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"])
    }

    /// Waits until the screen contains `text`, or fails the test after `timeout` seconds.
    @discardableResult
    func waitFor(_ text: String, timeout: TimeInterval = 15, sourceLocation: SourceLocation = #_sourceLocation) async -> String {
        await waitUntil(timeout: timeout, describing: "\"\(text)\"", sourceLocation: sourceLocation) { $0.contains(text) }
    }

    @discardableResult
    func waitUntil(timeout: TimeInterval = 15, describing what: String, sourceLocation: SourceLocation = #_sourceLocation,
                   _ condition: (String) -> Bool) async -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = await capture()
        while !condition(screen) {
            if Date() > deadline {
                Issue.record("timed out after \(timeout)s waiting for \(what); the screen was:\n\(screen)", sourceLocation: sourceLocation)
                return screen
            }
            try? await Task.sleep(for: .milliseconds(50))
            screen = await capture()
        }
        return screen
    }

    /// In closer's compose pane (email): the subject (Shift-Tab to it, Tab back), then the body,
    /// waiting until the body shows.
    func typeEmail(subject: String, body: String) async {
        await send(keys: "BTab")
        await send(literal: subject)
        await send(keys: "Tab")
        await send(literal: body)
        await waitFor(String(body.suffix(20)))
    }

    /// The process id of the command running in the pane's shell.
    func childPID(named name: String) async -> Int32? {
        guard let shell = try? await output(["display-message", "-p", "-t", session, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines),
              let shellPID = Int32(shell)
        else { return nil }
        let children = (try? await Spawn.runOffPool("/usr/bin/pgrep", ["-P", "\(shellPID)", "-x", name], captureOutput: true).output) ?? ""
        return children.split(separator: "\n").compactMap { Int32($0) }.first
    }

    /// Runs a tmux command without reading its output: the first one starts the tmux server,
    /// which would otherwise hold an output pipe open forever.
    private func run(_ arguments: [String]) async throws {
        _ = try await Spawn.runOffPool("/usr/bin/tmux", ["-L", socket] + arguments, captureOutput: false)
    }

    func output(_ arguments: [String]) async throws -> String {
        try await Spawn.runOffPool("/usr/bin/tmux", ["-L", socket] + arguments, captureOutput: true).output
    }

    static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}


/// Every tmux server a test started and has not killed. A test that fails (or a Tmux that is never
/// released) would otherwise leave its server, and the program in it, running after the test run:
/// whatever is left is killed when the test process exits.
enum TmuxServers {
    private static let sockets = Mutex<Set<String>>([])
    private static let cleanupInstalled: Void = {
        atexit {
            for socket in TmuxServers.sockets.withLock({ $0 }) {
                _ = try? Spawn.run("/usr/bin/tmux", ["-L", socket, "kill-server"], captureOutput: false)
            }
        }
    }()

    static func register(_ socket: String) {
        _ = cleanupInstalled
        sockets.withLock { _ = $0.insert(socket) }
    }

    static func unregister(_ socket: String) {
        sockets.withLock { _ = $0.remove(socket) }
    }
}

/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), which Swift's Glibc module does not
/// import (it is behind `_GNU_SOURCE`).
@_silgen_name("posix_spawn_file_actions_addclosefrom_np")
private func closeFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ from: Int32) -> Int32

/// posix_spawn and waitpid, for programs that daemonise (tmux, pg_ctl): Foundation's `Process`
/// waits for every holder of its internal pipe, so it never sees such a program exit.
enum Spawn {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// `run` on a dispatch thread, so waiting for the program never blocks the cooperative pool.
    static func runOffPool(_ path: String, _ arguments: [String], captureOutput: Bool) async throws -> (status: Int32, output: String) {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try run(path, arguments, captureOutput: captureOutput) })
            }
        }
    }

    static func run(_ path: String, _ arguments: [String], captureOutput: Bool) throws -> (status: Int32, output: String) {
        var fds: [Int32] = [-1, -1]
        if captureOutput {
            guard pipe(&fds) == 0 else { throw Failure(description: "pipe failed") }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if captureOutput {
            posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
            posix_spawn_file_actions_addclose(&actions, fds[0])
            posix_spawn_file_actions_addclose(&actions, fds[1])
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // Nothing else of ours: a tmux server daemonises and outlives the test, and an inherited
        // listening socket (another test's server) would hold that port for as long as it lives.
        _ = closeFrom(&actions, 3)
        var pid: pid_t = 0
        let spawned = spawn(path, arguments, &actions, &pid)
        if captureOutput { close(fds[1]) }
        guard spawned == 0 else {
            if captureOutput { close(fds[0]) }
            throw Failure(description: "cannot run \(path): error \(spawned)")
        }
        var output = Data()
        if captureOutput {
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = read(fds[0], &buffer, buffer.count)
                if count <= 0 { break }
                output.append(contentsOf: buffer[0..<count])
            }
            close(fds[0])
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return ((status >> 8) & 0xFF, String(decoding: output, as: UTF8.self))
    }

    /// Starts a long-running program (a server) with its output discarded; stop it with `stop`.
    static func launch(_ path: String, _ arguments: [String]) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        _ = closeFrom(&actions, 3)
        var pid: pid_t = 0
        let spawned = spawn(path, arguments, &actions, &pid)
        guard spawned == 0 else { throw Failure(description: "cannot run \(path): error \(spawned)") }
        return pid
    }

    /// SIGTERM, then waits for it to exit.
    static func stop(_ pid: pid_t) {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    }

    private static func spawn(_ path: String, _ arguments: [String], _ actions: inout posix_spawn_file_actions_t, _ pid: inout pid_t) -> Int32 {
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        // The calling thread is a dispatch worker, which blocks most signals, and a spawned program
        // inherits that mask: a tmux server that never sees SIGCHLD never finishes kill-server, and
        // a closer that never sees SIGHUP cannot notice its terminal going away. Start clean.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        return posix_spawn(&pid, path, &actions, &attributes, argv, environ)
    }
}

/// Where the package's built executables are: beside the test bundle.
enum Binaries {
    static var directory: URL {
        var url = URL(fileURLWithPath: CommandLine.arguments.first { $0.hasSuffix(".xctest") } ?? Bundle.main.bundlePath)
        while url.pathExtension != "xctest" && url.path != "/" { url.deleteLastPathComponent() }
        return url.deletingLastPathComponent()
    }

    static var closer: String { directory.appendingPathComponent("closer").path }
    static var closerServer: String { directory.appendingPathComponent("closer-server").path }
}
