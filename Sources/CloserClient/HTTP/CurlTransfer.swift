import CCurl
import Foundation

/// One request in flight: its easy handle, what it sends, what has come back, and the continuation
/// to resume. Created on the caller's thread, then touched only by the curl thread until it
/// finishes, which is why it can be `@unchecked Sendable`.
final class CurlTransfer: @unchecked Sendable {
    let id: UInt64
    let easy: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    private var body: [UInt8] = []
    private var headers: [String: String] = [:]
    private var continuation: CheckedContinuation<HTTPResponseData, any Error>?

    init(id: UInt64, request: HTTPRequestSpec, configuration: HTTPClientConfiguration,
         continuation: CheckedContinuation<HTTPResponseData, any Error>) throws {
        guard let easy = curl_easy_init() else { throw CurlError(code: CURLE_OUT_OF_MEMORY, detail: "") }
        self.id = id
        self.easy = easy
        self.continuation = continuation
        errorBuffer.initialize(to: 0)

        try set(CURLOPT_URL, request.url)
        // Only the web: no file://, no gopher:// from a config file or a redirect.
        try set(CURLOPT_PROTOCOLS_STR, "http,https")
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_CONNECTTIMEOUT_MS, Int(configuration.connectTimeout / .milliseconds(1)))
        try set(CURLOPT_TIMEOUT_MS, Int(configuration.totalTimeout / .milliseconds(1)))
        try set(CURLOPT_USERAGENT, configuration.userAgent)
        try set(CURLOPT_ACCEPT_ENCODING, "")
        try set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
        try check(closer_curl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer))

        switch request.method {
        case "GET": try set(CURLOPT_HTTPGET, 1)
        case "POST": try set(CURLOPT_POST, 1)
        default: try set(CURLOPT_CUSTOMREQUEST, request.method)
        }
        // A POST without a body must still say so: libcurl otherwise reads the body from its
        // default read function, which is stdin, and would eat the terminal's keystrokes.
        if let payload = request.body ?? (request.method == "GET" ? nil : []) {
            try check(closer_curl_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(payload.count)))
            // COPYPOSTFIELDS copies the bytes, so nothing here has to outlive this call.
            try payload.withUnsafeBytes { bytes in
                let base = UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(errorBuffer))
                try check(closer_curl_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, base))
            }
        }
        // An empty `Expect:` stops libcurl from waiting for "100 Continue" on larger bodies.
        for header in request.headers + [("Expect", "")] {
            headerList = curl_slist_append(headerList, "\(header.0): \(header.1)")
        }
        try check(closer_curl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList))

        let context = Unmanaged.passUnretained(self).toOpaque()
        try check(closer_curl_easy_setopt_data_callback(easy, CURLOPT_WRITEFUNCTION) { buffer, size, count, context in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
            let length = size * count
            if let buffer { transfer.body.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: length)) }
            return length
        })
        try check(closer_curl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, context))
        try check(closer_curl_easy_setopt_data_callback(easy, CURLOPT_HEADERFUNCTION) { buffer, size, count, context in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
            let length = size * count
            if let buffer { transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: buffer, count: length)) }
            return length
        })
        try check(closer_curl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, context))
    }

    deinit {
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    /// The transfer ended with `code`: resume the caller with the response or the error.
    func complete(_ code: CURLcode) {
        guard code == CURLE_OK else {
            finish(.failure(CurlError(code: code, detail: String(cString: errorBuffer))))
            return
        }
        var status = 0
        _ = closer_curl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        finish(.success(HTTPResponseData(status: status, headers: headers, body: body)))
    }

    func finish(_ result: Result<HTTPResponseData, any Error>) {
        continuation?.resume(with: result)
        continuation = nil
    }

    private func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        let line = String(decoding: bytes, as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            // A new response (after a 100 Continue, or a proxy's CONNECT answer): start over.
            headers = [:]
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        headers[name] = value
    }

    private func set(_ option: CURLoption, _ value: String) throws {
        try check(closer_curl_easy_setopt_string(easy, option, value))
    }

    private func set(_ option: CURLoption, _ value: Int) throws {
        try check(closer_curl_easy_setopt_long(easy, option, value))
    }

    private func check(_ code: CURLcode) throws {
        guard code == CURLE_OK else { throw CurlError(code: code, detail: "setting up the request") }
    }
}
