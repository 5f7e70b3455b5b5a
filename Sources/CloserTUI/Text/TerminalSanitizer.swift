/// Makes untrusted text safe to draw on a terminal.
///
/// Message bodies, lead names and notification text come from the server, the cache or a
/// customer, and any of them could carry escape sequences that set the window title, write the
/// clipboard (OSC 52), fake a desktop notification, move the cursor over other rows or reorder the
/// line with bidi overrides. After sanitising, no byte is left that a terminal would interpret:
/// what was removed is shown as a visible marker, so the rep can tell that something was there.
///
/// The work is linear in the UTF-8 bytes, and text that needs nothing is returned as is, without
/// a copy, after one quick scan: the common case for every row of every frame.
public enum TerminalSanitizer {
    /// Where the text is going to be drawn.
    public enum Mode: Sendable, Hashable {
        /// One row (list previews, names, toasts): line breaks become a space and runs of
        /// whitespace collapse to one space. Leading and trailing whitespace is kept; callers that
        /// want it gone trim it.
        case singleLine
        /// Wrapped text (message bodies): line breaks are kept, tabs expand to the next multiple
        /// of ``TerminalSanitizer/tabWidth`` columns.
        case multiLine
    }

    /// The tab stop distance used when expanding tabs in ``Mode/multiLine`` text.
    public static let tabWidth = 4

    /// Returns `text` with every escape sequence, control character and bidi control removed or
    /// replaced by a visible picture, following these rules:
    ///
    /// - An escape sequence (CSI, OSC, DCS, SOS, PM, APC, or ESC with one final byte) is removed
    ///   whole and replaced by one "␛". An unterminated string sequence runs to the end of the text.
    /// - A C1 control (U+0080–U+009F) is replaced by one "�"; the 8-bit CSI, OSC, DCS, SOS, PM and
    ///   APC take the sequence they introduce with them.
    /// - Other C0 controls and DEL become their control pictures (U+2400…, "␡"); CR LF becomes a
    ///   line feed and a lone CR "␍".
    /// - Bidi embedding, override and isolate controls, LRM, RLM and ALM, the BOM/ZWNBSP, the
    ///   Mongolian vowel separator and the interlinear annotation characters are removed;
    ///   U+2028 and U+2029 become line feeds. ZWJ and variation selectors are kept for emoji.
    /// - In multi-line mode a tab becomes spaces up to the next multiple of ``tabWidth`` display
    ///   columns since the last line feed.
    /// - In single-line mode every line break becomes a space, and runs of spaces, tabs and line
    ///   breaks (including ones left by removed characters) collapse to one space.
    ///
    /// The result is a fixed point: sanitising it again returns it unchanged.
    public static func sanitize(_ text: String, mode: Mode) -> String {
        var input = text
        input.makeContiguousUTF8()
        let result: String? = input.utf8.withContiguousStorageIfAvailable { bytes in
            guard needsWork(bytes, mode: mode) else { return nil }
            var writer = Writer(mode: mode, capacity: bytes.count)
            writer.rewrite(bytes)
            return String(decoding: writer.output, as: UTF8.self)
        } ?? nil
        return result ?? input
    }

    // MARK: Detection

    /// Whether `bytes` holds anything the rewrite would change. Only valid UTF-8 reaches here, so
    /// a lead byte always has its continuation bytes after it.
    private static func needsWork(_ bytes: UnsafeBufferPointer<UInt8>, mode: Mode) -> Bool {
        let singleLine = mode == .singleLine
        return byteClasses.withUnsafeBufferPointer { classes in
            var index = 0
            let count = bytes.count
            while index < count {
                let byte = bytes[index]
                switch classes[Int(byte)] {
                case ByteClass.plain:
                    break
                case ByteClass.lineFeed:
                    if singleLine { return true }
                case ByteClass.space:
                    if singleLine, index + 1 < count, bytes[index + 1] == 0x20 { return true }
                case ByteClass.lead:
                    if removedOrReplacedScalar(bytes, at: index) != nil { return true }
                default:
                    return true
                }
                index += 1
            }
            return false
        }
    }

    /// What the fast check needs to know about each byte value.
    private enum ByteClass {
        static let plain: UInt8 = 0
        static let control: UInt8 = 1
        static let lineFeed: UInt8 = 2
        static let space: UInt8 = 3
        /// The lead byte of a scalar some of whose values the rules touch.
        static let lead: UInt8 = 4
    }

    private static let byteClasses: [UInt8] = (0...255).map { (byte: Int) -> UInt8 in
        switch byte {
        case 0x0A: ByteClass.lineFeed
        case 0x20: ByteClass.space
        case 0x00..<0x20, 0x7F: ByteClass.control
        case 0xC2, 0xD8, 0xE1, 0xE2, 0xEF: ByteClass.lead
        default: ByteClass.plain
        }
    }

    /// What a non-ASCII scalar at `index` turns into, if it is one the rules touch.
    fileprivate enum Special {
        case c1(UInt8)
        case removed
        case lineBreak
    }

    /// Decodes just enough of the scalar at `index` to recognise the handful of non-ASCII code
    /// points the rules touch; each is two or three bytes, which is what this matches on.
    fileprivate static func removedOrReplacedScalar(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (Special, length: Int)? {
        let second = bytes[index + 1]
        switch bytes[index] {
        case 0xC2:
            // U+0080–U+009F
            if second < 0xA0 { return (.c1(second), 2) }
        case 0xD8:
            // U+061C ARABIC LETTER MARK
            if second == 0x9C { return (.removed, 2) }
        case 0xE1:
            // U+180E MONGOLIAN VOWEL SEPARATOR
            if second == 0xA0, bytes[index + 2] == 0x8E { return (.removed, 3) }
        case 0xE2:
            let third = bytes[index + 2]
            if second == 0x80 {
                switch third {
                case 0x8E, 0x8F, 0xAA...0xAE: return (.removed, 3)  // LRM, RLM, U+202A–U+202E
                case 0xA8, 0xA9: return (.lineBreak, 3)  // U+2028, U+2029
                default: break
                }
            } else if second == 0x81, (0xA6...0xA9).contains(third) {
                return (.removed, 3)  // U+2066–U+2069
            }
        case 0xEF:
            let third = bytes[index + 2]
            if second == 0xBB, third == 0xBF { return (.removed, 3) }  // U+FEFF
            if second == 0xBF, (0xB9...0xBB).contains(third) { return (.removed, 3) }  // U+FFF9–U+FFFB
        default:
            break
        }
        return nil
    }
}

/// The rewriting pass of ``TerminalSanitizer``: copies runs of harmless bytes in bulk and
/// substitutes everything else.
private struct Writer {
    let mode: TerminalSanitizer.Mode
    private(set) var output: [UInt8] = []
    /// Where the current line starts in `output`, for tab stops; measured lazily and only up to
    /// `measuredEnd`, so a line with many tabs is still measured once overall.
    private var measuredEnd = 0
    private var measuredColumns = 0

    private static let escapeMarker: [UInt8] = Array("\u{241B}".utf8)
    private static let c1Marker: [UInt8] = Array("\u{FFFD}".utf8)
    private static let carriageReturnPicture: [UInt8] = Array("\u{240D}".utf8)

    init(mode: TerminalSanitizer.Mode, capacity: Int) {
        self.mode = mode
        output.reserveCapacity(capacity + capacity / 8 + 16)
    }

    mutating func rewrite(_ bytes: UnsafeBufferPointer<UInt8>) {
        let count = bytes.count
        let singleLine = mode == .singleLine
        var runStart = 0
        var index = 0
        while index < count {
            let byte = bytes[index]
            let next: Int
            switch byte {
            case 0x20:
                guard singleLine else {
                    index += 1
                    continue
                }
                let previous = index > runStart ? bytes[index - 1] : output.last
                if previous != 0x20 {
                    index += 1
                    continue
                }
                flush(bytes, from: runStart, to: index)
                next = index + 1
            case 0x0A:
                if !singleLine {
                    index += 1
                    measuredEnd = output.count + (index - runStart)
                    measuredColumns = 0
                    continue
                }
                flush(bytes, from: runStart, to: index)
                appendLineBreak()
                next = index + 1
            case 0x1B:
                flush(bytes, from: runStart, to: index)
                output.append(contentsOf: Self.escapeMarker)
                next = Self.endOfEscape(bytes, after: index + 1)
            case 0x0D:
                flush(bytes, from: runStart, to: index)
                if index + 1 < count, bytes[index + 1] == 0x0A {
                    appendLineBreak()
                    next = index + 2
                } else {
                    output.append(contentsOf: Self.carriageReturnPicture)
                    next = index + 1
                }
            case 0x09:
                flush(bytes, from: runStart, to: index)
                appendTab()
                next = index + 1
            case 0x00..<0x20:
                flush(bytes, from: runStart, to: index)
                appendControlPicture(0x2400 + UInt32(byte))
                next = index + 1
            case 0x7F:
                flush(bytes, from: runStart, to: index)
                appendControlPicture(0x2421)
                next = index + 1
            case 0xC2, 0xD8, 0xE1, 0xE2, 0xEF:
                guard let (special, length) = TerminalSanitizer.removedOrReplacedScalar(bytes, at: index) else {
                    index += 1
                    continue
                }
                flush(bytes, from: runStart, to: index)
                switch special {
                case .removed:
                    next = index + length
                case .lineBreak:
                    appendLineBreak()
                    next = index + length
                case .c1(let code):
                    output.append(contentsOf: Self.c1Marker)
                    next = Self.endOfC1Sequence(code, bytes, after: index + length)
                }
            default:
                index += 1
                continue
            }
            index = next
            runStart = next
        }
        flush(bytes, from: runStart, to: count)
    }

    private mutating func flush(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) {
        guard start < end else { return }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<end]))
    }

    private mutating func appendLineBreak() {
        if mode == .singleLine {
            appendSpace()
        } else {
            output.append(0x0A)
            measuredEnd = output.count
            measuredColumns = 0
        }
    }

    /// In single-line mode a space is only written when the output doesn't already end in one,
    /// which is what collapses runs made of spaces, tabs, line breaks and removed characters.
    private mutating func appendSpace() {
        if output.last != 0x20 { output.append(0x20) }
    }

    private mutating func appendTab() {
        guard mode == .multiLine else {
            appendSpace()
            return
        }
        if measuredEnd < output.count {
            // No cluster spans a tab or a line break, so the line can be measured in pieces.
            measuredColumns += output[measuredEnd...].withUnsafeBufferPointer { piece in
                var width = 0
                for byte in piece {
                    if byte >= 0x80 { return DisplayWidth.of(String(decoding: piece, as: UTF8.self)) }
                    if byte >= 0x20, byte != 0x7F { width += 1 }
                }
                return width
            }
        }
        let spaces = TerminalSanitizer.tabWidth - measuredColumns % TerminalSanitizer.tabWidth
        output.append(contentsOf: repeatElement(0x20, count: spaces))
        measuredColumns += spaces
        measuredEnd = output.count
    }

    private mutating func appendControlPicture(_ value: UInt32) {
        // Control pictures are U+2400–U+2421: E2 90 80–E2 90 A1 in UTF-8.
        output.append(0xE2)
        output.append(0x90)
        output.append(UInt8(0x80 + (value - 0x2400)))
    }

    // MARK: Sequence ends

    /// The index just past the escape sequence whose ESC is just before `start`.
    ///
    /// A byte that cannot continue the sequence ends it without being consumed: it is then
    /// sanitised on its own, so nothing a terminal would act on survives either way.
    private static func endOfEscape(_ bytes: UnsafeBufferPointer<UInt8>, after start: Int) -> Int {
        guard start < bytes.count else { return start }
        switch bytes[start] {
        case UInt8(ascii: "["):
            return endOfControlSequence(bytes, after: start + 1)
        case UInt8(ascii: "]"), UInt8(ascii: "P"), UInt8(ascii: "X"), UInt8(ascii: "^"), UInt8(ascii: "_"):
            return endOfControlString(bytes, after: start + 1)
        case 0x20...0x2F:
            // nF sequences such as ESC ( B: intermediate bytes, then one final byte.
            var index = start
            while index < bytes.count, (0x20...0x2F).contains(bytes[index]) { index += 1 }
            if index < bytes.count, (0x30...0x7E).contains(bytes[index]) { index += 1 }
            return index
        case 0x30...0x7E:
            return start + 1
        default:
            return start
        }
    }

    /// The index just past the sequence an 8-bit C1 control introduces.
    private static func endOfC1Sequence(_ code: UInt8, _ bytes: UnsafeBufferPointer<UInt8>, after start: Int) -> Int {
        switch code {
        case 0x9B: endOfControlSequence(bytes, after: start)
        case 0x90, 0x98, 0x9D, 0x9E, 0x9F: endOfControlString(bytes, after: start)
        default: start
        }
    }

    /// CSI parameters and intermediates (0x20–0x3F) up to and including a final byte (0x40–0x7E).
    private static func endOfControlSequence(_ bytes: UnsafeBufferPointer<UInt8>, after start: Int) -> Int {
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if (0x20...0x3F).contains(byte) {
                index += 1
            } else if (0x40...0x7E).contains(byte) {
                return index + 1
            } else {
                return index
            }
        }
        return index
    }

    /// The body of OSC, DCS, SOS, PM and APC up to and including its terminator: BEL, ST
    /// (ESC \ or U+009C), or the end of the text. Another ESC ends the string without being
    /// consumed, as it does on a terminal, and starts a sequence of its own.
    private static func endOfControlString(_ bytes: UnsafeBufferPointer<UInt8>, after start: Int) -> Int {
        var index = start
        let count = bytes.count
        while index < count {
            switch bytes[index] {
            case 0x07:
                return index + 1
            case 0x1B:
                if index + 1 < count, bytes[index + 1] == UInt8(ascii: "\\") { return index + 2 }
                return index
            case 0xC2:
                if index + 1 < count, bytes[index + 1] == 0x9C { return index + 2 }
            default:
                break
            }
            index += 1
        }
        return count
    }
}
