/// A screen in memory: the test back end. It keeps the last frame so a test can assert exactly
/// what a person would see (text, roles, cursor) at any size, without a terminal.
public final class MemoryScreen: Screen {
    public var size: Size
    public private(set) var frame: Frame
    public private(set) var presentedCount = 0
    public private(set) var bellCount = 0

    public init(width: Int, height: Int) {
        size = Size(width: width, height: height)
        frame = Frame(size: size)
    }

    public func present(_ frame: Frame) {
        self.frame = frame
        presentedCount += 1
        if frame.bell { bellCount += 1 }
    }

    /// The visible text, one string per row, wide characters once, trailing spaces kept.
    public var lines: [String] { frame.textLines() }

    /// The whole screen as text, rows joined by newlines.
    public var text: String { lines.joined(separator: "\n") }
}

extension Frame {
    /// Each row as the text a person sees (wide characters once, their right halves skipped).
    public func textLines() -> [String] {
        (0..<size.height).map { y in
            var line = ""
            line.reserveCapacity(size.width)
            for x in 0..<size.width where !self[x, y].isContinuation {
                line += self[x, y].text
            }
            return line
        }
    }

    /// Each row as one letter per cell naming the cell's role (see `roleLegend`), for golden files.
    public func roleLines(legend: inout [Role: Character]) -> [String] {
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        return (0..<size.height).map { y in
            String((0..<size.width).map { x -> Character in
                let role = self[x, y].role
                if role == .background { return "." }
                if let letter = legend[role] { return letter }
                let letter = letters[min(legend.count, letters.count - 1)]
                legend[role] = letter
                return letter
            })
        }
    }

    /// The frame as a golden file: the text, then a role layer, a legend, and the cursor.
    public func golden() -> String {
        var legend: [Role: Character] = [:]
        let roles = roleLines(legend: &legend)
        var out = textLines().map { $0 + "|" }.joined(separator: "\n")
        out += "\n--- roles\n" + roles.joined(separator: "\n")
        out += "\n--- legend\n" + legend.sorted { $0.value < $1.value }.map { ". \($0.value) \($0.key.rawValue)" }.joined(separator: "\n")
        out += "\n--- cursor " + (cursor.map { "\($0.x),\($0.y)" } ?? "hidden") + "\n"
        return out
    }
}
