import CCurl
import Foundation
import Synchronization

/// HTTP over libcurl's multi interface: one thread drives every transfer with `curl_multi_poll`,
/// other threads hand it work and wake it with `curl_multi_wakeup`, and each request is one
/// continuation resumed when its transfer ends.
///
/// libcurl gives us what the reps' networks need without any code here: `https_proxy`/`no_proxy`
/// from the environment, TLS verification (on; never turned off), HTTP/2 where the server offers
/// it over TLS, and gzip. When nothing is in flight the thread sleeps in `curl_multi_poll` with no
/// timeout, so an idle client does not wake.
public final class CurlHTTPClient: Sendable {
    private let loop: CurlLoop
    private let configuration: HTTPClientConfiguration

    public init(configuration: HTTPClientConfiguration = HTTPClientConfiguration()) {
        CurlGlobal.initialize()
        self.configuration = configuration
        loop = CurlLoop()
        let thread = Thread { [loop] in loop.run() }
        thread.name = "closer-curl"
        thread.start()
    }

    deinit {
        loop.pending.withLock { $0.stopping = true }
        loop.wake()
    }

    /// Sends `request` and returns the whole response, whatever its status. Throws `CurlError`
    /// when there is no HTTP answer, and `CancellationError` when the task is cancelled.
    public func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseData {
        let id = loop.pending.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponseData, any Error>) in
                let transfer: CurlTransfer
                do {
                    transfer = try CurlTransfer(id: id, request: request, configuration: configuration, continuation: continuation)
                } catch {
                    continuation.resume(throwing: error)
                    return
                }
                let accepted = loop.pending.withLock { state -> Bool in
                    guard !state.stopping else { return false }
                    if Task.isCancelled { state.cancellations.insert(id) }
                    state.additions.append(transfer)
                    return true
                }
                if accepted {
                    loop.wake()
                } else {
                    transfer.finish(.failure(CancellationError()))
                }
            }
        } onCancel: {
            loop.pending.withLock { _ = $0.cancellations.insert(id) }
            loop.wake()
        }
    }

}

/// The multi handle and the work handed to it. `run()` is the curl thread's whole life; every
/// other method may be called from any thread.
final class CurlLoop: @unchecked Sendable {
    struct Pending {
        var additions: [CurlTransfer] = []
        var cancellations: Set<UInt64> = []
        var stopping = false
        var nextID: UInt64 = 0
    }

    /// Touched only by `run()` and `deinit`, which cannot overlap; `curl_multi_wakeup` is the one
    /// multi call libcurl allows from other threads.
    private let multi: UnsafeMutableRawPointer
    let pending = Mutex(Pending())

    init() {
        guard let handle = curl_multi_init() else { fatalError("curl_multi_init failed: out of memory") }
        multi = handle
    }

    deinit {
        curl_multi_cleanup(multi)
    }

    func wake() {
        curl_multi_wakeup(multi)
    }

    func run() {
        var active: [UInt64: CurlTransfer] = [:]
        var byHandle: [UnsafeMutableRawPointer: UInt64] = [:]
        while true {
            let (additions, cancellations, stopping) = pending.withLock { state in
                defer {
                    state.additions = []
                    state.cancellations = []
                }
                return (state.additions, state.cancellations, state.stopping)
            }
            for transfer in additions {
                active[transfer.id] = transfer
                byHandle[transfer.easy] = transfer.id
                curl_multi_add_handle(multi, transfer.easy)
            }
            for id in cancellations {
                guard let transfer = active.removeValue(forKey: id) else { continue }
                byHandle[transfer.easy] = nil
                curl_multi_remove_handle(multi, transfer.easy)
                transfer.finish(.failure(CancellationError()))
            }
            if stopping {
                for transfer in active.values {
                    curl_multi_remove_handle(multi, transfer.easy)
                    transfer.finish(.failure(CancellationError()))
                }
                return
            }

            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            var queued: Int32 = 0
            while let message = curl_multi_info_read(multi, &queued) {
                guard closer_curl_msg_is_done(message) != 0, let easy = closer_curl_msg_easy_handle(message),
                      let id = byHandle.removeValue(forKey: easy), let transfer = active.removeValue(forKey: id)
                else { continue }
                let result = closer_curl_msg_result(message)
                curl_multi_remove_handle(multi, easy)
                transfer.complete(result)
            }

            // With nothing in flight, sleep until woken; otherwise as long as libcurl allows.
            var timeout = -1
            if !active.isEmpty { curl_multi_timeout(multi, &timeout) }
            let wait = timeout < 0 ? (active.isEmpty ? Int32.max : 1000) : Int32(min(timeout, 1000))
            if wait > 0 { curl_multi_poll(multi, nil, 0, wait, nil) }
        }
    }
}

/// `curl_global_init` must run once, before any other thread uses libcurl.
enum CurlGlobal {
    private static let once: Void = { _ = closer_curl_global_init() }()

    static func initialize() { _ = once }
}
