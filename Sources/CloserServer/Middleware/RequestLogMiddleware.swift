import CloserCore
import Foundation
import Hummingbird
import HTTPTypes
import Logging

/// One log line per request: method, path (never the query, which may carry secrets), status and
/// duration. Errors are logged with the status they will be answered with.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, status: response.status.code, since: start, logger: context.logger)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            log(request, status: status, since: start, logger: context.logger)
            throw error
        }
    }

    private func log(_ request: Request, status: Int, since start: ContinuousClock.Instant, logger: Logger) {
        let elapsed = ContinuousClock.now - start
        let milliseconds = elapsed.timeInterval * 1000
        logger.info("\(request.method.rawValue) \(Self.redactedPath(request.uri.path)) \(status) \(String(format: "%.1f", milliseconds))ms")
    }

    /// The path with tracking secrets shortened: a log reader should not be able to click as a lead.
    static func redactedPath(_ path: String) -> String {
        for prefix in ["/t/o/", "/t/c/"] where path.hasPrefix(prefix) {
            return prefix + String(path.dropFirst(prefix.count).prefix(6)) + "…"
        }
        return path
    }
}
