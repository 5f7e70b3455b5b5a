import Foundation

/// A mode's `--name value` pairs, read by name with a default.
struct BenchArguments: Sendable {
    private let values: [String: String]

    init(_ arguments: [String]) throws {
        var values: [String: String] = [:]
        var remaining = arguments[...]
        while let name = remaining.popFirst() {
            guard name.hasPrefix("--"), let value = remaining.popFirst() else {
                throw BenchFailure("expected --name value pairs, got \(name)")
            }
            values[String(name.dropFirst(2))] = value
        }
        self.values = values
    }

    func string(_ name: String) throws -> String {
        guard let value = values[name], !value.isEmpty else { throw BenchFailure("--\(name) is required") }
        return value
    }

    func int(_ name: String, default fallback: Int) throws -> Int {
        guard let text = values[name] else { return fallback }
        guard let value = Int(text) else { throw BenchFailure("--\(name) takes a whole number, not \(text)") }
        return value
    }

    /// The first line of the file named by `--name` (a password kept out of argv).
    func secret(_ name: String) throws -> String {
        let path = try string(name)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return String(text.split(whereSeparator: \.isNewline).first ?? "")
    }
}

/// A benchmark that cannot go on; the message says what was expected.
struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One progress line on stderr for the person running the benchmark.
func progress(_ line: String) {
    FileHandle.standardError.write(Data("  \(line)\n".utf8))
}

/// Writes `value` as pretty JSON to `path`.
func writeJSON(_ value: some Encodable, to path: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try encoder.encode(value).write(to: URL(fileURLWithPath: path))
}
