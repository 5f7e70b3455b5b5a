import CNcursesw
import Foundation

/// The real screen: ncurses, written cell by cell, only where the new frame differs from the last.
///
/// Cells carry roles; the theme turns each role into a colour pair and attributes once per theme
/// (not per cell). Clusters ncurses cannot place in one cell (a ZWJ sequence, a flag) are
/// written the way `DisplayWidth` measured them, so the terminal's cursor and ours never drift.
/// ncurses' WINDOW pointer.
package typealias CursesWindow = UnsafeMutablePointer<WINDOW>

package final class NcursesScreen: Screen {
    private let window: CursesWindow
    private var previous: Frame?
    private var styles: [Role: (pair: Int32, attributes: attr_t)] = [:]
    private var nextPair: Int32 = 1
    private var pairs: [PairKey: Int32] = [:]
    private(set) var depth: ColorDepth

    private struct PairKey: Hashable {
        let foreground: Int
        let background: Int
    }

    package init(window: CursesWindow, theme: Theme, depth: ColorDepth) {
        self.window = window
        self.depth = depth
        apply(theme: theme)
    }

    package var size: Size {
        Size(width: Int(getmaxx(window)), height: Int(getmaxy(window)))
    }

    /// Resolves every role's colours for a theme; the next frame is drawn in full.
    package func apply(theme: Theme) {
        styles = [:]
        let theme = depth == .none ? theme.monochromeVersion() : theme
        for role in Role.allCases {
            let style = theme.style(for: role)
            let foreground = depth == .none ? -1 : approximate(style.foreground, depth: depth)
            let background = depth == .none ? -1 : approximate(style.background, depth: depth)
            styles[role] = (pair(foreground: foreground, background: background), Self.attributes(style.attributes))
        }
        previous = nil
    }

    /// Forces a full redraw on the next frame (after resume from suspend or an external program).
    package func invalidate() {
        previous = nil
        clearok(window, true)
    }

    package func present(_ frame: Frame) {
        let full = previous?.size != frame.size
        if full { werase(window) }
        let width = frame.size.width
        var run = CellRun()
        frame.cells.withUnsafeBufferPointer { cells in
            let old = full ? nil : previous
            for index in cells.indices {
                let cell = cells[index]
                if let old, old.cells[index] == cell { continue }
                if cell.isContinuation { continue }
                let x = Int32(index % width)
                let y = Int32(index / width)
                // Most changed cells are one plain character next to the last one, in the same
                // style: they go to ncurses as one string, not one call (and one cchar_t) each.
                if let character = Self.plainCharacter(cell) {
                    if !run.extend(with: character, role: cell.role, wide: cell.isWide, x: x, y: y) {
                        flush(&run)
                        run.start(character, role: cell.role, wide: cell.isWide, x: x, y: y)
                    }
                    continue
                }
                flush(&run)
                draw(cell, x: x, y: y)
            }
        }
        flush(&run)
        if let cursor = frame.cursor {
            curs_set(1)
            wmove(window, Int32(cursor.y), Int32(cursor.x))
        } else {
            curs_set(0)
        }
        wnoutrefresh(window)
        doupdate()
        if frame.bell { beep() }
        previous = frame
    }

    /// A cell that is exactly one character ncurses measures as we do: it can join a run.
    private static func plainCharacter(_ cell: Cell) -> wchar_t? {
        var scalars = cell.text.unicodeScalars.makeIterator()
        guard let scalar = scalars.next(), scalars.next() == nil, !Frame.isControl(scalar) else { return nil }
        if scalar.isASCII { return cell.isWide ? nil : wchar_t(scalar.value) }
        let character = wchar_t(bitPattern: scalar.value)
        return wcwidth(character) == (cell.isWide ? 2 : 1) ? character : nil
    }

    /// Consecutive plain cells of one row and role, waiting to be written in one call.
    private struct CellRun {
        var characters: [wchar_t] = []
        var role: Role = .background
        var x: Int32 = 0
        var y: Int32 = 0
        /// The column after the run's last cell.
        var end: Int32 = 0

        mutating func start(_ character: wchar_t, role: Role, wide: Bool, x: Int32, y: Int32) {
            characters.removeAll(keepingCapacity: true)
            characters.append(character)
            self.role = role
            self.x = x
            self.y = y
            end = x + (wide ? 2 : 1)
        }

        /// Appends the cell if it continues the run; false (changing nothing) if it does not.
        mutating func extend(with character: wchar_t, role: Role, wide: Bool, x: Int32, y: Int32) -> Bool {
            guard !characters.isEmpty, role == self.role, y == self.y, x == end else { return false }
            characters.append(character)
            end = x + (wide ? 2 : 1)
            return true
        }
    }

    private func flush(_ run: inout CellRun) {
        guard !run.characters.isEmpty else { return }
        let style = styles[run.role] ?? (0, 0)
        _ = run.characters.withUnsafeBufferPointer { buffer in
            closer_mvadd_run(window, run.y, run.x, buffer.baseAddress, Int32(buffer.count), style.attributes, style.pair)
        }
        run.characters.removeAll(keepingCapacity: true)
    }

    private func draw(_ cell: Cell, x: Int32, y: Int32) {
        let style = styles[cell.role] ?? (0, 0)
        let scalars = Array(cell.text.unicodeScalars)
        guard let first = scalars.first else { return }
        guard !Frame.isControl(first) else {
            put([" "], attributes: style.attributes, pair: style.pair, x: x, y: y)
            return
        }
        if (0x1F1E6...0x1F1FF).contains(first.value), scalars.count == 2 {
            // A flag: ncurses counts each regional indicator as one column; write them as two cells.
            put([first], attributes: style.attributes, pair: style.pair, x: x, y: y)
            put([scalars[1]], attributes: style.attributes, pair: style.pair, x: x + 1, y: y)
            return
        }
        // The base character and the zero-width marks that follow it (combining marks, variation
        // selectors); a ZWJ sequence is cut at the joiner, which keeps its measured width.
        var chars: [Unicode.Scalar] = [first]
        for scalar in scalars.dropFirst() {
            if scalar.value == 0x200D || chars.count >= 4 { break }
            if wcwidth(wchar_t(scalar.value)) == 0 && !Frame.isControl(scalar) { chars.append(scalar) }
        }
        put(chars, attributes: style.attributes, pair: style.pair, x: x, y: y)
    }

    private func put(_ scalars: [Unicode.Scalar], attributes: attr_t, pair: Int32, x: Int32, y: Int32) {
        var wide = scalars.map { wchar_t(bitPattern: $0.value) }
        wide.append(0)
        _ = wide.withUnsafeBufferPointer { buffer in
            closer_mvadd_cell(window, y, x, buffer.baseAddress, attributes, pair)
        }
    }

    private func pair(foreground: Int, background: Int) -> Int32 {
        if foreground == -1 && background == -1 { return 0 }
        let key = PairKey(foreground: foreground, background: background)
        if let existing = pairs[key] { return existing }
        let number = nextPair
        nextPair += 1
        init_extended_pair(number, Int32(foreground), Int32(background))
        pairs[key] = number
        return number
    }

    private static func attributes(_ attributes: TextAttributes) -> attr_t {
        var result = closer_a_normal()
        if attributes.contains(.bold) { result |= closer_a_bold() }
        if attributes.contains(.dim) { result |= closer_a_dim() }
        if attributes.contains(.underline) { result |= closer_a_underline() }
        if attributes.contains(.reverse) { result |= closer_a_reverse() }
        if attributes.contains(.italic) { result |= closer_a_italic() }
        return result
    }
}
