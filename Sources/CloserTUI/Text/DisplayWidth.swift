/// How many terminal columns text occupies.
///
/// The ncurses back end lets glibc's `wcwidth` decide how wide each cell it writes is, so every
/// measurement the UI makes has to agree with it or rows would drift and clip. The policy is
/// therefore glibc 2.36's (Unicode 14), applied per grapheme cluster: a cluster is as wide as its
/// first scalar, because that is the cell ncurses starts and every following mark or joiner is
/// folded into it. Code points glibc does not know yet get the width later Unicode data implies,
/// so that new emoji and CJK extensions still line up on terminals that know them.
///
/// Pure Swift on purpose: no locale state, no C call, and the same answer in tests and at run time.
public enum DisplayWidth {
    /// The number of columns one grapheme cluster occupies: 0, 1 or 2.
    ///
    /// Exceptions to "width of the first scalar": a flag (a pair of regional indicators) is 2,
    /// since terminals draw the pair as one wide glyph; a cluster that starts with a zero-width
    /// scalar takes the width of its first visible one; controls are 0 (they are sanitised away
    /// before layout). Variation selector 16 does not widen a narrow base, because glibc doesn't.
    public static func of(_ character: Character) -> Int {
        clusterWidth(character.unicodeScalars)
    }

    /// The number of columns `text` occupies: the sum of its grapheme clusters' widths.
    public static func of<S: StringProtocol>(_ text: S) -> Int {
        // One concrete implementation serves all callers at full speed, even from a module that
        // can't specialise this generic; the casts fold away where it is specialised.
        if let string = text as? String { return of(substring: string[...]) }
        if let substring = text as? Substring { return of(substring: substring) }
        return of(substring: Substring(text))
    }

    private static func of(substring text: Substring) -> Int {
        ClusterScanner.scan(text) { scanner in
            // Most of what the UI measures is ASCII: count it straight off the bytes when all of it is.
            var width = 0
            for byte in scanner.bytes {
                if byte >= 0x80 {
                    width = 0
                    while let cluster = scanner.next() {
                        width += cluster.width
                    }
                    return width
                }
                if byte >= 0x20, byte != 0x7F { width += 1 }
            }
            return width
        }
    }

    /// The width of one grapheme cluster given its scalars, by the rules described on `of(_:)` for
    /// a Character.
    static func clusterWidth<Scalars: Sequence<Unicode.Scalar>>(_ scalars: Scalars) -> Int {
        var iterator = scalars.makeIterator()
        guard let first = iterator.next() else { return 0 }
        let value = first.value
        if value < 0x7F { return value >= 0x20 ? 1 : 0 }
        let width = scalarWidth(value)
        if width == 2 { return 2 }
        if width == 1 {
            if isRegionalIndicator(value), let second = iterator.next(), isRegionalIndicator(second.value) {
                return 2
            }
            return 1
        }
        if isControl(value) { return 0 }
        while let next = iterator.next() {
            let nextWidth = scalarWidth(next.value)
            if nextWidth > 0 { return nextWidth }
        }
        return 0
    }

    // MARK: Scalars

    /// The width glibc gives one scalar, with unassigned code points treated as narrow.
    static func scalarWidth(_ value: UInt32) -> Int {
        if value < 0x300 {
            // Latin-1 and Latin Extended hold no marks and no wide characters.
            return value < 0x20 || (value >= 0x7F && value < 0xA0) ? 0 : 1
        }
        if let width = tableWidth(value) { return width }
        // glibc makes conjoining Hangul vowels and final consonants zero-width so that a
        // decomposed syllable takes only its leading consonant's two columns.
        if (0x1160...0x11FF).contains(value) || (0xD7B0...0xD7FF).contains(value) { return 0 }
        // AHOM CONSONANT SIGN MEDIAL RA was a nonspacing mark in Unicode 14, which glibc 2.36 uses.
        if value == 0x1171E { return 0 }
        guard let scalar = Unicode.Scalar(value) else { return 0 }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format:
            return isPrependedConcatenationMark(value) ? 1 : 0
        case .control, .lineSeparator, .paragraphSeparator, .surrogate:
            return 0
        default:
            // Emoji newer than the table; regional indicators stay narrow on their own.
            if properties.isEmojiPresentation, !isRegionalIndicator(value) { return 2 }
            return 1
        }
    }

    private static func isControl(_ value: UInt32) -> Bool {
        value < 0x20 || (value >= 0x7F && value < 0xA0) || value == 0x2028 || value == 0x2029
    }

    private static func isRegionalIndicator(_ value: UInt32) -> Bool {
        (0x1F1E6...0x1F1FF).contains(value)
    }

    /// Format characters that glibc keeps visible, one column wide: the Prepended_Concatenation_Mark
    /// characters, which print a sign spanning the digits after them. (The soft hyphen, the other
    /// visible one, is below U+0300.)
    private static func isPrependedConcatenationMark(_ value: UInt32) -> Bool {
        switch value {
        case 0x0600...0x0605, 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2, 0x110BD, 0x110CD: true
        default: false
        }
    }

    /// The width of `value` if a range of `ranges` holds it.
    private static func tableWidth(_ value: UInt32) -> Int? {
        let block = Int(value >> 8)
        guard block < firstRangeOfBlock.count else { return nil }
        return ranges.withUnsafeBufferPointer { table in
            var entry = Int(firstRangeOfBlock[block]) * 3
            while entry < table.count, table[entry] <= value {
                if value <= table[entry + 1] { return Int(table[entry + 2]) }
                entry += 3
            }
            return nil
        }
    }

    /// For each block of 256 code points up to the end of `ranges`, the first range that ends in
    /// or after it, so a lookup starts next to its answer instead of searching the whole table.
    private static let firstRangeOfBlock: [UInt16] = {
        let rangeCount = ranges.count / 3
        let blockCount = Int(ranges[ranges.count - 2] >> 8) + 1
        var result: [UInt16] = []
        result.reserveCapacity(blockCount)
        var range = 0
        for block in 0..<blockCount {
            while range < rangeCount, ranges[range * 3 + 1] < UInt32(block) << 8 { range += 1 }
            result.append(UInt16(range))
        }
        return result
    }()

    /// Sorted, disjoint `first, last, width` triples (inclusive) from U+0300 on.
    ///
    /// Width 2: what glibc 2.36 draws two columns wide (East Asian Wide and Fullwidth, which
    /// includes emoji with Emoji_Presentation), minus the marks inside CJK blocks that it makes
    /// zero-width. Runs are joined across code points unassigned in Unicode 14 where later versions
    /// filled the gap with wide characters (new ideographs, kana, emoji, CJK strokes) or left it
    /// empty, and the ideographic planes 2 and 3 are wide throughout, as East Asian Width defaults
    /// them.
    ///
    /// Width 1: runs of at least 16 code points holding no mark, format character, control or
    /// emoji (Greek, Cyrillic, most letters of other scripts, punctuation, arrows, box drawing…),
    /// so that common text never reaches the slower Unicode property lookups. Generated from the
    /// same rules as `scalarWidth` with the Unicode 17 data of Swift 6.3; the glibc test checks
    /// every entry.
    private static let ranges: [UInt32] = [
        0x0370, 0x0482, 1, 0x048A, 0x0590, 1, 0x05C8, 0x060F, 1, 0x061D, 0x064A, 1,
        0x0660, 0x066F, 1, 0x0671, 0x06D5, 1, 0x06EE, 0x0710, 1, 0x0712, 0x072F, 1,
        0x074B, 0x07A5, 1, 0x07B1, 0x07EA, 1, 0x07FE, 0x0815, 1, 0x082E, 0x0858, 1,
        0x085C, 0x0896, 1, 0x08A0, 0x08C9, 1, 0x0903, 0x0939, 1, 0x0964, 0x0980, 1,
        0x0982, 0x09BB, 1, 0x09CE, 0x09E1, 1, 0x09E4, 0x09FD, 1, 0x0A03, 0x0A3B, 1,
        0x0A52, 0x0A6F, 1, 0x0A83, 0x0ABB, 1, 0x0ACE, 0x0AE1, 1, 0x0AE4, 0x0AF9, 1,
        0x0B02, 0x0B3B, 1, 0x0B64, 0x0B81, 1, 0x0B83, 0x0BBF, 1, 0x0BCE, 0x0BFF, 1,
        0x0C05, 0x0C3B, 1, 0x0C64, 0x0C80, 1, 0x0C82, 0x0CBB, 1, 0x0CCE, 0x0CE1, 1,
        0x0CE4, 0x0CFF, 1, 0x0D02, 0x0D3A, 1, 0x0D4E, 0x0D61, 1, 0x0D64, 0x0D80, 1,
        0x0D82, 0x0DC9, 1, 0x0DD7, 0x0E30, 1, 0x0E4F, 0x0EB0, 1, 0x0ECF, 0x0F17, 1,
        0x0F1A, 0x0F34, 1, 0x0F3A, 0x0F70, 1, 0x0FC7, 0x102C, 1, 0x103F, 0x1057, 1,
        0x1061, 0x1070, 1, 0x109E, 0x10FF, 1, 0x1100, 0x115F, 2, 0x1200, 0x135C, 1,
        0x1360, 0x1711, 1, 0x1715, 0x1731, 1, 0x1734, 0x1751, 1, 0x1754, 0x1771, 1,
        0x1774, 0x17B3, 1, 0x17DE, 0x180A, 1, 0x1810, 0x1884, 1, 0x1887, 0x18A8, 1,
        0x18AA, 0x191F, 1, 0x193C, 0x1A16, 1, 0x1A1C, 0x1A55, 1, 0x1A80, 0x1AAF, 1,
        0x1AEC, 0x1AFF, 1, 0x1B04, 0x1B33, 1, 0x1B43, 0x1B6A, 1, 0x1B82, 0x1BA1, 1,
        0x1BAE, 0x1BE5, 1, 0x1BF2, 0x1C2B, 1, 0x1C38, 0x1CCF, 1, 0x1CFA, 0x1DBF, 1,
        0x1E00, 0x200A, 1, 0x2010, 0x2027, 1, 0x202F, 0x205F, 1, 0x2070, 0x20CF, 1,
        0x20F1, 0x2319, 1, 0x231A, 0x231B, 2, 0x2329, 0x232A, 2, 0x232B, 0x23E8, 1,
        0x23E9, 0x23EC, 2, 0x23F0, 0x23F0, 2, 0x23F3, 0x23F3, 2, 0x23F4, 0x25FC, 1,
        0x25FD, 0x25FE, 2, 0x25FF, 0x2613, 1, 0x2614, 0x2615, 2, 0x2616, 0x2647, 1,
        0x2648, 0x2653, 2, 0x2654, 0x267E, 1, 0x267F, 0x267F, 2, 0x2680, 0x2692, 1,
        0x2693, 0x2693, 2, 0x26A1, 0x26A1, 2, 0x26AA, 0x26AB, 2, 0x26AC, 0x26BC, 1,
        0x26BD, 0x26BE, 2, 0x26C4, 0x26C5, 2, 0x26CE, 0x26CE, 2, 0x26D4, 0x26D4, 2,
        0x26D5, 0x26E9, 1, 0x26EA, 0x26EA, 2, 0x26F2, 0x26F3, 2, 0x26F5, 0x26F5, 2,
        0x26FA, 0x26FA, 2, 0x26FD, 0x26FD, 2, 0x2705, 0x2705, 2, 0x270A, 0x270B, 2,
        0x270C, 0x2727, 1, 0x2728, 0x2728, 2, 0x2729, 0x274B, 1, 0x274C, 0x274C, 2,
        0x274E, 0x274E, 2, 0x2753, 0x2755, 2, 0x2757, 0x2757, 2, 0x2758, 0x2794, 1,
        0x2795, 0x2797, 2, 0x2798, 0x27AF, 1, 0x27B0, 0x27B0, 2, 0x27BF, 0x27BF, 2,
        0x27C0, 0x2B1A, 1, 0x2B1B, 0x2B1C, 2, 0x2B1D, 0x2B4F, 1, 0x2B50, 0x2B50, 2,
        0x2B55, 0x2B55, 2, 0x2B56, 0x2CEE, 1, 0x2CF2, 0x2D7E, 1, 0x2D80, 0x2DDF, 1,
        0x2E00, 0x2E7F, 1, 0x2E80, 0x3029, 2, 0x302E, 0x303E, 2, 0x3041, 0x3096, 2,
        0x309B, 0xA4C6, 2, 0xA4C7, 0xA66E, 1, 0xA67E, 0xA69D, 1, 0xA6A0, 0xA6EF, 1,
        0xA6F2, 0xA801, 1, 0xA80C, 0xA824, 1, 0xA82D, 0xA8C3, 1, 0xA8C6, 0xA8DF, 1,
        0xA900, 0xA925, 1, 0xA92E, 0xA946, 1, 0xA960, 0xA97C, 2, 0xA983, 0xA9B2, 1,
        0xA9BE, 0xA9E4, 1, 0xA9E6, 0xAA28, 1, 0xAA4D, 0xAA7B, 1, 0xAA7D, 0xAAAF, 1,
        0xAAC2, 0xAAEB, 1, 0xAAF7, 0xABE4, 1, 0xABEE, 0xABFF, 1, 0xAC00, 0xD7A3, 2,
        0xE000, 0xF8FF, 1, 0xF900, 0xFAD9, 2, 0xFADA, 0xFB1D, 1, 0xFB1F, 0xFDFF, 1,
        0xFE10, 0xFE19, 2, 0xFE30, 0xFE6B, 2, 0xFE6C, 0xFEFE, 1, 0xFF01, 0xFF60, 2,
        0xFF61, 0xFFDF, 1, 0xFFE0, 0xFFE6, 2, 0xFFE7, 0xFFF8, 1, 0xFFFC, 0x101FC, 1,
        0x101FE, 0x102DF, 1, 0x102E1, 0x10375, 1, 0x1037B, 0x10A00, 1, 0x10A10, 0x10A37, 1,
        0x10A40, 0x10AE4, 1, 0x10AE7, 0x10D23, 1, 0x10D28, 0x10D68, 1, 0x10D6E, 0x10EAA, 1,
        0x10EAD, 0x10EF9, 1, 0x10F00, 0x10F45, 1, 0x10F51, 0x10F81, 1, 0x10F86, 0x11000, 1,
        0x11002, 0x11037, 1, 0x11047, 0x1106F, 1, 0x11082, 0x110B2, 1, 0x110C3, 0x110FF, 1,
        0x11103, 0x11126, 1, 0x11135, 0x11172, 1, 0x11182, 0x111B5, 1, 0x111D0, 0x1122E, 1,
        0x11242, 0x112DE, 1, 0x112EB, 0x112FF, 1, 0x11302, 0x1133A, 1, 0x11341, 0x11365, 1,
        0x11375, 0x113BA, 1, 0x113E3, 0x11437, 1, 0x11447, 0x1145D, 1, 0x1145F, 0x114B2, 1,
        0x114C4, 0x115B1, 1, 0x115C1, 0x115DB, 1, 0x115DE, 0x11632, 1, 0x11641, 0x116AA, 1,
        0x116B8, 0x1171C, 1, 0x1172C, 0x1182E, 1, 0x1183B, 0x1193A, 1, 0x11944, 0x119D3, 1,
        0x119E1, 0x11A00, 1, 0x11A0B, 0x11A32, 1, 0x11A5C, 0x11A89, 1, 0x11A9A, 0x11B5F, 1,
        0x11B67, 0x11C2F, 1, 0x11C40, 0x11C91, 1, 0x11CB7, 0x11D30, 1, 0x11D48, 0x11D8F, 1,
        0x11D98, 0x11EF2, 1, 0x11F02, 0x11F35, 1, 0x11F43, 0x11F59, 1, 0x11F5B, 0x1342F, 1,
        0x13456, 0x1611D, 1, 0x16130, 0x16AEF, 1, 0x16AF5, 0x16B2F, 1, 0x16B37, 0x16F4E, 1,
        0x16F50, 0x16F8E, 1, 0x16F93, 0x16FDF, 1, 0x16FE0, 0x16FE3, 2, 0x16FF0, 0x1B2FB, 2,
        0x1B2FC, 0x1BC9C, 1, 0x1BCA4, 0x1CEFF, 1, 0x1CF47, 0x1D166, 1, 0x1D18C, 0x1D1A9, 1,
        0x1D1AE, 0x1D241, 1, 0x1D245, 0x1D9FF, 1, 0x1DA85, 0x1DA9A, 1, 0x1DAB0, 0x1DFFF, 1,
        0x1E02B, 0x1E08E, 1, 0x1E090, 0x1E12F, 1, 0x1E137, 0x1E2AD, 1, 0x1E2AF, 0x1E2EB, 1,
        0x1E2F0, 0x1E4EB, 1, 0x1E4F0, 0x1E5ED, 1, 0x1E5F0, 0x1E6E2, 1, 0x1E6F6, 0x1E8CF, 1,
        0x1E8D7, 0x1E943, 1, 0x1E94B, 0x1F003, 1, 0x1F004, 0x1F004, 2, 0x1F005, 0x1F0CE, 1,
        0x1F0CF, 0x1F0CF, 2, 0x1F0D0, 0x1F18D, 1, 0x1F18E, 0x1F18E, 2, 0x1F191, 0x1F19A, 2,
        0x1F19B, 0x1F1FF, 1, 0x1F200, 0x1F320, 2, 0x1F32D, 0x1F335, 2, 0x1F337, 0x1F37C, 2,
        0x1F37E, 0x1F393, 2, 0x1F3A0, 0x1F3CA, 2, 0x1F3CF, 0x1F3D3, 2, 0x1F3E0, 0x1F3F0, 2,
        0x1F3F4, 0x1F3F4, 2, 0x1F3F8, 0x1F43E, 2, 0x1F440, 0x1F440, 2, 0x1F442, 0x1F4FC, 2,
        0x1F4FF, 0x1F53D, 2, 0x1F54B, 0x1F54E, 2, 0x1F550, 0x1F567, 2, 0x1F568, 0x1F579, 1,
        0x1F57A, 0x1F57A, 2, 0x1F57B, 0x1F594, 1, 0x1F595, 0x1F596, 2, 0x1F5A4, 0x1F5A4, 2,
        0x1F5A5, 0x1F5FA, 1, 0x1F5FB, 0x1F64F, 2, 0x1F650, 0x1F67F, 1, 0x1F680, 0x1F6C5, 2,
        0x1F6CC, 0x1F6CC, 2, 0x1F6D0, 0x1F6D2, 2, 0x1F6D5, 0x1F6DF, 2, 0x1F6EB, 0x1F6EC, 2,
        0x1F6F4, 0x1F6FC, 2, 0x1F6FD, 0x1F7DF, 1, 0x1F7E0, 0x1F7F0, 2, 0x1F7F1, 0x1F90B, 1,
        0x1F90C, 0x1F93A, 2, 0x1F93C, 0x1F945, 2, 0x1F947, 0x1F9FF, 2, 0x1FA00, 0x1FA6F, 1,
        0x1FA70, 0x1FAF6, 2, 0x1FAF9, 0x1FFFF, 1, 0x20000, 0x3FFFD, 2,
    ]
}

extension DisplayWidth {
    /// One grapheme cluster found by ``ClusterScanner``, located by UTF-8 byte offsets.
    struct Cluster {
        /// Offset of the cluster's first byte.
        var start: Int
        /// Offset just past the cluster's last byte.
        var end: Int
        /// Its display width.
        var width: Int
        /// The byte, when the cluster is exactly one ASCII byte, which lets callers spot spaces and
        /// line feeds without comparing Characters.
        var ascii: UInt8?
        /// Whether the cluster is a line feed or CR LF.
        var isLineBreak: Bool
    }

    /// Walks text's UTF-8 cluster by cluster with each cluster's width, without building
    /// Characters.
    ///
    /// Grapheme breaking is the expensive part of measuring, and most text needs none of it. An
    /// ASCII byte followed by another ASCII byte (other than CR LF) is a cluster on its own, since
    /// only non-ASCII scalars extend or join clusters, so ASCII goes byte by byte with no reference
    /// counting. Likewise a common letter or symbol followed by another is a cluster on its own
    /// (see `isPlainSingleScalar`). Only where a mark, joiner, modifier, flag, Hangul jamo or
    /// anything less common is involved does the standard library find where the cluster ends,
    /// so clusters always agree with `Character`.
    struct ClusterScanner {
        /// The text's UTF-8, valid only inside ``scan(_:_:)``.
        let bytes: UnsafeBufferPointer<UInt8>
        private let text: Substring
        /// The byte offset of the next cluster.
        private(set) var offset = 0
        /// While grapheme breaking is left to the standard library: the index of the next
        /// cluster, which it produced, so it needn't be re-aligned to a cluster boundary.
        private var alignedIndex: String.Index?
        /// The scalar after the last cluster's first, decoded while checking whether it could
        /// join, so it isn't decoded twice.
        private var lookahead: (offset: Int, scalar: Unicode.Scalar, length: Int)?

        /// How many ASCII bytes must follow a cluster left to the standard library before
        /// byte-by-byte scanning resumes: switching back costs about as much as a few clusters.
        private static let asciiRunToResume = 8

        private init(bytes: UnsafeBufferPointer<UInt8>, text: Substring) {
            self.bytes = bytes
            self.text = text
        }

        /// Runs `body` with a scanner positioned at the start of `text`.
        static func scan<Result>(_ text: Substring, _ body: (inout ClusterScanner) -> Result) -> Result {
            var contiguous = text
            return contiguous.withUTF8 { bytes in
                var scanner = ClusterScanner(bytes: bytes, text: text)
                return body(&scanner)
            }
        }

        /// Runs `body` with a scanner positioned at the start of `text`.
        static func scan<Result>(_ text: String, _ body: (inout ClusterScanner) -> Result) -> Result {
            scan(text[...], body)
        }

        /// The index in the scanned text of a byte offset that starts or ends a cluster.
        func index(atByte offset: Int) -> String.Index {
            text.utf8.index(text.startIndex, offsetBy: offset)
        }

        /// The next cluster, or nil at the end of the text.
        mutating func next() -> Cluster? {
            let start = offset
            let count = bytes.count
            guard start < count else { return nil }
            let byte = bytes[start]
            if alignedIndex == nil, byte < 0x80 {
                let following = start + 1 < count ? bytes[start + 1] : 0
                if following < 0x80, !(byte == 0x0D && following == 0x0A) {
                    offset = start + 1
                    return Cluster(start: start, end: offset, width: Self.asciiWidth(byte), ascii: byte, isLineBreak: byte == 0x0A)
                }
            }
            // Two letters or symbols in a row that nothing can join: no need to ask.
            let (first, firstLength): (Unicode.Scalar, Int)
            if let cached = lookahead, cached.offset == start {
                (first, firstLength) = (cached.scalar, cached.length)
            } else {
                (first, firstLength) = decodeScalar(at: start)
            }
            let second = start + firstLength
            var isAlone = second == count
            if !isAlone, Self.isPlainSingleScalar(first) {
                let (next, nextLength) = decodeScalar(at: second)
                lookahead = (second, next, nextLength)
                isAlone = Self.isPlainSingleScalar(next)
            }
            if isAlone {
                offset = second
                alignedIndex = nil
                let width = DisplayWidth.clusterWidth(CollectionOfOne(first))
                return Cluster(start: start, end: second, width: width, ascii: firstLength == 1 ? byte : nil, isLineBreak: byte == 0x0A)
            }
            let startIndex = alignedIndex ?? index(atByte: start)
            let endIndex = text.index(after: startIndex)
            let end = start + text.utf8.distance(from: startIndex, to: endIndex)
            offset = end
            alignedIndex = isASCIIRun(at: end) ? nil : endIndex
            if end == start + 1 {
                return Cluster(start: start, end: end, width: Self.asciiWidth(byte), ascii: byte, isLineBreak: byte == 0x0A)
            }
            let scalars = UTF8Scalars(bytes: UnsafeBufferPointer(rebasing: bytes[start..<end]))
            let isCarriageReturnLineFeed = end == start + 2 && byte == 0x0D && bytes[start + 1] == 0x0A
            return Cluster(start: start, end: end, width: DisplayWidth.clusterWidth(scalars), ascii: nil, isLineBreak: isCarriageReturnLineFeed)
        }

        /// The scalar whose UTF-8 starts at `offset`, and its length in bytes.
        private func decodeScalar(at offset: Int) -> (scalar: Unicode.Scalar, length: Int) {
            var scalars = UTF8Scalars(bytes: UnsafeBufferPointer(rebasing: bytes[offset...]))
            let scalar = scalars.next() ?? "\u{FFFD}"
            return (scalar, scalars.consumed)
        }

        /// Whether `scalar` is one whose Grapheme_Cluster_Break property is Other and which isn't
        /// a prepend, joiner or regional indicator: between two of these there is always a cluster
        /// boundary (rule GB999), since every rule that joins needs one of the other classes.
        /// Covers the common letters and symbols: Latin, Greek, Cyrillic, Hebrew and Arabic
        /// letters, punctuation, arrows and shapes, kana, CJK ideographs, fullwidth forms, emoji
        /// other than skin-tone modifiers.
        private static func isPlainSingleScalar(_ scalar: Unicode.Scalar) -> Bool {
            let value = scalar.value
            if value < 0x300 {
                return (0x20...0x7E).contains(value) || (value >= 0xA0 && value != 0xAD)
            }
            if value < 0x3000 {
                switch value {
                case 0x370...0x482, 0x48A...0x52F, 0x5D0...0x5EA, 0x620...0x64A, 0x2010...0x2027, 0x2030...0x205F,
                    0x2100...0x2BFF:
                    return true
                default:
                    return false
                }
            }
            if value < 0x10000 {
                switch value {
                case 0x3001...0x3029, 0x3030...0x3096, 0x309B...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xFF01...0xFF60:
                    return true
                default:
                    return false
                }
            }
            return (0x1F300...0x1F3FA).contains(value) || (0x1F400...0x1FAFF).contains(value)
        }

        /// Whether plain ASCII follows `offset` for long enough (or to the end) to scan it byte by byte.
        private func isASCIIRun(at offset: Int) -> Bool {
            let end = min(bytes.count, offset + Self.asciiRunToResume)
            var index = offset
            while index < end {
                if bytes[index] >= 0x80 { return false }
                index += 1
            }
            return true
        }

        private static func asciiWidth(_ byte: UInt8) -> Int {
            byte >= 0x20 && byte != 0x7F ? 1 : 0
        }
    }

    /// The scalars of a stretch of valid UTF-8, decoded without going through String.
    struct UTF8Scalars: Sequence, IteratorProtocol {
        let bytes: UnsafeBufferPointer<UInt8>
        /// How many bytes the scalars returned so far took.
        private(set) var consumed = 0

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        mutating func next() -> Unicode.Scalar? {
            guard consumed < bytes.count else { return nil }
            let lead = UInt32(bytes[consumed])
            let value: UInt32
            let length: Int
            switch lead {
            case 0..<0x80:
                value = lead
                length = 1
            case 0xC0..<0xE0:
                value = (lead & 0x1F) << 6 | continuation(1)
                length = 2
            case 0xE0..<0xF0:
                value = (lead & 0x0F) << 12 | continuation(1) << 6 | continuation(2)
                length = 3
            default:
                value = (lead & 0x07) << 18 | continuation(1) << 12 | continuation(2) << 6 | continuation(3)
                length = 4
            }
            consumed += length
            return Unicode.Scalar(value)
        }

        private func continuation(_ position: Int) -> UInt32 {
            UInt32(bytes[consumed + position] & 0x3F)
        }
    }
}
