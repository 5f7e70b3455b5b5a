// closer-bench-fanout: the Socket.IO fan-out load tool (see bench/README.md, "Real-time fan-out").
//
// Connects N Socket.IO clients (WSClient + CloserCore's Engine.IO/Socket.IO codec) to one rep's
// real-time endpoint, fires events through REST (`POST /api/drafts/:leadId`, one `drafts_updated`
// event each) and measures, per event and client, the delay from just before the REST call to the
// client's receipt; plus connect times, the server's RSS per idle connection, and delivered events/s
// under saturation. It speaks only the protocol, so the same binary drives closer-server and the
// python-socketio baseline (bench/fanout/baseline_server.py). bench/fanout/run.sh runs it; one run
// prints (or writes with --out) one JSON result.

import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOPosix

let options: Options
do {
    options = try Options(arguments: Array(CommandLine.arguments.dropFirst()))
} catch {
    if let message = error.message { FileHandle.standardError.write(Data("closer-bench-fanout: \(message)\n".utf8)) }
    FileHandle.standardError.write(Data((Options.usage + "\n").utf8))
    exit(error.message == nil ? 0 : 2)
}

var logger = Logger(label: "closer-bench-fanout")
logger.logLevel = .notice
// The WebSocket clients log only what would be a failure worth seeing.
var socketLogger = Logger(label: "closer-bench-fanout.socket")
socketLogger.logLevel = .critical

var httpConfiguration = HTTPClient.Configuration()
httpConfiguration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(8, options.firers)
let http = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: httpConfiguration)

let outcome: Result<RunResult, any Error>
do {
    outcome = .success(try await Scenario(options: options, http: http, logger: logger, socketLogger: socketLogger).run())
} catch {
    outcome = .failure(error)
}
// The future-returning shutdown: top-level code resolves `shutdown()` to it, not to the async one.
try? await http.shutdown().get()

switch outcome {
case .success(let result):
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    let data = try encoder.encode(result)
    if let path = options.output {
        try data.write(to: URL(fileURLWithPath: path))
    } else {
        FileHandle.standardOutput.write(data)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }
case .failure(let error):
    logger.critical("run failed: \(error)")
    exit(1)
}

