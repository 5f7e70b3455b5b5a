import CloserClient
import CloserCore
import CloserTUI
import Foundation
import Synchronization

/// A second `closer` without a terminal: the real `SyncEngine` feeding the real `Update` and
/// `AppView` on a UI thread of its own, which sleeps in `poll` on a wake-up pipe and draws a frame
/// after every batch of actions, as `TerminalApp.run` does; frames go to a `MemoryScreen`.
/// After each frame the `ScreenWatch` is told what is on screen and when it was presented.
final class DrawingClient: Sendable {
    private let engine: SyncEngine
    private let watch: ScreenWatch
    private let size: Size
    /// The lead whose thread must be open for the measurement to mean anything.
    private let leadId: String
    private let queued = Mutex<[InboxEvent]>([])
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let stopping = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private let online = Atomic<Bool>(false)
    private let threadOpen = Atomic<Bool>(false)
    private let framesPresented = Atomic<Int>(0)
    private let lastFrame = Mutex<Frame?>(nil)
    private let threadLength = Atomic<Int>(0)

    init(engine: SyncEngine, size: Size, leadId: String, watch: ScreenWatch) throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw BenchFailure("pipe: errno \(errno)") }
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        wakeRead = fds[0]
        wakeWrite = fds[1]
        self.engine = engine
        self.size = size
        self.leadId = leadId
        self.watch = watch
    }

    deinit {
        close(wakeRead)
        close(wakeWrite)
    }

    /// The socket is up, and the lead's thread is selected, loaded and laid out on screen.
    var isReady: Bool { online.load(ordering: .acquiring) && threadOpen.load(ordering: .acquiring) }
    var frames: Int { framesPresented.load(ordering: .relaxed) }
    /// Messages of the lead's thread in the app state, as of the last frame.
    var threadMessages: Int { threadLength.load(ordering: .relaxed) }
    /// What the screen showed last, one string per row.
    var screenLines: [String] { lastFrame.withLock { $0?.textLines() ?? [] } }

    func start() {
        engine.start { [self] event in
            watch.note(event)
            if case .connection(let status) = event { online.store(status == .online, ordering: .releasing) }
            queued.withLock { $0.append(event) }
            wake()
        }
        let thread = Thread { [self] in
            runLoop()
            finished.signal()
        }
        thread.name = "bench-ui"
        thread.start()
    }

    func stop() {
        stopping.store(true, ordering: .releasing)
        wake()
        finished.wait()
        engine.stop()
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    private func drain() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(wakeRead, &buffer, buffer.count) > 0 {}
    }

    private func runLoop() {
        var settings = AppSettings()
        settings.glyphs = .unicode
        var state = AppState(size: size, now: Date(), settings: settings)
        state.clientIdSeed = "bench-b"
        let screen = MemoryScreen(width: size.width, height: size.height)
        present(state, on: screen)
        while !stopping.load(ordering: .acquiring) {
            let timeout = Update.nextDeadline(state).map { max(0, Int($0.timeIntervalSinceNow * 1000) + 1) } ?? -1
            var fds = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            _ = poll(&fds, 1, Int32(clamping: timeout))
            drain()
            var actions: [AppAction] = [.tick(Date())]
            actions += queued.withLock { queue in
                defer { queue.removeAll() }
                return queue
            }.map { AppAction.inbox($0) }
            for action in actions {
                for effect in Update.apply(action, to: &state) {
                    if case .backend(let command) = effect { engine.perform(command) }
                }
            }
            present(state, on: screen)
        }
    }

    private func present(_ state: AppState, on screen: MemoryScreen) {
        let frame = AppView.render(state)
        screen.present(frame)
        let presentedAt = ContinuousClock.now
        framesPresented.add(1, ordering: .relaxed)
        watch.presented(frame, at: presentedAt)
        lastFrame.withLock { $0 = frame }
        let open = state.selectedLeadId == leadId && state.threads[leadId]?.loaded == true && Layout.compute(state).thread != nil
        threadOpen.store(open, ordering: .releasing)
        threadLength.store(state.threads[leadId]?.messages.count ?? 0, ordering: .relaxed)
    }
}
