import HTTPTypes

extension HTTPField.Name {
    // Valid header names by construction (RFC 9110 tokens), so the failable initialiser cannot fail.
    static let pragma = HTTPField.Name("Pragma") ?? .via
    static let forwardedFor = HTTPField.Name("X-Forwarded-For") ?? .via
    static let referrerPolicy = HTTPField.Name("Referrer-Policy") ?? .via
    static let closerTimestamp = HTTPField.Name("X-Closer-Timestamp") ?? .via
    static let closerSignature = HTTPField.Name("X-Closer-Signature") ?? .via
}
