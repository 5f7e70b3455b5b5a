import Foundation

/// The JSON `parse_mime.py` prints; see the script for what each key holds.
struct PythonParsedMessage: Decodable {
    let subject: String?
    let from: String?
    let to: String?
    let replyTo: String?
    let messageId: String?
    let date: String?
    let addresses: Addresses
    let text: String?
    let html: String?
    let contentTypes: [String]
    let defects: [String]

    /// Each address header as `[[display name, addr-spec]]`, `nil` when the header is absent.
    struct Addresses: Decodable {
        let from: [[String]]?
        let to: [[String]]?
        let replyTo: [[String]]?
    }
}
