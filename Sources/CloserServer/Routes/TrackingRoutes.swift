import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /t/o/{trackingId}.gif` (the open pixel) and `GET /t/c/{token}` (a tracked link).
///
/// The pixel always answers the same uncacheable 1x1 GIF, for known and unknown ids alike, so
/// it tells a prober nothing. The link answers 302 to the URL stored under exactly that token, or
/// 404: no parameter, path or encoding can make it redirect anywhere else. Both hand the hit to
/// the `TrackingRecorder` and answer without waiting for the write.
struct TrackingRoutes {
    let database: Database
    let recorder: TrackingRecorder
    let configuration: TrackingConfiguration

    /// GIF89a, 1x1, one transparent pixel.
    static let pixel: [UInt8] = [
        0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
        0xFF, 0xFF, 0xFF, 0x21, 0xF9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00,
        0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B,
    ]

    private static let noStore: HTTPFields = [
        .cacheControl: "no-store, no-cache, must-revalidate, private, max-age=0",
        .pragma: "no-cache",
        .expires: "0",
    ]

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("t/o/:file") { request, context in open(request, context) }
        router.head("t/o/:file") { request, context in open(request, context) }
        router.get("t/c/:token") { request, context in try await click(request, context) }
        router.head("t/c/:token") { request, context in try await click(request, context) }
    }

    private func open(_ request: Request, _ context: AppRequestContext) -> Response {
        if let file = context.parameters.get("file"), file.hasSuffix(".gif") {
            let trackingId = String(file.dropLast(4))
            if Self.isTrackingId(trackingId) {
                recorder.record(hit(.open(trackingId: trackingId), request, context))
            }
        }
        var headers = Self.noStore
        headers[.contentType] = "image/gif"
        headers[.contentLength] = "\(Self.pixel.count)"
        return Response(status: .ok, headers: headers, body: request.method == .head ? .init() : .init(byteBuffer: ByteBuffer(bytes: Self.pixel)))
    }

    private func click(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let token = context.parameters.get("token"), Self.isLinkToken(token),
              let link = try await database.read({ db in try await TrackingStore(db: db).link(token: token) }),
              Self.isWebURL(link.url)
        else {
            throw APIError.notFound("link")
        }
        recorder.record(hit(.click(link: link), request, context))
        var headers = Self.noStore
        headers[.location] = link.url
        headers[.referrerPolicy] = "no-referrer"
        return Response(status: .found, headers: headers)
    }

    private func hit(_ target: TrackingRecorder.Hit.Target, _ request: Request, _ context: AppRequestContext) -> TrackingRecorder.Hit {
        let ip = ClientAddress.resolve(
            peer: context.remoteAddress, forwardedFor: request.headers[.forwardedFor],
            trustedProxies: configuration.trustedProxies, anonymize: configuration.anonymizeIP
        )
        return TrackingRecorder.Hit(target: target, isHead: request.method == .head, ip: ip, userAgent: request.headers[.userAgent], at: Date())
    }

    /// 128-bit lowercase hex, as `SecureToken.randomHex(bytes: 16)` makes them.
    static func isTrackingId(_ value: String) -> Bool {
        value.utf8.count == 32 && value.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// base64url, as `SecureToken.random(bytes:)` makes them.
    static func isLinkToken(_ value: String) -> Bool {
        (16...64).contains(value.utf8.count)
            && value.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || $0 == 0x2D || $0 == 0x5F }
    }

    /// The stored URL is one the link scanner found (http or https); checked again before use.
    static func isWebURL(_ value: String) -> Bool {
        let lowered = value.lowercased()
        return (lowered.hasPrefix("http://") || lowered.hasPrefix("https://")) && !value.contains(where: { $0.isNewline })
    }
}
