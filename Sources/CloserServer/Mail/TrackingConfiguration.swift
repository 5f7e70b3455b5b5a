import Foundation

/// Open and click tracking, and the rules that tell a person from a machine. The defaults are the
/// documented ones (README, "Tracking rules"); every list and window can be changed.
public struct TrackingConfiguration: Sendable {
    /// Off: no pixel, no rewritten links (`--tracking off`).
    public var enabled = true
    /// Store IPv4 addresses with the last octet zeroed and IPv6 with only the first 48 bits.
    public var anonymizeIP = false
    /// Peers whose `X-Forwarded-For` is believed (a reverse proxy in front of the server).
    public var trustedProxies: Set<String> = []
    /// An open this soon after sending is a mail server or security gateway fetching images.
    public var machineOpenWindow: Duration = .seconds(2)
    /// User-agent fragments (case-insensitive) of link scanners and prefetchers; their hits are
    /// recorded as machine traffic. Gmail's image proxy is deliberately absent: it fetches when a
    /// person opens the email, so it is a real open.
    public var machineUserAgents: [String] = [
        "bot", "crawler", "spider", "scanner", "preview", "prefetch", "headlesschrome", "python-requests", "curl/", "wget/",
        "go-http-client", "java/", "libwww", "okhttp", "barracuda", "mimecast", "proofpoint", "symantec", "forcepoint",
        "microsoft office existence discovery", "ms-office", "outlook-ios-linkpreview", "slackbot", "facebookexternalhit",
        "twitterbot", "linkedinbot", "whatsapp", "skypeuripreview", "yahoo! slurp", "bingpreview",
    ]
    /// User-agent fragments of mail providers' image proxies that fetch when a person opens the
    /// email (Gmail's, Yahoo's): always a human open, checked before `machineUserAgents`.
    public var humanProxyUserAgents: [String] = ["googleimageproxy", "yahoomailproxy"]

    public init() {}
}
