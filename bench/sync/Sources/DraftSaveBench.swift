import CloserClient
import CloserCore
import Foundation
import Logging
import Synchronization

/// The local draft save: how long `SyncEngine.perform(.saveDraft)` takes to return (it writes the
/// cache before returning; the push to the server runs on a background task), over `saves` saves
/// spread over `leads` leads, each on a fresh cache file:
///
/// - `online`: the engine connected to the server, every save also pushed in the background;
/// - `unreachable`: the engine pointed at a closed port (pushes fail at once, drafts stay dirty);
/// - `cache`: `ClientCache.saveDraftLocally` alone, without the engine around it.
///
/// The bare SQLite baseline (the same upsert through Python's sqlite3 on the same libsqlite3, WAL,
/// `synchronous=NORMAL`) is bench/sync/sqlite_baseline.py.
struct DraftSaveBench {
    let options: BenchArguments

    struct Result: Codable {
        var mode = "drafts"
        var saves: Int
        var leads: Int
        var gapMilliseconds: Int
        var contentBytes: Int
        var samples: [Samples]
        /// Online only: how long after the last save every draft was clean (pushed), and how many
        /// pushes were acknowledged (`draftSaved(synced: true)`) meanwhile.
        var onlineSettleMilliseconds: Double?
        var onlineSyncedEvents: Int
        var problems: [String]
    }

    func run() async throws {
        let server = try options.string("server")
        let unreachable = try options.string("unreachable")
        let email = try options.string("email")
        let password = try options.secret("password-file")
        let output = try options.string("out")
        let workdir = try options.string("workdir")
        let saves = try options.int("saves", default: 10_000)
        let leadCount = try options.int("leads", default: 50)
        let gapMilliseconds = try options.int("gap-ms", default: 2)
        let contentBytes = try options.int("content-bytes", default: 300)
        let warmup = 100

        var api = APIClient(baseURL: server, http: CurlHTTPClient())
        let token = try await api.login(email: email, password: password).token
        api.token = token
        var leadIds: [String] = []
        for number in 0..<leadCount {
            leadIds.append(try await api.createLead(CreateLeadRequest(name: "Draft Lead \(number)", email: "draft\(number)@prospect.example")).id)
        }
        let edits = (0..<(warmup + saves)).map { index in
            DraftEdit(leadId: leadIds[index % leadCount], content: Self.content(index, bytes: contentBytes), subject: "Re: proposal", channel: .email)
        }
        var logger = Logger(label: "closer-bench-sync")
        logger.logLevel = .critical
        let problems = Mutex<[String]>([])
        let synced = Atomic<Int>(0)
        let online = Atomic<Bool>(false)
        let sink: @Sendable (InboxEvent) -> Void = { event in
            switch event {
            case .connection(let status): online.store(status == .online, ordering: .releasing)
            case .draftSaved(_, _, true): synced.add(1, ordering: .relaxed)
            case .problem(let text): problems.withLock { $0.append(text) }
            default: break
            }
        }

        var samples: [Samples] = []

        let bare = try ClientCache(path: workdir + "/drafts-cache.sqlite")
        samples.append(try await time("drafts.cache", "ClientCache.saveDraftLocally alone (the engine's cache write)", edits, warmup: warmup, gap: gapMilliseconds) { edit in
            try bare.saveDraftLocally(edit, at: Date())
        })

        let offline = SyncEngine(server: unreachable, token: token, cache: try ClientCache(path: workdir + "/drafts-unreachable.sqlite"), logger: logger)
        offline.start(sink: sink)
        samples.append(try await time("drafts.unreachable", "perform(.saveDraft), server unreachable (closed port)", edits, warmup: warmup, gap: gapMilliseconds) { edit in
            offline.perform(.saveDraft(edit))
        })
        offline.stop()
        // The closed port's connection-refused reports are expected; only the online phase's count.
        problems.withLock { $0.removeAll() }

        let onlineCache = try ClientCache(path: workdir + "/drafts-online.sqlite")
        let engine = SyncEngine(server: server, token: token, cache: onlineCache, logger: logger)
        engine.start(sink: sink)
        let deadline = ContinuousClock.now + .seconds(20)
        while !online.load(ordering: .acquiring) {
            guard ContinuousClock.now < deadline else { throw BenchFailure("the engine did not come online within 20 s") }
            try await Task.sleep(for: .milliseconds(20))
        }
        synced.store(0, ordering: .relaxed)
        samples.append(try await time("drafts.online", "perform(.saveDraft), online (each save also pushed in the background)", edits, warmup: warmup, gap: gapMilliseconds) { edit in
            engine.perform(.saveDraft(edit))
        })
        let lastSave = ContinuousClock.now
        var settled: Double?
        while lastSave.milliseconds(to: .now) < 120_000 {
            if try onlineCache.drafts().allSatisfy({ !$0.dirty }) {
                settled = lastSave.milliseconds(to: .now)
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        engine.stop()

        for sample in samples { progress(sample.summary) }
        progress("online: every draft pushed \(settled.map { String(format: "%.0f ms", $0) } ?? "not within 120 s") after the last save; \(synced.load(ordering: .relaxed)) acknowledged pushes")
        try writeJSON(Result(saves: saves, leads: leadCount, gapMilliseconds: gapMilliseconds, contentBytes: contentBytes, samples: samples,
                             onlineSettleMilliseconds: settled, onlineSyncedEvents: synced.load(ordering: .relaxed),
                             problems: problems.withLock { Array($0.prefix(20)) }), to: output)
    }

    /// Times `save` over `edits`, the first `warmup` not counted, `gap` milliseconds apart.
    private func time(_ name: String, _ what: String, _ edits: [DraftEdit], warmup: Int, gap: Int,
                      _ save: (DraftEdit) throws -> Void) async throws -> Samples {
        var samples = Samples(name: name, what: what)
        samples.milliseconds.reserveCapacity(edits.count - warmup)
        for (index, edit) in edits.enumerated() {
            let start = ContinuousClock.now
            try save(edit)
            let end = ContinuousClock.now
            if index >= warmup { samples.milliseconds.append(start.milliseconds(to: end)) }
            if gap > 0 { try await Task.sleep(for: .milliseconds(gap)) }
        }
        return samples
    }

    /// A draft of exactly `bytes` UTF-8 bytes that differs on every save, as typing makes it.
    static func content(_ index: Int, bytes: Int) -> String {
        let text = "Hi Dana,\n\nThanks for the call today (save \(index)). As promised, here is a summary of the proposal "
            + "for Northwind: the annual plan for a team of five, onboarding in two weeks, and the security questionnaire "
            + "attached. Let me know if Thursday still works for the walkthrough with your CFO.\n\nBest,\nRita\n"
        let padded = text.utf8.count >= bytes ? String(text.utf8.prefix(bytes))! : text + String(repeating: ".", count: bytes - text.utf8.count)
        return padded
    }
}
