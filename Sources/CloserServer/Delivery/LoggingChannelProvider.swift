import CloserCore
import Logging

/// The default provider for channels with nothing configured: it logs the delivery and reports
/// the message sent, so a new installation works end to end without outside accounts.
public struct LoggingChannelProvider: ChannelProvider {
    public let name = "log"
    let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    public func deliver(_ outbound: OutboundMessage) async -> DeliveryOutcome {
        logger.info("delivered (logging provider)", metadata: [
            "channel": "\(outbound.message.channel.rawValue)",
            "message": "\(outbound.message.id)",
            "lead": "\(outbound.lead.id)",
        ])
        return .sent
    }
}
