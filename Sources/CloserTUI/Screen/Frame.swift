/// One terminal cell: a grapheme cluster and the role that colours it. A wide character occupies
/// its cell and the next; the next holds `continuation`.
public struct Cell: Hashable, Sendable {
    /// The grapheme cluster drawn here; "" marks the right half of a wide character.
    public var text: String
    public var role: Role
    /// Whether `text` is two columns wide (measured once, when the cell is written).
    public var isWide: Bool

    public init(_ text: String, role: Role, isWide: Bool = false) {
        self.text = text
        self.role = role
        self.isWide = isWide
    }

    public static let blank = Cell(" ", role: .background)
    public var isContinuation: Bool { text.isEmpty }
}

/// A whole screen's worth of cells, drawn by `view(state)` every frame (immediate mode) and handed
/// to a `Screen` back end, which shows it: ncurses writes only the cells that changed since the
/// last frame; `MemoryScreen` keeps it for tests.
///
/// Text given to `Frame` must already be sanitised (see `TerminalSanitizer`): the frame measures
/// widths and clips, but does not filter control characters.
public struct Frame: Sendable, Equatable {
    public let size: Size
    public private(set) var cells: [Cell]
    /// Where the terminal cursor goes, if it should be visible (text entry).
    public var cursor: (x: Int, y: Int)? {
        get { cursorStorage.map { ($0.x, $0.y) } }
        set { cursorStorage = newValue.map { CursorPosition(x: $0.x, y: $0.y) } }
    }
    private var cursorStorage: CursorPosition?
    /// Whether the frame should ring the terminal bell when shown.
    public var bell = false

    private struct CursorPosition: Hashable, Sendable {
        let x: Int
        let y: Int
    }

    public init(size: Size) {
        self.size = size
        self.cells = Array(repeating: .blank, count: max(0, size.width * size.height))
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: size.width, height: size.height) }

    public subscript(x: Int, y: Int) -> Cell {
        cells[y * size.width + x]
    }

    public static func == (lhs: Frame, rhs: Frame) -> Bool {
        lhs.size == rhs.size && lhs.cells == rhs.cells && lhs.cursorStorage == rhs.cursorStorage
    }

    // MARK: Drawing

    /// Fills a rectangle with spaces of one role.
    public mutating func fill(_ rect: Rect, role: Role) {
        let clipped = clip(rect)
        guard !clipped.isEmpty else { return }
        for y in clipped.y..<clipped.maxY {
            for x in clipped.x..<clipped.maxX {
                set(x: x, y: y, Cell(" ", role: role))
            }
        }
    }

    /// Draws one line of text at (x, y), clipped to `clip` (and the frame). Never writes half of a
    /// wide character: one that does not fit is left out. Returns the column after the last cell written.
    @discardableResult
    public mutating func text(_ string: some StringProtocol, x: Int, y: Int, role: Role, clip: Rect? = nil) -> Int {
        let area = clip.map(self.clip) ?? bounds
        guard y >= area.y, y < area.maxY else { return x }
        var column = x
        var lastIndex: Int?
        for character in string {
            let width = DisplayWidth.of(character)
            if width == 0 {
                // A stray combining mark joins the cell before it, or is dropped at the line start.
                // Controls never do: the views sanitise what they draw, and this is the last line
                // of defence for a field one of them forgot.
                if let lastIndex, !cells[lastIndex].text.isEmpty, !character.unicodeScalars.contains(where: Self.isControl) {
                    cells[lastIndex].text.append(character)
                }
                continue
            }
            if column + width > area.maxX { break }
            if column >= area.x {
                set(x: column, y: y, Cell(String(character), role: role, isWide: width == 2))
                lastIndex = y * size.width + column
                if width == 2 {
                    set(x: column + 1, y: y, Cell("", role: role))
                }
            } else if column + width > area.x {
                // A wide character straddling the left edge: show a space instead of half of it.
                set(x: area.x, y: y, Cell(" ", role: role))
            }
            column += width
        }
        return column
    }

    /// C0 and C1 controls, DEL, and the bidi marks, embeddings, overrides and isolates: scalars a
    /// terminal acts on (or that reorder what follows) rather than draws.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// Changes the role of cells already drawn (e.g. to highlight a selected row).
    public mutating func restyle(_ rect: Rect, role: Role) {
        let clipped = clip(rect)
        guard !clipped.isEmpty else { return }
        for y in clipped.y..<clipped.maxY {
            for x in clipped.x..<clipped.maxX {
                cells[y * size.width + x].role = role
            }
        }
    }

    /// A box border around `rect` with an optional title in the top edge.
    public mutating func box(_ rect: Rect, title: String? = nil, role: Role, titleRole: Role, glyphs: Glyphs) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let right = rect.maxX - 1
        let bottom = rect.maxY - 1
        set(x: rect.x, y: rect.y, Cell(glyphs.cornerTopLeft, role: role))
        set(x: right, y: rect.y, Cell(glyphs.cornerTopRight, role: role))
        set(x: rect.x, y: bottom, Cell(glyphs.cornerBottomLeft, role: role))
        set(x: right, y: bottom, Cell(glyphs.cornerBottomRight, role: role))
        if rect.width > 2 {
            for x in (rect.x + 1)..<right {
                set(x: x, y: rect.y, Cell(glyphs.horizontal, role: role))
                set(x: x, y: bottom, Cell(glyphs.horizontal, role: role))
            }
        }
        if rect.height > 2 {
            for y in (rect.y + 1)..<bottom {
                set(x: rect.x, y: y, Cell(glyphs.vertical, role: role))
                set(x: right, y: y, Cell(glyphs.vertical, role: role))
            }
        }
        if let title, rect.width > 4 {
            let label = TextLayout.truncate(" \(title) ", width: rect.width - 4)
            text(label, x: rect.x + 2, y: rect.y, role: titleRole, clip: rect)
        }
    }

    // MARK: Cells

    /// Sets one cell, keeping wide characters whole: overwriting either half of one blanks the other.
    private mutating func set(x: Int, y: Int, _ cell: Cell) {
        guard x >= 0, y >= 0, x < size.width, y < size.height else { return }
        let index = y * size.width + x
        let old = cells[index]
        if old.isContinuation, x > 0, !cell.isContinuation, cells[index - 1].isWide {
            cells[index - 1].text = " "
            cells[index - 1].isWide = false
        }
        if old.isWide, !cell.isWide, x + 1 < size.width, cells[index + 1].isContinuation {
            cells[index + 1].text = " "
        }
        cells[index] = cell
    }

    private func clip(_ rect: Rect) -> Rect {
        let x0 = max(0, rect.x)
        let y0 = max(0, rect.y)
        let x1 = min(size.width, rect.maxX)
        let y1 = min(size.height, rect.maxY)
        return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }
}
