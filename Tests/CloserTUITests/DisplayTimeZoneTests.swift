import Foundation
import Testing

@testable import CloserTUI

#if canImport(Glibc)
import Glibc
#endif

@Suite("Times shown in the rep's zone")
struct DisplayTimeZoneTests {
    /// `.system` reads the zone from the C library; with `TZ` set it must agree with Foundation's
    /// rules for that zone at every hour of a year, across both daylight-saving changes, and in zones
    /// with half-hour offsets and half-hour shifts.
    ///
    /// `TZ` belongs to the whole process, and changing it while other tests run is a data race
    /// (`setenv` can move `environ` under a `Process` being spawned, which crashed a CI run). So
    /// each zone is checked by `systemZoneProbe` in a child run of this test binary, started with
    /// `TZ` in its own environment.
    @Test("the system zone follows TZ, daylight saving included", arguments: ["America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "Europe/London"])
    func systemZoneFollowsTZ(identifier: String) throws {
        var environment = ProcessInfo.processInfo.environment
        environment["TZ"] = identifier
        environment[Self.probeVariable] = identifier
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0])
        process.arguments = ["--testing-library", "swift-testing", "--filter", "DisplayTimeZoneTests/systemZoneProbe"]
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text.suffix(2_000))")
        #expect(text.contains("systemZoneProbe") && text.contains("passed"), "the probe did not run: \(text.suffix(2_000))")
    }

    /// The check itself; runs only in the child that `systemZoneFollowsTZ` starts.
    @Test(.enabled(if: ProcessInfo.processInfo.environment[probeVariable] != nil))
    func systemZoneProbe() throws {
        let identifier = try #require(ProcessInfo.processInfo.environment[Self.probeVariable])
        #expect(ProcessInfo.processInfo.environment["TZ"] == identifier)
        let reference = try #require(TimeZone(identifier: identifier))
        let mismatches = stride(from: 1_767_225_600.0, to: 1_767_225_600.0 + 366 * 86_400, by: 3_600).compactMap { seconds -> String? in
            let date = Date(timeIntervalSince1970: seconds)
            let system = DisplayTimeZone.system.secondsFromGMT(for: date)
            return system == reference.secondsFromGMT(for: date) ? nil : "\(date): \(system)"
        }
        #expect(mismatches.count == 0, "hours that differ from Foundation in \(identifier), the first: \(mismatches.prefix(3))")
    }

    private static let probeVariable = "CLOSER_TEST_TZ_PROBE"

    @Test("the clock jumps with daylight saving: 01:59 EST, then 03:00 EDT")
    func clockAcrossTheSpringChange() throws {
        let newYork = DisplayTimeZone(try #require(TimeZone(identifier: "America/New_York")))
        // 2026-03-08 06:59 UTC is 01:59 EST; a minute later it is 03:00 EDT.
        let before = Date(timeIntervalSince1970: 1_772_953_140)
        #expect(Formatting.clock(before, timeZone: newYork) == "01:59")
        #expect(Formatting.clock(before + 60, timeZone: newYork) == "03:00")
        #expect(Update.minuteOfDay(before + 60, timeZone: newYork) == 180)
        #expect(Formatting.clock(before, timeZone: .utc) == "06:59")
    }
}
