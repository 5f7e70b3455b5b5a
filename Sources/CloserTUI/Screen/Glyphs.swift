/// The symbols the UI draws with, in Unicode or in plain ASCII for terminals and locales that are
/// not UTF-8 (or when `ascii = true` in config.toml).
public struct Glyphs: Sendable, Equatable {
    public var horizontal: String
    public var vertical: String
    public var cornerTopLeft: String
    public var cornerTopRight: String
    public var cornerBottomLeft: String
    public var cornerBottomRight: String
    public var ellipsis: String
    public var linkClicked: String
    public var read: String
    public var unreadDot: String
    public var statusMarker: String
    public var newBelow: String
    public var sparkline: [String]
    public var channel: [String: String]
    public var inbound: String
    public var outbound: String
    public var queued: String
    public var failed: String
    /// Between parts of one line: " · ".
    public var separator: String
    public var online: String
    public var offline: String

    public static let unicode = Glyphs(
        horizontal: "─", vertical: "│", cornerTopLeft: "┌", cornerTopRight: "┐", cornerBottomLeft: "└", cornerBottomRight: "┘",
        ellipsis: "…", linkClicked: "🔗", read: "✓", unreadDot: "●", statusMarker: "▌", newBelow: "↓",
        sparkline: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        channel: ["email": "✉", "instagram": "◎", "sms": "✆", "whatsapp": "◉"],
        inbound: "◀", outbound: "▶", queued: "◷", failed: "✗", separator: " · ", online: "●", offline: "○"
    )

    public static let ascii = Glyphs(
        horizontal: "-", vertical: "|", cornerTopLeft: "+", cornerTopRight: "+", cornerBottomLeft: "+", cornerBottomRight: "+",
        ellipsis: "...", linkClicked: "[link]", read: "v", unreadDot: "*", statusMarker: "|", newBelow: "v",
        sparkline: ["_", ".", "-", "-", "=", "=", "#", "#"],
        channel: ["email": "E", "instagram": "I", "sms": "S", "whatsapp": "W"],
        inbound: "<", outbound: ">", queued: "~", failed: "x", separator: " - ", online: "*", offline: "o"
    )

    /// Unicode when the locale's character set is UTF-8, ASCII otherwise.
    public static func forLocale(environment: [String: String]) -> Glyphs {
        let locale = environment["LC_ALL"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["LC_CTYPE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["LANG"] ?? ""
        let upper = locale.uppercased()
        return upper.contains("UTF-8") || upper.contains("UTF8") ? .unicode : .ascii
    }
}
