/// The JSON shape of every error answer: `{"error": {"code": "...", "message": "...", "field": "..."}}`.
public struct APIErrorBody: Codable, Sendable, Hashable {
    /// What went wrong, for programs (`code`) and for people (`message`).
    public struct Detail: Codable, Sendable, Hashable {
        /// A stable, machine-readable code such as `invalid_field` or `not_found`.
        public var code: String
        public var message: String
        /// The request field at fault, as a dotted path, when there is one.
        public var field: String?
        public init(code: String, message: String, field: String? = nil) {
            self.code = code
            self.message = message
            self.field = field
        }
    }

    public var error: Detail

    public init(code: String, message: String, field: String? = nil) {
        self.error = Detail(code: code, message: message, field: field)
    }
}
