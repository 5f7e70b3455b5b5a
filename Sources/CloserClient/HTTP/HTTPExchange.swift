import Foundation

/// One HTTP request as the client sends it: no I/O, just what to send.
public struct HTTPRequestSpec: Sendable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?

    public init(method: String, url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// A complete HTTP response: status, headers (names lower-cased) and body.
public struct HTTPResponseData: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Timeouts and transport choices for every request of one `CurlHTTPClient`.
public struct HTTPClientConfiguration: Sendable {
    /// How long to wait for the TCP (and TLS) connection.
    public var connectTimeout: Duration = .seconds(5)
    /// The whole request, connection included.
    public var totalTimeout: Duration = .seconds(30)
    /// `User-Agent` sent with every request.
    public var userAgent = "closer"

    public init() {}
}
