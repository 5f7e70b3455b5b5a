import Foundation

/// A raw message (or MIME part) split the simple, strict way tests need: header fields with their
/// folded values, and the body after the first empty line.
struct MailTestMessage {
    /// Each field's name and its value exactly as written, folds (CRLF + space) included.
    let fields: [(name: String, value: String)]
    /// Everything after the blank line that ends the header.
    let body: String

    init(_ raw: String) {
        let headerEnd = raw.range(of: "\r\n\r\n")
        let header = headerEnd.map { String(raw[..<$0.lowerBound]) } ?? raw
        body = headerEnd.map { String(raw[$0.upperBound...]) } ?? ""
        var fields: [(name: String, value: String)] = []
        for line in header.components(separatedBy: "\r\n") {
            if line.first == " " || line.first == "\t", !fields.isEmpty {
                fields[fields.count - 1].value += "\r\n" + line
            } else if let colon = line.firstIndex(of: ":") {
                let value = line[line.index(after: colon)...]
                fields.append((String(line[..<colon]), String(value.drop(while: { $0 == " " }))))
            } else {
                fields.append((line, ""))
            }
        }
        self.fields = fields
    }

    /// The values of every field with this name, ignoring case.
    func values(_ name: String) -> [String] {
        fields.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    /// The boundary parameter of the Content-Type field.
    var boundary: String? {
        guard let contentType = values("Content-Type").first,
              let range = contentType.range(of: "boundary=\"") else { return nil }
        let rest = contentType[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    /// The body parts between the boundary delimiters, or `nil` when the multipart structure is not
    /// exactly: delimiter, parts separated by delimiters, closing delimiter, CRLF, end.
    var parts: [MailTestMessage]? {
        guard let boundary, body.hasPrefix("--\(boundary)\r\n"),
              body.hasSuffix("\r\n--\(boundary)--\r\n") else { return nil }
        let inner = body.dropFirst("--\(boundary)\r\n".count).dropLast("\r\n--\(boundary)--\r\n".count)
        return inner.components(separatedBy: "\r\n--\(boundary)\r\n").map { MailTestMessage($0) }
    }
}
