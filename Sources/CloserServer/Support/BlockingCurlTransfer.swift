import CCurl
import Foundation
import NIOPosix

/// One libcurl transfer the server makes to the outside world: an email over SMTP, a signed
/// webhook POST, or the demo simulator's requests to its own public URLs. libcurl's easy interface blocks, so it runs on NIO's blocking-I/O pool and never on
/// an event loop. (The client's `CurlHTTPClient` is the multi-handle version; the server sends a
/// handful of these per message and needs no more.)
struct BlockingCurlTransfer: Sendable {
    enum Kind: Sendable {
        /// `smtp://` or `smtps://`: `payload` is the RFC 5322 message, uploaded after MAIL FROM and RCPT TO.
        case smtp(from: String, recipients: [String], requireTLS: Bool)
        /// `http://` or `https://`: a request with `headers`; `payload` is the body of anything but
        /// GET. Redirects are not followed.
        case http(method: String, headers: [(String, String)])
    }

    struct Result: Sendable {
        /// libcurl's outcome (`CURLE_OK` when the transfer went through the protocol).
        let code: CURLcode
        /// The last SMTP reply code, or the HTTP status.
        let responseCode: Int
        let body: Data
        /// libcurl's message for a failure, with detail ("Connection refused", "550 …").
        let message: String
    }

    var url: String
    var kind: Kind
    var payload: Data
    var username: String?
    var password: String?
    /// PEM bundle to verify the peer with, instead of the system's.
    var caFile: String?
    var connectTimeout: Duration = .seconds(10)
    var totalTimeout: Duration = .seconds(60)

    private static let globalInit: Void = { _ = closer_curl_global_init() }()

    func perform() async throws -> Result {
        try await NIOThreadPool.singleton.runIfActive { try performBlocking() }
    }

    private func performBlocking() throws -> Result {
        _ = Self.globalInit
        guard let easy = curl_easy_init() else { throw TransferError("libcurl could not allocate a handle") }
        let state = TransferState(payload: payload)
        var recipients: UnsafeMutablePointer<curl_slist>?
        var headers: UnsafeMutablePointer<curl_slist>?
        defer {
            curl_easy_cleanup(easy)
            curl_slist_free_all(recipients)
            curl_slist_free_all(headers)
        }
        func set(_ option: CURLoption, _ value: String) throws { try check(closer_curl_easy_setopt_string(easy, option, value)) }
        func set(_ option: CURLoption, _ value: Int) throws { try check(closer_curl_easy_setopt_long(easy, option, value)) }

        try set(CURLOPT_URL, url)
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_CONNECTTIMEOUT_MS, Int(connectTimeout / .milliseconds(1)))
        try set(CURLOPT_TIMEOUT_MS, Int(totalTimeout / .milliseconds(1)))
        try check(closer_curl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, state.errorBuffer))
        if let caFile { try set(CURLOPT_CAINFO, caFile) }
        if let username { try set(CURLOPT_USERNAME, username) }
        if let password { try set(CURLOPT_PASSWORD, password) }

        let context = Unmanaged.passUnretained(state).toOpaque()
        switch kind {
        case .smtp(let from, let to, let requireTLS):
            try set(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
            // STARTTLS where offered; required when asked to, or when a password would cross the wire.
            let tls = requireTLS || password != nil ? CURLUSESSL_ALL : CURLUSESSL_TRY
            try set(CURLOPT_USE_SSL, Int(tls.rawValue))
            try set(CURLOPT_MAIL_FROM, "<\(from)>")
            for address in to { recipients = curl_slist_append(recipients, "<\(address)>") }
            try check(closer_curl_easy_setopt_slist(easy, CURLOPT_MAIL_RCPT, recipients))
            try set(CURLOPT_UPLOAD, 1)
            try check(closer_curl_easy_setopt_off_t(easy, CURLOPT_INFILESIZE_LARGE, curl_off_t(payload.count)))
            try check(closer_curl_easy_setopt_data_callback(easy, CURLOPT_READFUNCTION) { buffer, size, count, context in
                let state = Unmanaged<TransferState>.fromOpaque(context!).takeUnretainedValue()
                return state.read(into: buffer, capacity: size * count)
            })
            try check(closer_curl_easy_setopt_pointer(easy, CURLOPT_READDATA, context))
        case .http(let method, let extra):
            try set(CURLOPT_PROTOCOLS_STR, "http,https")
            if method == "GET" {
                try set(CURLOPT_HTTPGET, 1)
            } else {
                try set(CURLOPT_POST, 1)
                if method != "POST" { try set(CURLOPT_CUSTOMREQUEST, method) }
                try check(closer_curl_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(payload.count)))
                try payload.withUnsafeBytes { bytes in
                    let base = UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(state.errorBuffer))
                    try check(closer_curl_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, base))
                }
            }
            for (name, value) in extra + [("Expect", "")] { headers = curl_slist_append(headers, "\(name): \(value)") }
            try check(closer_curl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, headers))
        }
        try check(closer_curl_easy_setopt_data_callback(easy, CURLOPT_WRITEFUNCTION) { buffer, size, count, context in
            let state = Unmanaged<TransferState>.fromOpaque(context!).takeUnretainedValue()
            let length = size * count
            if let buffer { state.response.append(UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self), count: length) }
            return length
        })
        try check(closer_curl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, context))

        let code = curl_easy_perform(easy)
        var responseCode = 0
        _ = closer_curl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &responseCode)
        let detail = String(cString: state.errorBuffer)
        let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        return Result(code: code, responseCode: responseCode, body: state.response, message: message)
    }

    private func check(_ code: CURLcode) throws {
        guard code == CURLE_OK else { throw TransferError("libcurl refused an option: \(String(cString: curl_easy_strerror(code)))") }
    }

    struct TransferError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

/// What libcurl's callbacks read from and write to during one blocking transfer.
private final class TransferState {
    let payload: Data
    var offset = 0
    var response = Data()
    let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    init(payload: Data) {
        self.payload = payload
        errorBuffer.initialize(to: 0)
    }

    deinit { errorBuffer.deallocate() }

    func read(into buffer: UnsafeMutablePointer<CChar>?, capacity: Int) -> Int {
        guard let buffer, offset < payload.count else { return 0 }
        let length = min(capacity, payload.count - offset)
        payload.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress else { return }
            UnsafeMutableRawPointer(buffer).copyMemory(from: base + offset, byteCount: length)
        }
        offset += length
        return length
    }
}
