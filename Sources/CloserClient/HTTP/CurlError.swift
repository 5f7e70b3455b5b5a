import CCurl

/// A transfer that failed below HTTP: no connection, a timeout, a TLS failure, a proxy refusing.
/// `message` is libcurl's own detailed description (its error buffer), not just the code's name.
public struct CurlError: Error, Sendable, CustomStringConvertible {
    /// libcurl's `CURLcode`.
    public let code: Int
    public let message: String

    init(code: CURLcode, detail: String) {
        self.code = Int(code.rawValue)
        let summary = String(cString: curl_easy_strerror(code))
        message = detail.isEmpty ? summary : "\(summary): \(detail)"
    }

    /// The server could not be reached at all (as opposed to answering badly).
    public var isConnectionFailure: Bool {
        [CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_OPERATION_TIMEDOUT,
         CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING].map { Int($0.rawValue) }.contains(code)
    }

    public var description: String { message }
}
