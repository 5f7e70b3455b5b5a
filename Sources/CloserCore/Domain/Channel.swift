/// A messaging channel a lead can be reached on.
public enum Channel: String, WireEnum {
    case email
    case instagram
    case sms
    case whatsapp

    /// Whether messages on this channel carry a subject line.
    public var hasSubject: Bool { self == .email }
}
