import Foundation

/// The web links in a rep's plain text, found so they can be swapped for click-tracking links.
///
/// Reps paste links into prose, so the rules follow how people write rather than RFC 3986:
/// a link starts at `http://` or `https://` (any case) and runs to whitespace, `<`, `>` or `"`;
/// sentence punctuation after it (`.,;:!?'`) is not part of it, nor is a closing `)` or `]` that
/// no opening one inside the link balances. So `(see https://en.wikipedia.org/wiki/Mars_(planet)).`
/// yields `https://en.wikipedia.org/wiki/Mars_(planet)`. Other schemes (`javascript:`, `ftp://`,
/// `mailto:`) are never links here.
struct LinkScan: Sendable, Equatable {
    /// A run of the scanned text: prose to keep, or a link to rewrite.
    enum Segment: Sendable, Equatable {
        case text(String)
        case link(String)
    }

    /// The text in order; joining the segments gives the scanned text back.
    let segments: [Segment]

    /// Each distinct link, in the order it first appears, so a link written twice gets one token.
    var urls: [String] {
        var seen = Set<String>()
        return segments.compactMap { segment in
            guard case .link(let url) = segment, seen.insert(url).inserted else { return nil }
            return url
        }
    }

    /// Finds the links in `text`.
    static func scan(_ text: String) -> LinkScan {
        let characters = Array(text)
        var segments: [Segment] = []
        var textStart = 0
        var index = 0
        while index < characters.count {
            guard let end = linkEnd(in: characters, startingAt: index) else {
                index += 1
                continue
            }
            if textStart < index { segments.append(.text(String(characters[textStart..<index]))) }
            segments.append(.link(String(characters[index..<end])))
            index = end
            textStart = end
        }
        if textStart < characters.count { segments.append(.text(String(characters[textStart...]))) }
        return LinkScan(segments: segments)
    }

    /// The scanned text with every link replaced by what `replacement` returns for it.
    func text(replacingURLs replacement: (String) -> String) -> String {
        segments.map { segment in
            switch segment {
            case .text(let text): text
            case .link(let url): replacement(url)
            }
        }.joined()
    }

    private static let schemes = [Array("http://"), Array("https://")]
    private static let trailingPunctuation: Set<Character> = [".", ",", ";", ":", "!", "?", "'"]
    private static let closingBrackets: [Character: Character] = [")": "(", "]": "["]

    /// The end of the link starting at `start`, or `nil` when no link starts there.
    private static func linkEnd(in characters: [Character], startingAt start: Int) -> Int? {
        guard let scheme = schemes.first(where: { hasPrefix($0, in: characters, at: start) }) else {
            return nil
        }
        var end = start + scheme.count
        while end < characters.count, !endsLink(characters[end]) { end += 1 }
        end = trimmedEnd(characters, start: start, end: end)
        return end > start + scheme.count ? end : nil
    }

    private static func hasPrefix(_ prefix: [Character], in characters: [Character], at start: Int) -> Bool {
        guard start + prefix.count <= characters.count else { return false }
        return zip(prefix, characters[start...]).allSatisfy { expected, actual in
            actual.lowercased() == String(expected)
        }
    }

    private static func endsLink(_ character: Character) -> Bool {
        character.isWhitespace || character == "<" || character == ">" || character == "\""
            || character.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    /// `end` moved back past punctuation that belongs to the sentence rather than to the link.
    ///
    /// Bracket counts are kept up to date while trimming, so a hostile run of `)))` costs linear time.
    private static func trimmedEnd(_ characters: [Character], start: Int, end: Int) -> Int {
        var counts: [Character: Int] = [:]
        for character in characters[start..<end] where "()[]".contains(character) {
            counts[character, default: 0] += 1
        }
        var end = end
        while end > start {
            let last = characters[end - 1]
            if let opening = closingBrackets[last] {
                guard counts[last, default: 0] > counts[opening, default: 0] else { break }
                counts[last, default: 0] -= 1
            } else if !trailingPunctuation.contains(last) {
                break
            }
            end -= 1
        }
        return end
    }
}
