import AsyncHTTPClient
import CloserCore
import NIOCore
import NIOHTTP1

/// Fires one event through REST: `POST /api/drafts/:leadId {"content","channel":"email"}`, which
/// closer-server turns into exactly one `drafts_updated` event for the rep (and the baseline server
/// into one emit to its room).
struct Trigger: Sendable {
    let http: HTTPClient
    let url: String
    let token: String

    init(http: HTTPClient, baseURL: String, token: String, leadId: String) {
        self.http = http
        self.url = baseURL + "/api/drafts/" + leadId
        self.token = token
    }

    /// Sends the request and waits for a 2xx answer, whose body is read and dropped.
    func fire(_ mark: EventMark) async throws {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer " + token)
        request.headers.add(name: "Content-Type", value: "application/json")
        let body = JSONValue.object(["content": .string(mark.content), "channel": .string("email")]).serialized()
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await http.execute(request, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 1 << 20)
        guard (200..<300).contains(response.status.code) else {
            throw TriggerFailure(status: Int(response.status.code))
        }
    }
}

/// A REST trigger that was not answered with 2xx.
struct TriggerFailure: Error, CustomStringConvertible {
    let status: Int
    var description: String { "the trigger was answered \(status)" }
}
