import CloserCore
import Foundation
import SQLKit

/// Typed column reads shared by every store, so a column's SQL type maps to Swift in one place.
///
/// Optionals are read as "is it NULL, else the plain type": the drivers convert `String` and
/// `Int` directly, but `String?` goes through a whole `Codable` decoder per column, which showed
/// in every thread and lead-list answer (six optional columns per message).
extension SQLRow {
    func string(_ column: String) throws -> String { try decode(column: column, as: String.self) }
    func optionalString(_ column: String) throws -> String? {
        try decodeNil(column: column) ? nil : try string(column)
    }
    func int(_ column: String) throws -> Int { try decode(column: column, as: Int.self) }
    func optionalInt(_ column: String) throws -> Int? {
        try decodeNil(column: column) ? nil : try int(column)
    }
    func bool(_ column: String) throws -> Bool { try decode(column: column, as: Int.self) != 0 }
    func date(_ column: String) throws -> Date { Date(millis: try decode(column: column, as: Int64.self)) }
    func optionalDate(_ column: String) throws -> Date? {
        try decodeNil(column: column) ? nil : try date(column)
    }
    func wireEnum<T: WireEnum>(_ column: String, as type: T.Type) throws -> T {
        try T(stored: try string(column), in: column)
    }
}

extension WireEnum {
    /// The value a column holds, or a corrupt-row error naming where it was read.
    init(stored raw: String, in place: String) throws {
        guard let value = Self(rawValue: raw) else {
            throw StoreError.corruptRow("\(place) holds unknown value \(raw)")
        }
        self = value
    }
}

/// A row that cannot be turned back into a domain value.
struct StoreError: Error, CustomStringConvertible {
    let description: String
    static func corruptRow(_ detail: String) -> StoreError { StoreError(description: "corrupt row: \(detail)") }
}

extension Bool {
    /// The integer SQL keeps booleans as, in both dialects.
    var sqlInt: Int { self ? 1 : 0 }
}

/// Escapes `%`, `_` and `\` so user text matches literally inside a LIKE pattern (`ESCAPE '\'`).
func likePattern(containing text: String) -> String {
    var escaped = ""
    for character in text.lowercased() {
        if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
        escaped.append(character)
    }
    return "%" + escaped + "%"
}
