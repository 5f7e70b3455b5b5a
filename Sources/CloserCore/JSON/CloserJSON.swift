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
        ISO8601.format(date)
    }

    /// Parses `2026-11-24T09:30:00Z`, `2026-11-24T09:30:00.123Z` or with an offset (`+02:00`).
    public static func parseDate(_ text: String) -> Date? {
        ISO8601.parse(text)
    }
}
