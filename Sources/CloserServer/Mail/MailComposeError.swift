import Foundation

/// Why ``MailComposer`` refused to write a message: a value that would have produced a malformed
/// or injectable header. A struct over a private enum, so new reasons break no caller's `switch`.
struct MailComposeError: Error, Equatable, CustomStringConvertible {
    private enum Reason: Equatable {
        case invalidAddress(field: String)
        case invalidMessageID
        case invalidBoundary
    }

    private let reason: Reason

    /// An address failed ``MailAddress/isValid(_:)``; `field` is `From`, `To` or `Reply-To`.
    static func invalidAddress(field: String) -> Self { Self(reason: .invalidAddress(field: field)) }
    /// The message ID is not `<local@domain>` in printable ASCII.
    static var invalidMessageID: Self { Self(reason: .invalidMessageID) }
    /// The boundary is not 1 to 70 letters, digits and `'()+_,-./:=?`.
    static var invalidBoundary: Self { Self(reason: .invalidBoundary) }

    var description: String {
        switch reason {
        case .invalidAddress(let field): "invalid \(field) address"
        case .invalidMessageID: "invalid Message-ID"
        case .invalidBoundary: "invalid MIME boundary"
        }
    }
}
