import CloserCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An error answer: a status and the JSON body `{"error": {"code", "message", "field"}}`.
///
/// Messages never echo raw user input; field names come from our own coding keys.
public struct APIError: HTTPResponseError, Sendable, CustomStringConvertible {
    public let status: HTTPResponse.Status
    public let detail: APIErrorBody.Detail
    /// Extra headers, e.g. `Retry-After` on 429.
    public var headers: HTTPFields = [:]
    /// A body to send instead of the plain error shape (the 409 draft conflict carries the draft).
    var customBody: (any Encodable & Sendable)?

    public init(_ status: HTTPResponse.Status, code: String, message: String, field: String? = nil) {
        self.status = status
        self.detail = .init(code: code, message: message, field: field)
    }

    public var description: String { "\(status.code) \(detail.code): \(detail.message)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = CloserJSON.encoder()
        let data: Data
        if let customBody {
            data = try encoder.encode(customBody)
        } else {
            data = try encoder.encode(APIErrorBody.init(code: detail.code, message: detail.message, field: detail.field))
        }
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        fields[.cacheControl] = "no-store"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static let unauthorized = APIError(.unauthorized, code: "unauthorized", message: "a valid bearer token is required")

    /// A missing record, or another rep's: the two answer the same so ids leak nothing.
    static func notFound(_ what: String) -> APIError {
        APIError(.notFound, code: "not_found", message: "\(what) not found")
    }

    static func invalid(_ field: String, _ reason: String) -> APIError {
        APIError(.badRequest, code: "invalid_field", message: "\(field): \(reason)", field: field)
    }

    static func unprocessable(_ field: String, _ reason: String) -> APIError {
        APIError(.unprocessableContent, code: "unprocessable", message: "\(field): \(reason)", field: field)
    }

    static func conflict(code: String, message: String) -> APIError {
        APIError(.conflict, code: code, message: message)
    }
}
