import Foundation

/// A small RFC 2047 decoder written apart from ``EncodedWord``, so round trips check the encoder
/// against the standard rather than against itself.
enum MailTestHeaderDecoder {
    /// The text a folded header value stands for: folds removed, encoded words (B or Q, UTF-8)
    /// decoded, and whitespace between two adjacent encoded words dropped as RFC 2047 says.
    static func decode(_ value: String) -> String {
        let unfolded = value.replacingOccurrences(of: "\r\n", with: "")
        var result = ""
        var pendingWhitespace = ""
        var previousWasEncoded = false
        for token in tokens(unfolded) {
            if token.allSatisfy({ $0 == " " || $0 == "\t" }) {
                pendingWhitespace += token
                continue
            }
            if let decoded = decodeWord(token) {
                if !previousWasEncoded { result += pendingWhitespace }
                result += decoded
                previousWasEncoded = true
            } else {
                result += pendingWhitespace + token
                previousWasEncoded = false
            }
            pendingWhitespace = ""
        }
        return result + pendingWhitespace
    }

    /// The decoded text of each encoded word on its own, or `nil` for a word that is not valid
    /// UTF-8 by itself (one that split a character).
    static func decodeEachWord(_ value: String) -> [String?] {
        words(value).map { word in
            guard let bytes = wordBytes(word) else { return nil }
            return String(validating: bytes, as: UTF8.self)
        }
    }

    /// Every `=?...?=` encoded word in a header value, in order.
    static func words(_ value: String) -> [String] {
        tokens(value.replacingOccurrences(of: "\r\n", with: "")).filter { wordBytes($0) != nil }
    }

    /// Runs of whitespace and runs of anything else.
    private static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        for character in text {
            let isSpace = character == " " || character == "\t"
            if let last = tokens.last, let lastCharacter = last.last,
               (lastCharacter == " " || lastCharacter == "\t") == isSpace {
                tokens[tokens.count - 1].append(character)
            } else {
                tokens.append(String(character))
            }
        }
        return tokens
    }

    private static func decodeWord(_ word: String) -> String? {
        wordBytes(word).map { String(decoding: $0, as: UTF8.self) }
    }

    private static func wordBytes(_ word: String) -> [UInt8]? {
        guard word.hasPrefix("=?"), word.hasSuffix("?="), word.count >= 8 else { return nil }
        let fields = word.dropFirst(2).dropLast(2).split(separator: "?", omittingEmptySubsequences: false)
        guard fields.count == 3, fields[0].uppercased() == "UTF-8" else { return nil }
        switch fields[1].uppercased() {
        case "B": return Data(base64Encoded: String(fields[2])).map { Array($0) }
        case "Q": return qBytes(fields[2])
        default: return nil
        }
    }

    private static func qBytes(_ text: Substring) -> [UInt8]? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "_") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "=") {
                guard let high = iterator.next(), let low = iterator.next(),
                      let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else { return nil }
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return bytes
    }
}
