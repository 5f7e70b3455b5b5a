import Foundation

/// RFC 2045 quoted-printable: how UTF-8 text bodies travel through 7-bit mail and stay readable.
///
/// Every encoded line is at most 76 characters of printable ASCII, so no relay rewraps or
/// re-encodes the body, and the 998-octet line limit of RFC 5322 can never be hit.
enum QuotedPrintable {
    /// The longest encoded line RFC 2045 allows, CRLF excluded.
    static let lineLimit = 76

    /// The UTF-8 text encoded, with lines ending in CRLF.
    ///
    /// Line breaks in the input (LF, CRLF or lone CR) all become CRLF line breaks. Long lines get
    /// soft breaks (`=` at the end of a line), placed between characters so neither an `=XX`
    /// triplet nor a multibyte character is split across lines. Spaces and tabs before a line
    /// break are encoded, because relays may strip trailing whitespace; so is a `.` starting a
    /// line, which a careless SMTP client could mistake for the end of the message.
    static func encode(_ text: String) -> String {
        lines(of: text).map(encodeLine).joined(separator: "\r\n")
    }

    /// The text a quoted-printable body stands for, with CRLF line breaks.
    ///
    /// Lenient in what it reads: soft breaks may end in CRLF or LF, hex digits may be lowercase,
    /// whitespace at the end of a line (added in transit) is dropped, and a malformed `=` is kept
    /// as it is. Bytes that are not UTF-8 become U+FFFD.
    static func decode(_ encoded: String) -> String {
        var bytes: [UInt8] = []
        let lines = encoded.replacingOccurrences(of: "\r\n", with: "\n").split(
            separator: "\n", omittingEmptySubsequences: false)
        for (number, line) in lines.enumerated() {
            var content = Array(line.utf8)
            while let last = content.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") {
                content.removeLast()
            }
            let isSoftBreak = content.last == UInt8(ascii: "=")
            if isSoftBreak { content.removeLast() }
            bytes += decodeEscapes(content)
            if !isSoftBreak && number < lines.count - 1 { bytes += [13, 10] }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The input's lines without their breaks, whichever of LF, CRLF or CR ended them.
    private static func lines(of text: String) -> [String] {
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            defer { previous = scalar }
            if scalar == "\n" && previous == "\r" { continue }
            if scalar == "\n" || scalar == "\r" {
                lines.append(String(current))
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
        }
        lines.append(String(current))
        return lines
    }

    /// One input line as one or more encoded lines joined by soft breaks.
    private static func encodeLine(_ line: String) -> String {
        let scalars = Array(line.unicodeScalars)
        var output = ""
        var lineLength = 0
        for (index, scalar) in scalars.enumerated() {
            let isLast = index == scalars.count - 1
            var unit = encoded(scalar, endsLine: isLast)
            // The last unit may use all 76 columns; any other must leave one for a soft break.
            let limit = isLast ? lineLimit : lineLimit - 1
            if lineLength + unit.count > limit {
                output += "=\r\n"
                lineLength = 0
            }
            if lineLength == 0 && scalar == "." { unit = "=2E" }
            output += unit
            lineLength += unit.count
        }
        return output
    }

    /// One scalar as it appears in the encoded body: itself if it is safe, otherwise one `=XX`
    /// triplet per UTF-8 byte.
    private static func encoded(_ scalar: Unicode.Scalar, endsLine: Bool) -> String {
        let isWhitespace = scalar == " " || scalar == "\t"
        let isPrintable = (33...126).contains(scalar.value) && scalar != "="
        if isPrintable || (isWhitespace && !endsLine) { return String(scalar) }
        return String(scalar).utf8.map { byte in
            "=" + String(hexDigits[Int(byte >> 4)]) + String(hexDigits[Int(byte & 0x0F)])
        }.joined()
    }

    private static let hexDigits = Array("0123456789ABCDEF")

    /// Bytes of one encoded line with `=XX` triplets turned back into the bytes they stand for.
    private static func decodeEscapes(_ content: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = 0
        while index < content.count {
            if content[index] == UInt8(ascii: "="), index + 2 < content.count,
               let high = hexValue(content[index + 1]), let low = hexValue(content[index + 2]) {
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(content[index])
                index += 1
            }
        }
        return bytes
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
