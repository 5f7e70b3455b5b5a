import CloserCore
import Foundation

/// Tells a person's open or click from a machine's: a mail server or security gateway fetching
/// images and scanning links as the email arrives, a link-preview bot, a HEAD request. Machine
/// hits are recorded (flagged) but set no "Read at", ring no bell and count in no rate.
struct TrafficClassifier: Sendable {
    let configuration: TrackingConfiguration

    enum Verdict: Equatable, Sendable {
        case human
        case machine(reason: String)
    }

    func classify(isHead: Bool, userAgent: String?, sentAt: Date, at: Date) -> Verdict {
        if isHead { return .machine(reason: "HEAD request") }
        let window = configuration.machineOpenWindow.timeInterval
        if at.timeIntervalSince(sentAt) < window { return .machine(reason: "within \(window) s of sending") }
        guard let userAgent, !userAgent.isEmpty else { return .human }
        let lowered = userAgent.lowercased()
        // Gmail and Yahoo fetch images through their proxies when the person opens the email.
        if configuration.humanProxyUserAgents.contains(where: { lowered.contains($0.lowercased()) }) { return .human }
        if let fragment = configuration.machineUserAgents.first(where: { lowered.contains($0.lowercased()) }) {
            return .machine(reason: "user agent matches \"\(fragment)\"")
        }
        return .human
    }
}
