import Foundation

extension Date {
    /// Whole milliseconds since 1970, the unit every cached and wire timestamp uses.
    var millisecondsSince1970: Int64 {
        Int64((timeIntervalSince1970 * 1000).rounded())
    }
}
