import Hummingbird

extension Request {
    /// An integer query parameter within bounds, the default when absent, 400 when malformed.
    func queryInt(_ name: String, default defaultValue: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = uri.queryParameters.get(name) else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            throw APIError.invalid(name, "must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// A string query parameter, nil when absent or empty.
    func queryString(_ name: String, maxLength: Int = 200) throws -> String? {
        guard let text = uri.queryParameters.get(name), !text.isEmpty else { return nil }
        guard text.count <= maxLength else { throw APIError.invalid(name, "must be at most \(maxLength) characters") }
        return text
    }
}
