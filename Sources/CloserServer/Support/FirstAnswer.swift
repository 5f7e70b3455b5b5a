/// Runs `work` in a task of its own and returns its answer, or `fallback` once `limit` has passed,
/// whichever comes first, and never later.
///
/// A task group cannot do this: it waits for every child, so a child that does not honour
/// cancellation (a connection-pool lease that never resolves, a blocking transfer) would hold the
/// caller (a `/readyz` request, a send) for as long as it runs. Here the late work is cancelled
/// when `cancelLateWork` says so, or else left to finish in the background.
func firstAnswer<T: Sendable>(
    within limit: Duration,
    fallback: T,
    cancelLateWork: Bool,
    _ work: @escaping @Sendable () async -> T
) async -> T {
    let (answers, answer) = AsyncStream.makeStream(of: T.self, bufferingPolicy: .bufferingOldest(1))
    let worker = Task {
        answer.yield(await work())
    }
    let timer = Task {
        try? await Task.sleep(for: limit)
        answer.yield(fallback)
    }
    var iterator = answers.makeAsyncIterator()
    // nil only when the caller itself is cancelled.
    let result = await iterator.next() ?? fallback
    answer.finish()
    timer.cancel()
    if cancelLateWork { worker.cancel() }
    return result
}
