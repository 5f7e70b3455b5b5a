import Foundation
import NIOCore

/// The address a tracking hit came from: the socket's peer, or, when that peer is a configured
/// reverse proxy, the nearest address in `X-Forwarded-For` that is not one of ours. Anything else
/// would let a recipient write any IP they like into the record.
enum ClientAddress {
    static func resolve(peer: SocketAddress?, forwardedFor: String?, trustedProxies: Set<String>, anonymize: Bool) -> String? {
        guard var address = peer?.ipAddress else { return nil }
        if trustedProxies.contains(address), let forwardedFor {
            let chain = forwardedFor.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            // Walk from the right (the hop nearest us) past our own proxies.
            for hop in chain.reversed() {
                address = hop
                if !trustedProxies.contains(hop) { break }
            }
        }
        guard address.count <= 64, address.allSatisfy({ $0.isHexDigit || $0 == "." || $0 == ":" }) else { return nil }
        return anonymize ? truncated(address) : address
    }

    /// IPv4 with the last octet zeroed; IPv6 with only the first 48 bits (a site, not a host).
    static func truncated(_ address: String) -> String {
        if address.contains(":") {
            let groups = address.split(separator: ":", omittingEmptySubsequences: false).prefix(3)
            return groups.map { $0.isEmpty ? "0" : String($0) }.joined(separator: ":") + "::"
        }
        var octets = address.split(separator: ".").map(String.init)
        guard octets.count == 4 else { return address }
        octets[3] = "0"
        return octets.joined(separator: ".")
    }
}
