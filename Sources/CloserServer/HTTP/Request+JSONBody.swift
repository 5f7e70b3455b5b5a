import CloserCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension Request {
    /// Reads and decodes a JSON body, turning every way it can be wrong into a 4xx that names the
    /// field and the reason: too large (413), not UTF-8, not JSON, wrong type, unknown enum value.
    mutating func decodeJSON<Body: Decodable>(_ type: Body.Type, limit: Int) async throws -> Body {
        try Self.decodeJSON(type, from: try await collectJSONBody(limit: limit))
    }

    /// The raw body, checked to be within `limit`, UTF-8 and not empty (a signed webhook needs
    /// the exact bytes before it decodes them).
    mutating func collectJSONBody(limit: Int) async throws -> Data {
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw APIError(.contentTooLarge, code: "body_too_large", message: "the request body is larger than \(limit) bytes")
        }
        let bytes = buffer.readableBytesView
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw APIError(.badRequest, code: "invalid_utf8", message: "the request body is not valid UTF-8")
        }
        guard !bytes.isEmpty else {
            throw APIError(.badRequest, code: "invalid_json", message: "the request body is empty; a JSON object was expected")
        }
        return Data(bytes)
    }

    static func decodeJSON<Body: Decodable>(_ type: Body.Type, from data: Data) throws -> Body {
        do {
            return try CloserJSON.decoder().decode(Body.self, from: data)
        } catch let error as DecodingError {
            throw APIError.from(error)
        }
    }
}

extension APIError {
    /// A 400 that names the field at fault, from Foundation's decoding error.
    static func from(_ error: DecodingError) -> APIError {
        func path(_ codingPath: [any CodingKey], appending key: (any CodingKey)? = nil) -> String {
            let keys = codingPath + (key.map { [$0] } ?? [])
            return keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
                .joined(separator: ".")
                .replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .invalid(path(context.codingPath, appending: key), "is required")
        case .typeMismatch(let type, let context):
            return .invalid(path(context.codingPath), "must be \(describe(type))")
        case .valueNotFound(let type, let context):
            return .invalid(path(context.codingPath), "must be \(describe(type)), not null")
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return APIError(.badRequest, code: "invalid_json", message: "the request body is not valid JSON")
        case .dataCorrupted(let context):
            return .invalid(path(context.codingPath), context.debugDescription)
        @unknown default:
            return APIError(.badRequest, code: "invalid_json", message: "the request body could not be read")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is [Any].Type: "an array"
        case is [String: Any].Type: "an object"
        default: "a valid value"
        }
    }
}

/// A JSON answer with a chosen status.
struct JSONResponse<Body: Encodable & Sendable>: ResponseGenerator {
    var status: HTTPResponse.Status = .ok
    let body: Body

    init(_ body: Body, status: HTTPResponse.Status = .ok) {
        self.body = body
        self.status = status
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        // Threads and lead lists write themselves (the same bytes, several times faster).
        let buffer = if let writable = body as? any JSONWritable {
            ByteBuffer(bytes: writable.jsonBytes())
        } else {
            ByteBuffer(bytes: try CloserJSON.encoder().encode(body))
        }
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: buffer)
        )
    }
}
