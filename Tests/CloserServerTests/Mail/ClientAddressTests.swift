@testable import CloserServer
import Foundation
import NIOCore
import Testing

/// Which IP a tracking hit is recorded with: only a configured proxy may speak for the client.
@Suite("Tracking client address")
struct ClientAddressTests {
    let proxy = try! SocketAddress(ipAddress: "10.0.0.5", port: 443)
    let stranger = try! SocketAddress(ipAddress: "203.0.113.9", port: 5555)

    @Test("X-Forwarded-For is ignored unless the peer is a trusted proxy")
    func untrustedPeer() {
        #expect(ClientAddress.resolve(peer: stranger, forwardedFor: "198.51.100.1", trustedProxies: ["10.0.0.5"], anonymize: false) == "203.0.113.9")
        #expect(ClientAddress.resolve(peer: proxy, forwardedFor: "198.51.100.1", trustedProxies: [], anonymize: false) == "10.0.0.5")
    }

    @Test("behind trusted proxies, the nearest untrusted hop counts, not a spoofed left-most entry")
    func trustedChain() {
        let chain = "1.2.3.4, 198.51.100.1, 10.0.0.6"
        #expect(ClientAddress.resolve(peer: proxy, forwardedFor: chain, trustedProxies: ["10.0.0.5", "10.0.0.6"], anonymize: false) == "198.51.100.1")
        #expect(ClientAddress.resolve(peer: proxy, forwardedFor: "<script>", trustedProxies: ["10.0.0.5"], anonymize: false) == nil)
    }

    @Test("--anonymize-ip keeps a /24 of IPv4 and a /48 of IPv6")
    func anonymized() {
        #expect(ClientAddress.truncated("198.51.100.77") == "198.51.100.0")
        #expect(ClientAddress.truncated("2001:db8:85a3:8d3:1319:8a2e:370:7348") == "2001:db8:85a3::")
        #expect(ClientAddress.resolve(peer: stranger, forwardedFor: nil, trustedProxies: [], anonymize: true) == "203.0.113.0")
    }

    @Test("the classifier: HEAD, the window and scanner agents are machines; Gmail's proxy and a browser are people")
    func classifier() {
        var configuration = TrackingConfiguration()
        configuration.machineOpenWindow = .seconds(2)
        let classifier = TrafficClassifier(configuration: configuration)
        let sent = Date(timeIntervalSince1970: 1_000)
        let later = sent.addingTimeInterval(60)
        let browser = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"
        #expect(classifier.classify(isHead: false, userAgent: browser, sentAt: sent, at: later) == .human)
        #expect(classifier.classify(isHead: true, userAgent: browser, sentAt: sent, at: later) != .human)
        #expect(classifier.classify(isHead: false, userAgent: browser, sentAt: sent, at: sent.addingTimeInterval(1)) != .human)
        #expect(classifier.classify(isHead: false, userAgent: "Mozilla/5.0 (compatible; proofpoint)", sentAt: sent, at: later) != .human)
        #expect(classifier.classify(isHead: false, userAgent: "Mozilla/5.0 (via ggpht.com GoogleImageProxy)", sentAt: sent, at: later) == .human)
    }
}
