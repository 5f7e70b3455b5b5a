/// The text and cursor of an editable field: the compose pane's body, and the one-line subject,
/// search and command fields.
///
/// The cursor is an offset in grapheme clusters, so one key press moves over or deletes a whole
/// emoji, ZWJ sequence, flag or letter with its combining marks, never half of one. Every
/// operation leaves the cursor within `0...text.count`. Emacs/readline key semantics: the line
/// operations work on logical lines (between line feeds), while up and down move by the visual
/// lines of ``TextLayout/wrapWithOffsets(_:width:)``, the same wrapping the pane draws.
///
/// All text that enters the editor, typed, pasted or loaded from a draft, passes through
/// ``TerminalSanitizer`` in multi-line mode after CR LF and lone CR (what terminals send for a
/// pasted line break) become line feeds, so the text is always safe to draw as is, and drawing it
/// keeps the offsets the cursor was computed against.
public struct TextEditor: Equatable, Sendable {
    /// The edited text, sanitised.
    public private(set) var text: String
    /// The cursor's offset in grapheme clusters, from 0 (before everything) to `text.count`.
    public private(set) var cursor: Int

    /// Creates an editor holding `text` (sanitised) with the cursor at `cursor`, clamped to the
    /// text, or at the end when `cursor` is nil.
    public init(text: String = "", cursor: Int? = nil) {
        let clean = Self.clean(text)
        let count = Self.clusterCount(clean)
        self.text = clean
        self.cursor = min(max(cursor ?? count, 0), count)
    }

    /// Whether there is no text at all.
    public var isEmpty: Bool { text.isEmpty }

    /// Replaces the whole text (sanitised) and puts the cursor at its end.
    public mutating func replaceAll(_ text: String) {
        self = TextEditor(text: text)
    }

    // MARK: Editing

    /// Inserts typed or pasted text at the cursor and moves the cursor past it. Pasted line
    /// breaks are kept.
    public mutating func insert(_ string: String) {
        let clean = Self.clean(string)
        guard !clean.isEmpty else { return }
        let position = index(at: cursor)
        replace(position..<position, with: clean)
    }

    /// Deletes the cluster before the cursor (Backspace).
    public mutating func deleteBackward() {
        guard cursor > 0 else { return }
        let end = index(at: cursor)
        replace(text.index(before: end)..<end)
    }

    /// Deletes the cluster after the cursor (Delete, C-d).
    public mutating func deleteForward() {
        let start = index(at: cursor)
        guard start < text.endIndex else { return }
        replace(start..<text.index(after: start))
    }

    /// Deletes from the cursor to the end of the logical line (C-k); at the end of a line it
    /// deletes the line feed instead, joining the next line to this one.
    public mutating func killToLineEnd() {
        let start = index(at: cursor)
        guard start < text.endIndex else { return }
        if text[start] == "\n" {
            replace(start..<text.index(after: start))
        } else {
            replace(start..<(text[start...].firstIndex(of: "\n") ?? text.endIndex))
        }
    }

    /// Deletes from the start of the logical line to the cursor (C-u). At the start of a line it
    /// does nothing, so it never reaches into the line above.
    public mutating func killToLineStart() {
        let end = index(at: cursor)
        let start = lineStart(before: end, offset: cursor).index
        guard start < end else { return }
        replace(start..<end)
    }

    /// Deletes the whitespace-separated word before the cursor (C-w, as in readline): first any
    /// whitespace, including line feeds, then everything back to the previous whitespace.
    public mutating func deleteWordBackward() {
        let end = index(at: cursor)
        var start = end
        while start > text.startIndex {
            let previous = text.index(before: start)
            guard text[previous].isWhitespace else { break }
            start = previous
        }
        while start > text.startIndex {
            let previous = text.index(before: start)
            guard !text[previous].isWhitespace else { break }
            start = previous
        }
        guard start < end else { return }
        replace(start..<end)
    }

    // MARK: Moving

    /// Moves one cluster left (C-b), stopping at the start.
    public mutating func moveLeft() {
        cursor = max(0, cursor - 1)
    }

    /// Moves one cluster right (C-f), stopping at the end.
    public mutating func moveRight() {
        cursor = min(Self.clusterCount(text), cursor + 1)
    }

    /// Moves to the start of the logical line (C-a).
    public mutating func moveToLineStart() {
        cursor = lineStart(before: index(at: cursor), offset: cursor).offset
    }

    /// Moves to the end of the logical line, before its line feed (C-e).
    public mutating func moveToLineEnd() {
        var position = index(at: cursor)
        var offset = cursor
        while position < text.endIndex, text[position] != "\n" {
            position = text.index(after: position)
            offset += 1
        }
        cursor = offset
    }

    /// Moves to the start of the current or previous word (M-b). Words are runs of letters and
    /// digits, as in Emacs.
    public mutating func moveWordBackward() {
        var position = index(at: cursor)
        var offset = cursor
        var inWord = false
        while position > text.startIndex {
            let previous = text.index(before: position)
            let isWord = Self.isWordCharacter(text[previous])
            if inWord, !isWord { break }
            inWord = inWord || isWord
            position = previous
            offset -= 1
        }
        cursor = offset
    }

    /// Moves to the end of the current or next word (M-f).
    public mutating func moveWordForward() {
        var position = index(at: cursor)
        var offset = cursor
        var inWord = false
        while position < text.endIndex {
            let isWord = Self.isWordCharacter(text[position])
            if inWord, !isWord { break }
            inWord = inWord || isWord
            position = text.index(after: position)
            offset += 1
        }
        cursor = offset
    }

    /// Moves to the visual line above, as close as possible to the same display column; from
    /// the first line, moves to the start of the text.
    public mutating func moveUp(width: Int) {
        let lines = TextLayout.wrapWithOffsets(text, width: width)
        let row = Self.row(of: cursor, in: lines)
        guard row > 0 else {
            cursor = 0
            return
        }
        cursor = offset(nearestColumn: column(of: cursor, in: lines[row], width: width), in: lines, row: row - 1)
    }

    /// Moves to the visual line below, as close as possible to the same display column; from
    /// the last line, moves to the end of the text.
    public mutating func moveDown(width: Int) {
        let lines = TextLayout.wrapWithOffsets(text, width: width)
        let row = Self.row(of: cursor, in: lines)
        guard row < lines.count - 1 else {
            cursor = lines[row].end
            return
        }
        cursor = offset(nearestColumn: column(of: cursor, in: lines[row], width: width), in: lines, row: row + 1)
    }

    /// Where to draw the cursor when the text is wrapped to `width` columns: its visual row and
    /// display column.
    ///
    /// The column reaches `width` (one past the last cell) when the cursor follows a full row;
    /// callers either wrap to one column less than the pane or clamp. Inside spaces hidden at a
    /// soft wrap it stays at `width`.
    public func cursorPosition(width: Int) -> (row: Int, column: Int) {
        let lines = TextLayout.wrapWithOffsets(text, width: width)
        let row = Self.row(of: cursor, in: lines)
        return (row, column(of: cursor, in: lines[row], width: width))
    }

    // MARK: Helpers

    /// The one place the text changes: replaces `range` and puts the cursor after the
    /// replacement. The cursor is recounted rather than adjusted, because clusters can merge
    /// across the edit (a combining mark after a letter, two regional indicators).
    private mutating func replace(_ range: Range<String.Index>, with replacement: String = "") {
        let utf8Offset = text.utf8.distance(from: text.startIndex, to: range.lowerBound) + replacement.utf8.count
        text.replaceSubrange(range, with: replacement)
        cursor = DisplayWidth.ClusterScanner.scan(text) { scanner in
            var clusters = 0
            while let cluster = scanner.next(), cluster.end <= utf8Offset {
                clusters += 1
            }
            return clusters
        }
    }

    /// The index `offset` clusters into the text, or its end.
    private func index(at offset: Int) -> String.Index {
        DisplayWidth.ClusterScanner.scan(text) { scanner in
            var remaining = offset
            var end = 0
            while remaining > 0, let cluster = scanner.next() {
                end = cluster.end
                remaining -= 1
            }
            return scanner.index(atByte: end)
        }
    }

    private static func clusterCount(_ text: String) -> Int {
        DisplayWidth.ClusterScanner.scan(text) { scanner in
            var count = 0
            while scanner.next() != nil { count += 1 }
            return count
        }
    }

    /// The start of the logical line containing `position`, which is `offset` clusters into the
    /// text, as an index and a cluster offset.
    private func lineStart(before position: String.Index, offset: Int) -> (index: String.Index, offset: Int) {
        var start = position
        var offset = offset
        while start > text.startIndex {
            let previous = text.index(before: start)
            if text[previous] == "\n" { break }
            start = previous
            offset -= 1
        }
        return (start, offset)
    }

    /// The display column of `offset` within `line`, capped at the width.
    private func column(of offset: Int, in line: TextLayout.WrappedLine, width: Int) -> Int {
        let column = DisplayWidth.ClusterScanner.scan(text) { scanner in
            var column = 0
            var current = 0
            while current < offset, let cluster = scanner.next() {
                if current >= line.start { column += cluster.width }
                current += 1
            }
            return column
        }
        return min(column, max(1, width))
    }

    /// The offset in `lines[row]` whose column is closest to `column`, preferring the left one of
    /// two equally close. A line other than the last can't hold the cursor at its `end`, which
    /// is the next line's first position.
    private func offset(nearestColumn target: Int, in lines: [TextLayout.WrappedLine], row: Int) -> Int {
        let line = lines[row]
        let last = row == lines.count - 1 ? line.end : line.end - 1
        return DisplayWidth.ClusterScanner.scan(text) { scanner in
            for _ in 0..<line.start { _ = scanner.next() }
            var offset = line.start
            var column = 0
            while offset < last, let cluster = scanner.next() {
                if column + cluster.width > target {
                    return column + cluster.width - target < target - column ? offset + 1 : offset
                }
                column += cluster.width
                offset += 1
            }
            return offset
        }
    }

    /// The visual row holding `offset`: the last line starting at or before it.
    private static func row(of offset: Int, in lines: [TextLayout.WrappedLine]) -> Int {
        var low = 0
        var high = lines.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lines[middle].start <= offset {
                low = middle
            } else {
                high = middle - 1
            }
        }
        return low
    }

    private static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber
    }

    /// Line breaks to line feeds, then the terminal sanitiser, so what is edited is what is drawn.
    private static func clean(_ string: String) -> String {
        guard string.utf8.contains(0x0D) else {
            return TerminalSanitizer.sanitize(string, mode: .multiLine)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(string.utf8.count)
        var previous: UInt8 = 0
        for byte in string.utf8 {
            if byte == 0x0D {
                bytes.append(0x0A)
            } else if !(byte == 0x0A && previous == 0x0D) {
                bytes.append(byte)
            }
            previous = byte
        }
        return TerminalSanitizer.sanitize(String(decoding: bytes, as: UTF8.self), mode: .multiLine)
    }
}
