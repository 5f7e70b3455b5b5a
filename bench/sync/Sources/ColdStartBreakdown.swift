import CloserClient
import CloserCore
import CloserTUI
import Foundation

/// Where the cold start's time goes, in process: the steps `closer` takes from its cache to the
/// first frame with the leads, timed one by one on a copy of the cache template, `iterations`
/// times in one process (the first iteration pays what a fresh process pays once: loading
/// Foundation's JSON machinery, first-use metadata).
///
/// `SyncEngine.start` reads the cache on the caller's thread (the UI thread, before its first
/// frame): open, `leads()`, `drafts()`, `outbox()`, `lastOffset()`. The UI then applies the
/// `leads` event (sort, index), asks for the selected lead's thread (read from the cache, again on
/// the UI thread) and draws. The two decoding rows tell the JSON cost from the SQLite cost:
/// `ClientCache` decodes each row with a new `JSONDecoder` (`CloserJSON.decoder()`).
struct ColdStartBreakdown {
    let options: BenchArguments

    struct Result: Codable {
        var mode = "cold-breakdown"
        var leads: Int
        var samples: [Samples]
    }

    func run() throws {
        let template = try options.string("template")
        let workdir = try options.string("workdir")
        let output = try options.string("out")
        let iterations = try options.int("iterations", default: 5)

        var steps: [String: Samples] = [:]
        var order: [String] = []
        func record(_ name: String, _ what: String, _ milliseconds: Double) {
            if steps[name] == nil {
                steps[name] = Samples(name: name, what: what)
                order.append(name)
            }
            steps[name]?.milliseconds.append(milliseconds)
        }
        func timed<T>(_ name: String, _ what: String, _ body: () throws -> T) rethrows -> T {
            let start = ContinuousClock.now
            let value = try body()
            record(name, what, start.milliseconds(to: .now))
            return value
        }

        var leadCount = 0
        for iteration in 0..<iterations {
            let copy = workdir + "/breakdown-\(iteration).sqlite"
            try FileManager.default.copyItem(atPath: template, toPath: copy)
            defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copy + suffix) } }

            let total = ContinuousClock.now
            let cache = try timed("cold.open", "ClientCache(path:): open the pool, check the migrations") { try ClientCache(path: copy) }
            let leads = try timed("cold.leads", "cache.leads(): SELECT 10,000 JSON rows, decode each") { try cache.leads() }
            _ = try timed("cold.rest-of-cache", "cache.drafts(), outbox(), lastOffset()") { (try cache.drafts(), try cache.outbox(), try cache.lastOffset()) }
            var settings = AppSettings()
            settings.glyphs = .unicode
            var state = AppState(size: Size(width: 200, height: 50), now: Date(), settings: settings)
            let effects = timed("cold.apply-leads", "Update.apply(.inbox(.leads)): sort, index, select the top lead") {
                Update.apply(.inbox(.leads(leads)), to: &state)
            }
            for case .backend(.loadThread(let leadId, nil)) in effects {
                let thread = try timed("cold.thread", "cache.thread(leadId:) of the selected lead (its 10 messages)") { try cache.thread(leadId: leadId) }
                _ = Update.apply(.inbox(.thread(leadId: leadId, messages: thread, hasMore: true, replacing: true)), to: &state)
            }
            let frame = timed("cold.render", "AppView.render of the first frame with the leads") { AppView.render(state) }
            record("cold.total", "all of the above", total.milliseconds(to: .now))
            precondition(frame.textLines().joined().contains(leads.first?.name ?? "?"), "the first frame does not show the top lead")
            leadCount = leads.count

            // The same rows decoded two ways, without SQLite: as the cache does (a new decoder per
            // row) and with one decoder for all.
            let encoder = CloserJSON.encoder()
            let rows = try leads.map { try encoder.encode($0) }
            _ = try timed("cold.decode-per-row", "the 10,000 lead JSONs decoded, a new JSONDecoder per row (as ClientCache)") {
                try rows.map { try CloserJSON.decoder().decode(Lead.self, from: $0) }
            }
            let shared = CloserJSON.decoder()
            _ = try timed("cold.decode-shared", "the same, one JSONDecoder for all rows") {
                try rows.map { try shared.decode(Lead.self, from: $0) }
            }
        }
        let samples = order.compactMap { steps[$0] }
        for sample in samples { progress(sample.summary) }
        try writeJSON(Result(leads: leadCount, samples: samples), to: output)
    }
}
