/// Wrapping, truncating and padding text by terminal columns.
///
/// Every width here is a display width (``DisplayWidth``), never a character or byte count, and no
/// grapheme cluster is ever split, so what is measured is what ncurses draws. These run for every
/// row of every frame: each walks the text once, the common all-ASCII case short-circuits, and
/// strings are built once at the end rather than by repeated concatenation.
public enum TextLayout {
    /// One visual line produced by ``TextLayout/wrapWithOffsets(_:width:)``.
    ///
    /// `start` and `end` are grapheme-cluster offsets into the wrapped text (end exclusive). The
    /// lines' ranges tile the text with no gaps: a line owns the line feed that ends it and the
    /// spaces dropped at the soft wrap after it, so every cursor offset belongs to exactly one line,
    /// and the offset at the very end of the text belongs to the last one.
    public struct WrappedLine: Equatable, Sendable {
        /// What the line shows: its clusters without the line feed and without spaces dropped at
        /// a soft wrap.
        public let text: String
        /// Offset of the line's first cluster.
        public let start: Int
        /// Offset just past the clusters the line owns, which is the next line's `start`.
        public let end: Int

        /// Creates a line; mainly for tests to compare against.
        public init(text: String, start: Int, end: Int) {
            self.text = text
            self.start = start
            self.end = end
        }
    }

    /// Which side of the field text is pushed to by ``TextLayout/fit(_:width:alignment:ellipsis:)``.
    public enum Alignment: Sendable, Hashable {
        /// Text first, padding after.
        case left
        /// Padding first, text after.
        case right
    }

    /// Word-wraps `text` to lines at most `width` columns wide.
    ///
    /// A line feed starts a new line and empty lines are kept. Lines break at spaces; the spaces at
    /// a break are dropped, while a paragraph's leading spaces are kept. A word longer than the
    /// line is broken between grapheme clusters, and a wide character that would straddle the edge
    /// moves to the next line. Only a single cluster wider than `width` (a wide character when
    /// `width` is 1) can make a line overflow. A `width` below 1 counts as 1. There is always at
    /// least one line.
    public static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        layOut(text, width: width) { line, _, _ in
            lines.append(line)
        }
        return lines
    }

    /// Word-wraps `text` like ``wrap(_:width:)`` and also reports which grapheme clusters each
    /// line covers, so an editor can map a cursor offset to a row and column and back.
    public static func wrapWithOffsets(_ text: String, width: Int) -> [WrappedLine] {
        var lines: [WrappedLine] = []
        layOut(text, width: width) { line, start, end in
            lines.append(WrappedLine(text: line, start: start, end: end))
        }
        return lines
    }

    /// Shortens `text` to at most `width` columns, ending it with `ellipsis` when anything was cut.
    ///
    /// The ellipsis's own width counts toward `width`; when even the ellipsis doesn't fit, the text
    /// is cut without one. Clusters are never split, and a wide character that doesn't fit is left
    /// out whole, so the result may be a column short.
    public static func truncate(_ text: String, width: Int, ellipsis: String = "…") -> String {
        truncated(text, width: width, ellipsis: ellipsis).text
    }

    /// Truncates `text` to `width` columns like ``truncate(_:width:ellipsis:)`` and pads it with
    /// spaces on the right to exactly `width` columns (none when `width` is below 1).
    public static func pad(_ text: String, width: Int, ellipsis: String = "…") -> String {
        fit(text, width: width, alignment: .left, ellipsis: ellipsis)
    }

    /// Truncates `text` to `width` columns like ``truncate(_:width:ellipsis:)`` and pads it with
    /// spaces to exactly `width` columns, with the text on the side `alignment` names.
    public static func fit(_ text: String, width: Int, alignment: Alignment, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        let (shown, shownWidth) = truncated(text, width: width, ellipsis: ellipsis)
        let padding = width - shownWidth
        guard padding > 0 else { return shown }
        var result = ""
        result.reserveCapacity(shown.utf8.count + padding)
        switch alignment {
        case .left:
            result += shown
            result += String(repeating: " ", count: padding)
        case .right:
            result += String(repeating: " ", count: padding)
            result += shown
        }
        return result
    }

    // MARK: Truncation

    /// The truncated text together with its width, so padding needn't measure it again.
    private static func truncated(_ text: String, width: Int, ellipsis: String) -> (text: String, width: Int) {
        guard width > 0 else { return ("", 0) }
        // No cluster is wider than its UTF-8 encoding is long, so short text fits without measuring.
        if text.utf8.count <= width { return (text, DisplayWidth.of(text)) }
        let ellipsisWidth = DisplayWidth.of(ellipsis)
        let useEllipsis = ellipsisWidth <= width
        let budget = useEllipsis ? width - ellipsisWidth : width
        return DisplayWidth.ClusterScanner.scan(text) { scanner in
            var used = 0
            var cut = 0
            var cutWidth = 0
            while let cluster = scanner.next() {
                used += cluster.width
                if used > width {
                    var result = String(decoding: UnsafeBufferPointer(rebasing: scanner.bytes[..<cut]), as: UTF8.self)
                    guard useEllipsis else { return (result, cutWidth) }
                    result += ellipsis
                    return (result, cutWidth + ellipsisWidth)
                }
                if used <= budget {
                    cut = cluster.end
                    cutWidth = used
                }
            }
            return (text, used)
        }
    }

    // MARK: Wrapping

    /// The greedy wrapping both public wrap functions share. Calls `emit` once per line, in order,
    /// with the text the line shows and the cluster offsets it owns.
    ///
    /// One pass over the clusters, tracked by UTF-8 byte offsets. A line is its content so far,
    /// possibly followed by a run of spaces that will either become interior (if the next word
    /// fits) or be dropped at the break.
    private static func layOut(
        _ text: String,
        width requestedWidth: Int,
        emit: (_ shown: String, _ start: Int, _ end: Int) -> Void
    ) {
        let width = max(1, requestedWidth)
        DisplayWidth.ClusterScanner.scan(text) { scanner in
            let bytes = scanner.bytes
            func emitLine(from start: Int, to end: Int, clusters: Range<Int>) {
                emit(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self), clusters.lowerBound, clusters.upperBound)
            }

            // The current line, in bytes and in clusters.
            var lineStart = 0
            var lineStartOffset = 0
            /// Whether the line has a non-space cluster, after which spaces are break opportunities
            /// rather than kept indentation.
            var lineHasWord = false
            /// End and width of the line up to its last non-space cluster.
            var contentEnd = 0
            var contentWidth = 0
            /// Spaces (one byte, one column each) after the content, not yet known to stay.
            var pendingSpaces = 0

            // The break opportunity: where the word being read started, and where the content
            // before the spaces in front of it ended.
            var wordStart: Int?
            var wordStartOffset = 0
            var breakContentEnd = 0
            var breakContentWidth = 0
            var breakSpaces = 0

            var offset = 0

            /// Ends the paragraph's last line, keeping as many of its trailing spaces as fit.
            func finishParagraph(endOffset: Int) {
                let kept = min(pendingSpaces, max(0, width - contentWidth))
                emitLine(from: lineStart, to: contentEnd + kept, clusters: lineStartOffset..<endOffset)
            }

            while let cluster = scanner.next() {
                defer { offset += 1 }

                if cluster.isLineBreak {
                    finishParagraph(endOffset: offset + 1)
                    lineStart = cluster.end
                    lineStartOffset = offset + 1
                    lineHasWord = false
                    contentEnd = cluster.end
                    contentWidth = 0
                    pendingSpaces = 0
                    wordStart = nil
                    continue
                }

                let isSpace = cluster.ascii == 0x20
                if isSpace, lineHasWord {
                    pendingSpaces += 1
                    continue
                }

                if pendingSpaces > 0 {
                    // A word starts after spaces: a place to break if it doesn't fit.
                    wordStart = cluster.start
                    wordStartOffset = offset
                    breakContentEnd = contentEnd
                    breakContentWidth = contentWidth
                    breakSpaces = pendingSpaces
                    contentWidth += pendingSpaces
                    pendingSpaces = 0
                }

                if contentWidth + cluster.width > width, cluster.start != lineStart {
                    if let start = wordStart {
                        // Soft wrap: the spaces before the word stay with this line, hidden.
                        emitLine(from: lineStart, to: breakContentEnd, clusters: lineStartOffset..<wordStartOffset)
                        contentWidth -= breakContentWidth + breakSpaces
                        lineStart = start
                        lineStartOffset = wordStartOffset
                        wordStart = nil
                    }
                    if contentWidth + cluster.width > width, cluster.start != lineStart {
                        // Hard break inside a word (or its first cluster is what doesn't fit).
                        emitLine(from: lineStart, to: cluster.start, clusters: lineStartOffset..<offset)
                        lineStart = cluster.start
                        lineStartOffset = offset
                        contentWidth = 0
                    }
                }
                contentWidth += cluster.width
                contentEnd = cluster.end
                if !isSpace { lineHasWord = true }
            }
            finishParagraph(endOffset: offset)
        }
    }
}
