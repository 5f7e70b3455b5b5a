import AsyncHTTPClient
import Foundation
import Logging
import Synchronization

/// Everything one run measured, written as JSON for bench/fanout/run.sh to aggregate.
struct RunResult: Codable, Sendable {
    /// The N clients' handshakes.
    struct Connect: Codable, Sendable {
        var connected: Int
        var failures: Int
        var firstFailure: String?
        /// Wall time to get all N connected, with ``Options/connectConcurrency`` handshakes in flight.
        var totalSeconds: Double
        /// Per client: TCP connect, WebSocket upgrade, open packet, CONNECT, CONNECT acknowledgement.
        var perClient: Distribution
    }

    /// Server memory with no client, then with N idle clients.
    struct Memory: Codable, Sendable {
        var rssWithoutClientsBytes: Int
        var rssWithClientsBytes: Int
        var bytesPerConnection: Double
    }

    /// The paced phase.
    struct Latency: Codable, Sendable {
        /// Receipt time minus the time just before the REST call was sent, over every (event, client) pair.
        var delay: Distribution
        /// Per event: until the last client had it.
        var broadcastComplete: Distribution
        /// The REST calls' own round trips.
        var rest: Distribution
        var expected: Int
        var received: Int
        var duplicates: Int
        var restFailures: Int
        var elapsedSeconds: Double
        var serverCPUSeconds: Double?
        var toolCPUSeconds: Double?
    }

    /// The saturating phase.
    struct Throughput: Codable, Sendable {
        var fired: Int
        var restFailures: Int
        var firingSeconds: Double
        /// From the first REST call to the last receipt.
        var elapsedSeconds: Double
        var receipts: Int
        var expected: Int
        /// receipts / elapsedSeconds: the figure compared with the baseline.
        var deliveredPerSecond: Double
        /// Events accepted by REST per second of firing.
        var firedPerSecond: Double
        var serverCPUSeconds: Double?
        var toolCPUSeconds: Double?
    }

    var label: String
    var clients: Int
    var events: Int
    var intervalMilliseconds: Int
    var connect: Connect
    var memory: Memory?
    var latency: Latency
    var throughput: Throughput?
    var unexpectedFrames: Int
    /// Open packets CloserCore's codec refused (a missing handshake member) that the tool accepted.
    var lenientOpenPackets: Int
}

/// One run: warm up, read the idle RSS, connect N clients, read the RSS again, run the paced
/// latency phase, then the throughput phase, and close every client.
struct Scenario {
    let options: Options
    let trigger: Trigger
    /// Progress messages.
    let logger: Logger
    /// Handed to every WebSocket client.
    let socketLogger: Logger
    private var server: ProcessProbe? { options.serverPID.map(ProcessProbe.init) }

    init(options: Options, http: HTTPClient, logger: Logger, socketLogger: Logger) {
        self.options = options
        self.trigger = Trigger(http: http, baseURL: options.baseURL, token: options.token, leadId: options.leadId)
        self.logger = logger
        self.socketLogger = socketLogger
    }

    func run() async throws -> RunResult {
        let tally = Tally()
        try await warmUp(tally: tally)
        await settle()
        let rssBefore = server?.residentBytes()

        progress("connecting \(options.clients) clients (\(options.connectConcurrency) handshakes in flight)")
        let (clients, connect) = await connectClients(options.clients, latencyEvents: options.events, tally: tally)
        progress(String(format: "connected %d in %.2f s (p50 %.1f ms, p99 %.1f ms), %d failed",
                        connect.connected, connect.totalSeconds, connect.perClient.p50, connect.perClient.p99, connect.failures))
        guard !clients.isEmpty else { throw ConnectFailure(reason: connect.firstFailure ?? "no client connected") }
        await settle()
        var memory: RunResult.Memory?
        if let rssBefore, let rssAfter = server?.residentBytes() {
            memory = RunResult.Memory(
                rssWithoutClientsBytes: rssBefore, rssWithClientsBytes: rssAfter,
                bytesPerConnection: Double(rssAfter - rssBefore) / Double(clients.count)
            )
        }

        let latency = await latencyPhase(clients: clients, tally: tally)
        progress(String(format: "latency: delay p50 %.1f ms, p99 %.1f ms, max %.1f ms; %d/%d receipts",
                        latency.delay.p50, latency.delay.p99, latency.delay.max, latency.received, latency.expected))
        var throughput: RunResult.Throughput?
        if options.throughputSeconds > 0 {
            let result = await throughputPhase(clients: clients, tally: tally)
            progress(String(format: "throughput: %d events fired (%.0f/s), %d/%d receipts, %.0f delivered/s",
                            result.fired, result.firedPerSecond, result.receipts, result.expected, result.deliveredPerSecond))
            throughput = result
        }

        await closeAll(clients)
        return RunResult(
            label: options.label, clients: options.clients, events: options.events,
            intervalMilliseconds: options.intervalMilliseconds, connect: connect, memory: memory,
            latency: latency, throughput: throughput, unexpectedFrames: tally.unexpectedFrames.load(ordering: .relaxed),
            lenientOpenPackets: tally.lenientOpenPackets.load(ordering: .relaxed)
        )
    }

    // MARK: Phases

    /// Connects a few clients, fires a few events through them, and closes them, so that the idle
    /// RSS is read after the server has paid its one-time costs (code pages, pools, caches).
    private func warmUp(tally: Tally) async throws {
        guard options.warmupClients > 0 else { return }
        progress("warm-up: \(options.warmupClients) clients, \(options.warmupEvents) events")
        let (clients, connect) = await connectClients(options.warmupClients, latencyEvents: 0, tally: tally)
        guard !clients.isEmpty else { throw ConnectFailure(reason: connect.firstFailure ?? "no warm-up client connected") }
        for sequence in 0..<options.warmupEvents {
            try await trigger.fire(EventMark(phase: .warmup, sequence: sequence))
        }
        let expected = options.warmupEvents * clients.count
        await waitUntil(timeoutSeconds: 10) { tally.warmupReceipts.load(ordering: .relaxed) >= expected }
        await closeAll(clients)
    }

    /// Connects `count` clients with at most ``Options/connectConcurrency`` handshakes in flight.
    private func connectClients(_ count: Int, latencyEvents: Int, tally: Tally) async -> ([LoadClient], RunResult.Connect) {
        let started = BenchClock.nanos()
        let url = options.socketURL
        let token = options.token
        let logger = socketLogger
        var clients: [LoadClient] = []
        var durations: [Int64] = []
        var failures = 0
        var firstFailure: String?
        await withTaskGroup(of: Result<(LoadClient, Int64), any Error>.self) { group in
            var launched = 0
            func launch() {
                group.addTask {
                    do {
                        let (client, nanos) = try await LoadClient.connect(
                            url: url, token: token, latencyEvents: latencyEvents, tally: tally, logger: logger
                        )
                        return .success((client, nanos))
                    } catch {
                        return .failure(error)
                    }
                }
                launched += 1
            }
            while launched < min(count, options.connectConcurrency) { launch() }
            for await outcome in group {
                switch outcome {
                case .success(let (client, nanos)):
                    clients.append(client)
                    durations.append(nanos)
                case .failure(let error):
                    failures += 1
                    if firstFailure == nil { firstFailure = String(describing: error) }
                }
                if launched < count { launch() }
            }
        }
        let total = Double(BenchClock.nanos() - started) / 1e9
        return (clients, RunResult.Connect(
            connected: clients.count, failures: failures, firstFailure: firstFailure,
            totalSeconds: total, perClient: Distribution(nanos: durations)
        ))
    }

    /// Fires ``Options/events`` events open-loop, one every ``Options/intervalMilliseconds``, and
    /// waits for every client to have every event (or for deliveries to stall for 10 s).
    private func latencyPhase(clients: [LoadClient], tally: Tally) async -> RunResult.Latency {
        let count = options.events
        let interval = Int64(options.intervalMilliseconds) * 1_000_000
        progress("latency phase: \(count) events, one every \(options.intervalMilliseconds) ms, to \(clients.count) clients")
        let serverCPU = server?.cpuSeconds()
        let toolCPU = ProcessProbe.current.cpuSeconds()
        let started = BenchClock.nanos()
        // (sequence, sent, answered) per REST call; answered is nil when the call failed.
        var calls: [(Int, Int64, Int64?)] = []
        await withTaskGroup(of: (Int, Int64, Int64?).self) { group in
            for sequence in 0..<count {
                await BenchClock.sleep(until: started + Int64(sequence) * interval)
                group.addTask {
                    let sent = BenchClock.nanos()
                    do {
                        try await trigger.fire(EventMark(phase: .latency, sequence: sequence))
                        return (sequence, sent, BenchClock.nanos())
                    } catch {
                        return (sequence, sent, nil)
                    }
                }
            }
            for await call in group { calls.append(call) }
        }
        var sentAt = Array(repeating: Int64(0), count: count)
        var restNanos: [Int64] = []
        var restFailures = 0
        for (sequence, sent, answered) in calls {
            sentAt[sequence] = sent
            if let answered { restNanos.append(answered - sent) } else { restFailures += 1 }
        }
        let expected = (count - restFailures) * clients.count
        await drain(tally.latencyReceipts, to: expected)
        let elapsed = Double(BenchClock.nanos() - started) / 1e9

        var delays: [Int64] = []
        delays.reserveCapacity(count * clients.count)
        var slowest = Array(repeating: Int64(0), count: count)
        var duplicates = 0
        for client in clients {
            for (sequence, received) in client.latencyReceipts.enumerated() where received != 0 {
                let delay = received - sentAt[sequence]
                delays.append(delay)
                slowest[sequence] = max(slowest[sequence], delay)
            }
            duplicates += client.duplicates
        }
        // An event counts towards "broadcast complete" only when every client got it.
        var complete: [Int64] = []
        for sequence in 0..<count where clients.allSatisfy({ $0.latencyReceipt(sequence) != nil }) {
            complete.append(slowest[sequence])
        }
        return RunResult.Latency(
            delay: Distribution(nanos: delays), broadcastComplete: Distribution(nanos: complete),
            rest: Distribution(nanos: restNanos), expected: count * clients.count, received: delays.count,
            duplicates: duplicates, restFailures: restFailures, elapsedSeconds: elapsed,
            serverCPUSeconds: difference(server?.cpuSeconds(), serverCPU),
            toolCPUSeconds: difference(ProcessProbe.current.cpuSeconds(), toolCPU)
        )
    }

    /// Fires events as fast as ``Options/firers`` concurrent REST calls allow for
    /// ``Options/throughputSeconds``, holding back while more than ``Options/window`` events are
    /// outstanding, then waits for the deliveries to finish (or to stall for 10 s).
    private func throughputPhase(clients: [LoadClient], tally: Tally) async -> RunResult.Throughput {
        progress("throughput phase: \(options.throughputSeconds) s, \(options.firers) REST calls in flight, window \(options.window) events")
        let serverCPU = server?.cpuSeconds()
        let toolCPU = ProcessProbe.current.cpuSeconds()
        let clientCount = clients.count
        let window = options.window
        let started = BenchClock.nanos()
        let stopAt = started + Int64(options.throughputSeconds) * 1_000_000_000
        let counters = FiringCounters()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<options.firers {
                group.addTask {
                    while BenchClock.nanos() < stopAt {
                        let outstanding = counters.accepted.load(ordering: .relaxed)
                            - tally.throughputReceipts.load(ordering: .relaxed) / clientCount
                        if outstanding >= window {
                            try? await Task.sleep(for: .milliseconds(1))
                            continue
                        }
                        let next = counters.sequence.add(1, ordering: .relaxed).oldValue
                        do {
                            try await trigger.fire(EventMark(phase: .throughput, sequence: next))
                            counters.accepted.add(1, ordering: .relaxed)
                        } catch {
                            counters.failed.add(1, ordering: .relaxed)
                        }
                    }
                }
            }
        }
        let firingSeconds = Double(BenchClock.nanos() - started) / 1e9
        let fired = counters.accepted.load(ordering: .relaxed)
        let expected = fired * clientCount
        await drain(tally.throughputReceipts, to: expected)
        var receipts = 0
        var last = started
        for client in clients {
            let (count, at) = client.throughput
            receipts += count
            if count > 0 { last = max(last, at) }
        }
        let elapsed = Double(last - started) / 1e9
        return RunResult.Throughput(
            fired: fired, restFailures: counters.failed.load(ordering: .relaxed), firingSeconds: firingSeconds,
            elapsedSeconds: elapsed, receipts: receipts, expected: expected,
            deliveredPerSecond: elapsed > 0 ? Double(receipts) / elapsed : 0,
            firedPerSecond: Double(fired) / firingSeconds,
            serverCPUSeconds: difference(server?.cpuSeconds(), serverCPU),
            toolCPUSeconds: difference(ProcessProbe.current.cpuSeconds(), toolCPU)
        )
    }

    // MARK: Helpers

    private func closeAll(_ clients: [LoadClient]) async {
        await withTaskGroup(of: Void.self) { group in
            for client in clients { group.addTask { await client.close() } }
        }
    }

    /// Waits until `counter` reaches `expected`, giving up when it has not moved for 10 s, so a
    /// phase never starts while the previous one's deliveries are still arriving.
    private func drain(_ counter: borrowing Atomic<Int>, to expected: Int) async {
        var seen = -1
        var lastProgress = BenchClock.nanos()
        while true {
            let now = counter.load(ordering: .relaxed)
            if now >= expected { return }
            if now != seen {
                seen = now
                lastProgress = BenchClock.nanos()
            } else if BenchClock.nanos() - lastProgress > 10_000_000_000 {
                progress("gave up waiting: \(now) of \(expected) receipts, none for 10 s")
                return
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    private func settle() async {
        try? await Task.sleep(for: .seconds(options.settleSeconds))
    }

    private func waitUntil(timeoutSeconds: Int, _ condition: () -> Bool) async {
        let deadline = BenchClock.nanos() + Int64(timeoutSeconds) * 1_000_000_000
        while !condition(), BenchClock.nanos() < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    private func difference(_ after: Double?, _ before: Double?) -> Double? {
        guard let after, let before else { return nil }
        return after - before
    }

    private func progress(_ message: String) {
        let label = options.label.isEmpty ? "" : options.label + " "
        logger.notice("\(label)N=\(options.clients): \(message)")
    }
}

/// The throughput phase's shared counters (relaxed atomics).
final class FiringCounters: Sendable {
    /// The next sequence number to fire.
    let sequence = Atomic<Int>(0)
    /// REST calls answered 2xx.
    let accepted = Atomic<Int>(0)
    /// REST calls that failed.
    let failed = Atomic<Int>(0)
}
