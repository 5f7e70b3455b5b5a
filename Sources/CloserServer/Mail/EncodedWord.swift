import Foundation

/// RFC 2047 encoded words: how header text that is not plain ASCII travels through 7-bit mail.
///
/// Headers carry text people typed (subjects, display names), so everything here starts by removing
/// control characters: a CR or LF that reached a header would let the text start a header of its own
/// (`\r\nBcc: victim@example.com`). Only then is the text either left as ASCII, folded at spaces, or
/// turned into `=?UTF-8?B?...?=` words.
///
/// Words use the B (base64) encoding: unlike Q it is valid in every place a header can hold text,
/// display names included, and it is shorter for the CJK and emoji text it is mostly needed for.
enum EncodedWord {
    /// The line length RFC 5322 asks every header line to keep to, CRLF excluded.
    static let lineLimit = 78
    /// The longest encoded word RFC 2047 allows, delimiters included.
    static let wordLimit = 75

    /// Header-safe text for a field whose name is `headerNameLength` characters long (7 for
    /// `Subject`; the `: ` after it is accounted for here).
    ///
    /// ASCII text is kept as it is, folded at spaces when it is long; text with non-ASCII characters,
    /// or with `=?` that a reader would mistake for an encoded word, becomes encoded words. Either
    /// way every line fits ``lineLimit`` (unless `headerNameLength` alone nearly fills it), and
    /// continuation lines start with a space, so unfolding gives back the text.
    static func encode(_ text: String, headerNameLength: Int) -> String {
        let clean = removingControls(text)
        if !needsEncoding(clean),
           let folded = foldedAtSpaces(clean, firstLineBudget: lineLimit - headerNameLength - 2) {
            return folded
        }
        return encodedWords(clean, headerNameLength: headerNameLength)
    }

    /// The text as encoded words only, for places that must not hold raw text, such as a display
    /// name too long to quote on one line.
    ///
    /// Each word holds whole grapheme clusters, so a reader that decodes words one by one never
    /// shows half an emoji; only a cluster too big for one word is split, and then between scalars,
    /// never inside a UTF-8 sequence.
    static func encodedWords(_ text: String, headerNameLength: Int) -> String {
        let clean = removingControls(text)
        let laterCapacity = byteCapacity(wordLength: min(wordLimit, lineLimit - 1))
        // A 4-byte floor keeps any scalar encodable even after an absurdly long field name.
        var capacity = max(4, byteCapacity(wordLength: min(wordLimit, lineLimit - headerNameLength - 2)))
        var words: [[UInt8]] = []
        var current: [UInt8] = []

        func startNewWord() {
            guard !current.isEmpty else { return }
            words.append(current)
            current = []
            capacity = laterCapacity
        }

        for grapheme in clean {
            let bytes = Array(String(grapheme).utf8)
            if current.count + bytes.count <= capacity {
                current += bytes
            } else if !current.isEmpty && bytes.count <= laterCapacity {
                startNewWord()
                current = bytes
            } else {
                for scalar in grapheme.unicodeScalars {
                    let scalarBytes = Array(String(scalar).utf8)
                    if current.count + scalarBytes.count > capacity { startNewWord() }
                    current += scalarBytes
                }
            }
        }
        startNewWord()
        return words
            .map { "=?UTF-8?B?\(Data($0).base64EncodedString())?=" }
            .joined(separator: "\r\n ")
    }

    /// Whether header text cannot be written as it is: it has non-ASCII characters, or `=?` that a
    /// reader would try to decode as an encoded word.
    static func needsEncoding(_ text: String) -> Bool {
        !text.unicodeScalars.allSatisfy(\.isASCII) || text.contains("=?")
    }

    /// The text with every control character gone, so it can never end a header line.
    ///
    /// Line breaks and tabs become one space each (CRLF counts as one break), because a pasted
    /// subject `Hello\nWorld` means `Hello World`, not `HelloWorld`; other controls (NUL, ESC, DEL,
    /// C1) are dropped.
    static func removingControls(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            defer { previous = scalar }
            if scalar == "\n" && previous == "\r" { continue }
            if breakingScalars.contains(scalar) {
                result.append(" ")
            } else if scalar.properties.generalCategory != .control {
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// Scalars that separate words or lines; they become a space rather than vanish.
    private static let breakingScalars: Set<Unicode.Scalar> = [
        "\t", "\n", "\u{0B}", "\u{0C}", "\r", "\u{85}", "\u{2028}", "\u{2029}",
    ]

    /// How many UTF-8 bytes fit in one `=?UTF-8?B?...?=` word of at most `wordLength` characters.
    private static func byteCapacity(wordLength: Int) -> Int {
        let delimiters = "=?UTF-8?B?".count + "?=".count
        return max(0, (wordLength - delimiters) / 4) * 3
    }

    /// ASCII text folded before spaces so each line fits, or `nil` when a single word is too long
    /// for a line and the text has to be encoded instead.
    ///
    /// Folding only adds CRLF before a space that is already there, so unfolding gives back the
    /// text; that holds inside a quoted-string too, which is how long display names use it.
    static func foldedAtSpaces(_ text: String, firstLineBudget: Int) -> String? {
        var lines: [String] = []
        var current = ""
        var budget = firstLineBudget
        for token in foldableTokens(text) {
            if !current.isEmpty && current.count + token.count > budget {
                lines.append(current)
                current = ""
                budget = lineLimit
            }
            current += token
            if current.count > budget { return nil }
        }
        lines.append(current)
        return lines.joined(separator: "\r\n")
    }

    /// The text cut before each run of spaces, so a fold there keeps the spaces on the new line and
    /// every folded line has something besides spaces. Trailing spaces stay with the last word.
    private static func foldableTokens(_ text: String) -> [Substring] {
        guard let lastWord = text.lastIndex(where: { $0 != " " }) else { return [text[...]] }
        var tokens: [Substring] = []
        var tokenStart = text.startIndex
        var index = text.startIndex
        while index < lastWord {
            let next = text.index(after: index)
            if text[index] != " ", text[next] == " " {
                tokens.append(text[tokenStart..<next])
                tokenStart = next
            }
            index = next
        }
        if tokenStart < text.endIndex { tokens.append(text[tokenStart...]) }
        return tokens
    }
}
