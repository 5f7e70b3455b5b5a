/// Where finished frames go: the terminal, or memory for tests.
public protocol Screen: AnyObject {
    /// The size the next frame should have.
    var size: Size { get }
    /// Shows a frame. Back ends write only what changed since the last one.
    func present(_ frame: Frame)
}
