import CloserCore
import Foundation
import Logging

/// Email without an SMTP server (the embedded default): each message becomes an `.eml` file in the
/// spool folder, the exact bytes SMTP would have carried, for a person to open in a mail reader.
struct SpoolChannelProvider: ChannelProvider {
    let name = "spool"
    let directory: String
    let renderer: EmailRenderer
    let logger: Logger

    func deliver(_ outbound: OutboundMessage) async -> DeliveryOutcome {
        let email: String
        do {
            email = try renderer.render(outbound)
        } catch {
            return .failed(reason: "could not compose the email: \(error)", retryable: false)
        }
        let path = "\(directory)/\(outbound.message.createdAt.millis)-\(outbound.message.id).eml"
        do {
            try DataDirectory.createPrivate(directory)
            // Written whole under a temporary name, then renamed: a reader never sees half a message.
            let temporary = path + ".part"
            guard FileManager.default.createFile(atPath: temporary, contents: Data(email.utf8), attributes: [.posixPermissions: 0o600]) else {
                return .failed(reason: "could not write \(temporary)", retryable: true)
            }
            guard rename(temporary, path) == 0 else {
                return .failed(reason: "could not move the spool file into place: \(String(cString: strerror(errno)))", retryable: true)
            }
            logger.info("email spooled (no SMTP configured)", metadata: ["message": "\(outbound.message.id)", "file": "\(path)"])
            return .sent
        } catch {
            return .failed(reason: "could not write the spool file: \(error)", retryable: true)
        }
    }
}
