import Foundation

/// The one JSON dialect both programs speak: camelCase keys, ISO 8601 dates with milliseconds
/// (so messages written in the same second still sort), sorted keys for stable output.
public enum CloserJSON {
    /// An encoder for API bodies, events and the cache.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(formatDate(date))
        }
        return encoder
    }

    /// A decoder that accepts ISO 8601 dates with or without fractional seconds.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parseDate(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container,
                    debugDescription: "must be an ISO 8601 date such as 2026-11-24T09:30:00Z"
                )
            }
            return date
        }
        return decoder
    }

    /// Formats a date as `2026-11-24T09:30:00.123Z`.
    public static func formatDate(_ date: Date) -> String {
        date.formatted(fractionalFormat)
    }

    /// Parses `2026-11-24T09:30:00Z` or `2026-11-24T09:30:00.123Z` (any offset).
    public static func parseDate(_ text: String) -> Date? {
        if let date = try? fractionalFormat.parse(text) { return date }
        return try? wholeSecondFormat.parse(text)
    }

    private static let fractionalFormat = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let wholeSecondFormat = Date.ISO8601FormatStyle()
}
