import NIOCore

/// Runs a task's jobs on one NIO event loop: the loop that owns a client's channel.
///
/// A client task reads each frame from its channel's inbound stream. On the cooperative pool
/// every frame then crosses threads: the loop reads it and wakes the task on a pool thread. With
/// this executor preferred, the task runs on the loop that read the frame.
///
/// Only work that never blocks may prefer it: the loop serves every client it owns.
final class EventLoopTaskExecutor: TaskExecutor {
    private let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
