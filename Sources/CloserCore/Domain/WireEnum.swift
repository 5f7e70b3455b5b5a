import Foundation

/// A string enum that crosses the wire (JSON or SQL).
///
/// Decoding an unknown value fails with a message that lists the accepted values, so an API client
/// sees `channel: must be one of email, instagram, sms, whatsapp` rather than a generic error.
public protocol WireEnum: RawRepresentable<String>, CaseIterable, Codable, Sendable, Hashable {}

extension WireEnum {
    /// The accepted values, in declaration order, for error messages and documentation.
    public static var acceptedValues: String {
        allCases.map(\.rawValue).joined(separator: ", ")
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        guard let value = Self(rawValue: raw) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "must be one of \(Self.acceptedValues)"
            )
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
