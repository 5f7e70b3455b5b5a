import CloserCore
import Foundation

/// A one-line message in the status bar that goes away by itself.
public struct Toast: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case info
        case alert
        case error
    }

    public var text: String
    public var kind: Kind
    /// Notifications that coalesce share a key (kind and lead); repeats bump `count`.
    public var coalesceKey: String?
    public var count = 1
    public var leadId: String?

    public init(text: String, kind: Kind, coalesceKey: String? = nil, leadId: String? = nil) {
        self.text = text
        self.kind = kind
        self.coalesceKey = coalesceKey
        self.leadId = leadId
    }
}

/// Toasts in order: one shows for `duration`, the rest wait behind it; a repeat of a waiting or
/// showing toast with the same key coalesces into it instead of queueing.
public struct ToastQueue: Sendable, Equatable {
    public private(set) var current: Toast?
    public private(set) var currentUntil: Date?
    public private(set) var waiting: [Toast] = []
    public var duration: TimeInterval = 5

    public init() {}

    public mutating func push(_ toast: Toast, now: Date, coalesce: (Toast, Toast) -> Toast = { old, _ in old }) {
        if let key = toast.coalesceKey {
            if var shown = current, shown.coalesceKey == key {
                shown = coalesce(shown, toast)
                current = shown
                currentUntil = now.addingTimeInterval(duration)
                return
            }
            if let index = waiting.firstIndex(where: { $0.coalesceKey == key }) {
                waiting[index] = coalesce(waiting[index], toast)
                return
            }
        }
        if current == nil {
            current = toast
            currentUntil = now.addingTimeInterval(duration)
        } else {
            waiting.append(toast)
        }
    }

    /// Moves on when the current toast has had its time. Returns whether anything changed.
    @discardableResult
    public mutating func advance(now: Date) -> Bool {
        guard let until = currentUntil, now >= until else { return false }
        if waiting.isEmpty {
            current = nil
            currentUntil = nil
        } else {
            current = waiting.removeFirst()
            currentUntil = now.addingTimeInterval(duration)
        }
        return true
    }

    /// Removes everything (e.g. the rep pressed Esc on the toast).
    public mutating func dismiss(now: Date) {
        currentUntil = now
        advance(now: now)
    }
}
