/// How many colours the terminal can show, which decides how a theme's colours are approximated.
public enum ColorDepth: Sendable, Hashable, CaseIterable {
    /// 24-bit colour: colour numbers are `r<<16 | g<<8 | b` (ncurses' direct-colour terminals).
    case trueColor
    /// The xterm 256-colour palette.
    case palette256
    /// The 16 ANSI colours.
    case palette16
    /// The 8 basic ANSI colours.
    case palette8
    /// No colour: themes are drawn with attributes only (`Theme.monochromeVersion()`).
    case none

    /// The depth to use, from what terminfo says (`colors`, the `RGB` flag) and the environment.
    ///
    /// `NO_COLOR` (set and non-empty, per no-color.org) wins over everything. `COLORTERM=truecolor`
    /// is deliberately not consulted: ncurses can only send 24-bit colours when terminfo describes a
    /// direct-colour terminal (`TERM=xterm-direct`), and that is what the `RGB` flag reports.
    public static func detect(colors: Int, hasRGBFlag: Bool, environment: [String: String]) -> ColorDepth {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .none }
        if hasRGBFlag || colors >= 1 << 24 { return .trueColor }
        if colors >= 256 { return .palette256 }
        if colors >= 16 { return .palette16 }
        if colors >= 8 { return .palette8 }
        return .none
    }
}

/// The terminal colour number that shows `color` best at `depth`; -1 is the terminal's default.
///
/// - trueColor: `r<<16 | g<<8 | b`; indexed colours are converted to their xterm RGB first so a
///   theme looks the same whichever way it spells a colour.
/// - palette256: indexed colours as they are; RGB to the nearest entry of the 6×6×6 cube or the
///   24-step grey ramp (16–255). Entries 0–15 are never chosen for RGB because terminals redefine
///   them.
/// - palette16: indexed 0–15 as they are; anything else to the nearest of the 16 ANSI colours by
///   their standard xterm RGB values, so `#ff0000` becomes 9 (bright red).
/// - palette8: everything to the nearest of the 8 basic colours, so `#ff0000` becomes 1 (red).
/// - none: always -1.
///
/// "Nearest" weighs the channels as the eye does ("redmean" distance), which keeps greys grey and
/// stops dark blues from turning black.
public func approximate(_ color: Color, depth: ColorDepth) -> Int {
    let rgb: XtermPalette.RGB
    switch color {
    case .default:
        return -1
    case .indexed(let index):
        switch depth {
        case .palette256: return Int(index)
        case .palette16 where index < 16: return Int(index)
        case .none: return -1
        default: rgb = XtermPalette.rgb(ofIndex: index)
        }
    case .rgb(let red, let green, let blue):
        rgb = XtermPalette.RGB(red: Int(red), green: Int(green), blue: Int(blue))
    }
    switch depth {
    case .trueColor: return rgb.red << 16 | rgb.green << 8 | rgb.blue
    case .palette256: return XtermPalette.nearest(to: rgb, in: 16...255)
    case .palette16: return XtermPalette.nearest(to: rgb, in: 0...15)
    case .palette8: return XtermPalette.nearest(to: rgb, in: 0...7)
    case .none: return -1
    }
}

/// The RGB values xterm gives its 256 indexed colours.
enum XtermPalette {
    struct RGB: Equatable {
        var red: Int
        var green: Int
        var blue: Int
    }

    /// xterm's defaults for the 16 ANSI colours.
    private static let ansi: [RGB] = [
        (0x00, 0x00, 0x00), (0xCD, 0x00, 0x00), (0x00, 0xCD, 0x00), (0xCD, 0xCD, 0x00),
        (0x00, 0x00, 0xEE), (0xCD, 0x00, 0xCD), (0x00, 0xCD, 0xCD), (0xE5, 0xE5, 0xE5),
        (0x7F, 0x7F, 0x7F), (0xFF, 0x00, 0x00), (0x00, 0xFF, 0x00), (0xFF, 0xFF, 0x00),
        (0x5C, 0x5C, 0xFF), (0xFF, 0x00, 0xFF), (0x00, 0xFF, 0xFF), (0xFF, 0xFF, 0xFF),
    ].map { RGB(red: $0.0, green: $0.1, blue: $0.2) }

    /// The six channel levels of the colour cube (16–231).
    private static let cubeLevels = [0, 95, 135, 175, 215, 255]

    static func rgb(ofIndex index: UInt8) -> RGB {
        let index = Int(index)
        if index < 16 { return ansi[index] }
        if index >= 232 {
            let level = 8 + 10 * (index - 232)
            return RGB(red: level, green: level, blue: level)
        }
        let cube = index - 16
        return RGB(red: cubeLevels[cube / 36], green: cubeLevels[cube / 6 % 6], blue: cubeLevels[cube % 6])
    }

    /// The index in `range` whose colour is nearest to `target`; the lowest index wins a tie.
    static func nearest(to target: RGB, in range: ClosedRange<Int>) -> Int {
        var best = range.lowerBound
        var bestDistance = Int.max
        for index in range {
            let distance = distance(target, rgb(ofIndex: UInt8(index)))
            if distance < bestDistance {
                best = index
                bestDistance = distance
            }
        }
        return best
    }

    /// The "redmean" approximation of perceived colour difference (squared, scaled by 256).
    private static func distance(_ a: RGB, _ b: RGB) -> Int {
        let meanRed = (a.red + b.red) / 2
        let red = a.red - b.red
        let green = a.green - b.green
        let blue = a.blue - b.blue
        return (512 + meanRed) * red * red + 1024 * green * green + (767 - meanRed) * blue * blue
    }
}
