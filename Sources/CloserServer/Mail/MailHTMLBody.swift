import Foundation

/// The text/html alternative of a rep's plain-text email: the same words, with links clickable
/// and an optional open-tracking pixel.
///
/// The rep's text is never trusted as HTML: every character that means something in HTML is
/// escaped, so `<script>` arrives as the text `<script>`.
enum MailHTMLBody {
    /// A complete HTML document for the scanned text.
    ///
    /// Links become `<a href="tracked">original</a>`, using the original as the target when
    /// `trackedURL` has no entry for it. Line breaks become `<br>`, and spaces that HTML would
    /// collapse (indents, runs of spaces) become `&nbsp;` so the layout the rep typed survives.
    /// The document has no `<title>`, which HTML allows when, as here, the subject line gives one.
    static func document(for scan: LinkScan, trackedURL: [String: String], pixelURL: String?) -> String {
        var body = ""
        var atLineStartOrAfterSpace = true
        for segment in scan.segments {
            switch segment {
            case .text(let text):
                body += escapedText(text, atLineStartOrAfterSpace: &atLineStartOrAfterSpace)
            case .link(let url):
                let target = trackedURL[url] ?? url
                body += "<a href=\"\(escaped(target))\">\(escaped(url))</a>"
                atLineStartOrAfterSpace = false
            }
        }
        if let pixelURL {
            body += "\n<img src=\"\(escaped(pixelURL))\" width=\"1\" height=\"1\" alt=\"\" style=\"display:none\">"
        }
        return """
            <!DOCTYPE html>
            <html>
            <head>
            <meta charset="utf-8">
            </head>
            <body>
            \(body)
            </body>
            </html>

            """
    }

    /// Text made safe as HTML text and as a double- or single-quoted attribute value.
    static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            result += escapedCharacter(character) ?? String(character)
        }
        return result
    }

    private static func escapedCharacter(_ character: Character) -> String? {
        switch character {
        case "&": "&amp;"
        case "<": "&lt;"
        case ">": "&gt;"
        case "\"": "&quot;"
        case "'": "&#39;"
        default: nil
        }
    }

    /// Prose escaped, with its line breaks as `<br>` and its significant spaces as `&nbsp;`.
    private static func escapedText(_ text: String, atLineStartOrAfterSpace: inout Bool) -> String {
        var result = ""
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            defer { previous = scalar }
            switch scalar {
            case "\n" where previous == "\r":
                continue
            case "\n", "\r":
                result += "<br>\n"
                atLineStartOrAfterSpace = true
            case " ":
                result += atLineStartOrAfterSpace ? "&nbsp;" : " "
                atLineStartOrAfterSpace = true
            default:
                result += escapedCharacter(Character(scalar)) ?? String(scalar)
                atLineStartOrAfterSpace = false
            }
        }
        return result
    }
}
