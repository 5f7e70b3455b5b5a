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

    /// Nothing answered at all (no route, refused, no such host): the request never reached a
    /// server, so it cannot have done anything there.
    public var isUnreachable: Bool {
        [CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY].map { Int($0.rawValue) }.contains(code)
    }

    public var description: String { message }
}
