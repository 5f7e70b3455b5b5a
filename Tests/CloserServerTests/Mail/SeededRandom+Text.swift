import Foundation
@testable import CloserServer

/// Random text for property-style tests, from the server's seeded SplitMix64 (`SeededRandom`), so
/// the tests are random in what they cover but repeat exactly when they fail.
extension SeededRandom {
    /// Text of up to `maximumLength` scalars mixing what reps type: ASCII (with `=` and spaces),
    /// line breaks, accents and combining marks, CJK, emoji with ZWJ and variation selectors,
    /// flags, and, when `controls` is set, C0/C1 control characters.
    mutating func text(maximumLength: Int, controls: Bool = false) -> String {
        let length = Int.random(in: 0...maximumLength, using: &self)
        var scalars = String.UnicodeScalarView()
        for _ in 0..<length {
            for value in scalarValues(controls: controls) {
                if let scalar = Unicode.Scalar(value) { scalars.append(scalar) }
            }
        }
        return String(scalars)
    }

    private mutating func scalarValues(controls: Bool) -> [UInt32] {
        switch Int.random(in: 0..<(controls ? 12 : 11), using: &self) {
        case 0...3: [UInt32.random(in: 0x20...0x7E, using: &self)]
        case 4: [[0x20, 0x3D, 0x09, 0x0A, 0x0D].randomElement(using: &self) ?? 0x20]
        case 5: [0x0D, 0x0A]
        case 6: [UInt32.random(in: 0xC0...0x17F, using: &self)]
        case 7: [0x65, UInt32.random(in: 0x300...0x36F, using: &self)]
        case 8: [UInt32.random(in: 0x4E00...0x9FFF, using: &self)]
        case 9: [UInt32.random(in: 0x1F600...0x1F64F, using: &self), 0x200D, 0x1F525, 0xFE0F]
        case 10: [UInt32.random(in: 0x1F1E6...0x1F1FF, using: &self), UInt32.random(in: 0x1F1E6...0x1F1FF, using: &self)]
        default: [[0x00, 0x1B, 0x7F, 0x85, 0x9B, 0x0B, 0x0C, 0x2028].randomElement(using: &self) ?? 0x00]
        }
    }
}
