import CloserTUI
import Foundation
import Testing

/// Golden-frame snapshots in the manner of swift-argument-parser's `assertSnapshot`: one text file
/// per screen under `Goldens/`, diffed on failure, re-recorded only on purpose with
/// `CLOSER_RECORD_GOLDENS=1 swift test`.
enum GoldenFrame {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Goldens")

    static func assertMatches(_ frame: Frame, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        assertMatches(frame.golden(), named: name, sourceLocation: sourceLocation)
    }

    static func assertMatches(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = directory.appendingPathComponent(name + ".txt")
        let record = ProcessInfo.processInfo.environment["CLOSER_RECORD_GOLDENS"] == "1"
        guard !record, let expected = try? String(contentsOf: url, encoding: .utf8) else {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try? actual.write(to: url, atomically: true, encoding: .utf8)
            if !record {
                Issue.record("recorded a new golden frame \(name).txt; check it and run the tests again", sourceLocation: sourceLocation)
            }
            return
        }
        guard expected != actual else { return }
        let actualURL = directory.appendingPathComponent(name + ".actual.txt")
        try? actual.write(to: actualURL, atomically: true, encoding: .utf8)
        Issue.record("golden frame \(name) differs (actual written to \(actualURL.lastPathComponent)):\n\(diff(expected, actual))", sourceLocation: sourceLocation)
    }

    /// The first lines that differ, side by side.
    static func diff(_ expected: String, _ actual: String) -> String {
        let a = expected.components(separatedBy: "\n")
        let b = actual.components(separatedBy: "\n")
        var out: [String] = []
        for index in 0..<max(a.count, b.count) where out.count < 24 {
            let left = index < a.count ? a[index] : "<none>"
            let right = index < b.count ? b[index] : "<none>"
            if left != right {
                out.append("line \(index + 1):\n  - \(left)\n  + \(right)")
            }
        }
        return out.joined(separator: "\n")
    }
}
