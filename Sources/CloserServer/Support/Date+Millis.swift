import Foundation

extension Date {
    /// Milliseconds since 1970, the form every timestamp takes in the database.
    var millis: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    /// A date from milliseconds since 1970.
    init(millis: Int64) {
        self.init(timeIntervalSince1970: Double(millis) / 1000)
    }
}
