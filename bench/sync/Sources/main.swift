// closer-bench-sync: the sync engine's benchmark driver (see bench/README.md, "Sync engine").
//
// Talks to a running `closer-server` (bench/sync/run.sh starts one) as the terminal client does:
// the real `SyncEngine` (SQLite cache, libcurl, Socket.IO) and, for the drawing side, the real
// `Update`/`AppView` into a `MemoryScreen`. Each mode writes one JSON result with every sample, for
// bench/sync/report.py; the person running it reads the summary lines on stderr.
//
//   realtime   send -> drawn on a second client, with the bare REST round trip as baseline
//   drafts     `perform(.saveDraft)` online, with the server unreachable, and `ClientCache` alone
//   seed-cold  10,000 leads on the server, and a cache template with them and 100,000 messages
//   cold-breakdown  the cold start's steps (cache read, decode, apply, render) timed in process
//   cache-path the cache file `closer` opens for a server and token (CLOSER_SERVER/CLOSER_TOKEN)

import Foundation

let usage = """
    usage: closer-bench-sync MODE [--name value ...]
      realtime   --server URL --email E --password-file F --out FILE --workdir DIR
                 [--sends 1000] [--warmup 20] [--gap-ms 20] [--timeout-s 5]
      drafts     --server URL --email E --password-file F --out FILE --workdir DIR
                 [--saves 10000] [--leads 50] [--gap-ms 2] [--content-bytes 300]
      seed-cold  --server URL --email E --password-file F --out FILE --template PATH
                 [--leads 10000] [--messages-per-lead 10]
      cold-breakdown --template PATH --workdir DIR --out FILE [--iterations 5]
      cache-path --server URL --token TOKEN --data-home DIR
    """

let arguments = Array(CommandLine.arguments.dropFirst())
guard let mode = arguments.first, mode != "--help", mode != "-h" else {
    FileHandle.standardError.write(Data((usage + "\n").utf8))
    exit(arguments.isEmpty ? 2 : 0)
}

do {
    let options = try BenchArguments(Array(arguments.dropFirst()))
    switch mode {
    case "realtime":
        try await RealtimeBench(options: options).run()
    case "drafts":
        try await DraftSaveBench(options: options).run()
    case "seed-cold":
        try await ColdCacheSeeder(options: options).run()
    case "cold-breakdown":
        try ColdStartBreakdown(options: options).run()
    case "cache-path":
        print(try ColdCacheSeeder.cachePath(options: options))
    default:
        throw BenchFailure("unknown mode \(mode)\n\(usage)")
    }
} catch {
    FileHandle.standardError.write(Data("closer-bench-sync \(mode): \(error)\n".utf8))
    exit(1)
}
