import CloserCore
import Foundation

/// Notifications: each rings the bell once (rate-limited), shows a toast that names the lead and
/// what happened, marks the lead row, and is kept in the history. Repeats coalesce; replays after
/// a reconnect become one summary.
extension Update {
    /// Bells closer together than this are merged, so a burst rings a bounded number of times.
    static let bellInterval: TimeInterval = 1

    static func notify(_ notification: ServerNotification, replayed: Bool, state: inout AppState) -> [AppEffect] {
        addToHistory(notification, replayed: replayed, state: &state)
        if replayed {
            state.pendingReplaySummary[notification.kind, default: 0] += 1
            return []
        }
        let settings = state.settings.notifications
        let kind = notification.kind.rawValue
        let minute = minuteOfDay(state.now, timeZone: state.settings.timeZone)
        let focused = notification.leadId == state.selectedLeadId && threadIsVisible(state)
        var effects: [AppEffect] = []

        state.flashingLeads[notification.leadId] = state.now.addingTimeInterval(3)
        if settings.showsToast(kind: kind) {
            let toast = Toast(text: NotificationText.toast(notification, state: state), kind: .alert,
                              coalesceKey: "\(kind):\(notification.leadId)", leadId: notification.leadId)
            let leadName = notification.leadName ?? state.lead(id: notification.leadId)?.name
            let timeZone = state.settings.timeZone
            let separator = state.settings.glyphs.separator
            state.toasts.push(toast, now: state.now) { old, _ in
                var merged = old
                merged.count += 1
                merged.text = NotificationText.coalesced(notification, leadName: leadName, count: merged.count, timeZone: timeZone, separator: separator)
                return merged
            }
        }
        if settings.rings(kind: kind, minuteOfDay: minute, isFocusedLead: focused) {
            effects += ringBell(state: &state)
        }
        if settings.desktopStyle(kind: kind, minuteOfDay: minute) != .off {
            effects.append(.desktopNotification(title: "Closer", body: NotificationText.toast(notification, state: state)))
        }
        return effects
    }

    /// One toast for everything replayed after a reconnect, and at most one bell.
    static func replaySummary(state: inout AppState) -> [AppEffect] {
        let counts = state.pendingReplaySummary
        state.pendingReplaySummary = [:]
        guard !counts.isEmpty else { return [] }
        state.toasts.push(Toast(text: NotificationText.summary(counts), kind: .alert), now: state.now)
        let minute = minuteOfDay(state.now, timeZone: state.settings.timeZone)
        let rings = counts.keys.contains { state.settings.notifications.rings(kind: $0.rawValue, minuteOfDay: minute, isFocusedLead: false) }
        return rings ? ringBell(state: &state) : []
    }

    static func ringBell(state: inout AppState) -> [AppEffect] {
        if let last = state.lastBellAt, state.now.timeIntervalSince(last) < bellInterval { return [] }
        state.lastBellAt = state.now
        return [.bell]
    }

    /// The history, newest first; a repeat of the newest entry within a minute bumps its count.
    static func addToHistory(_ notification: ServerNotification, replayed: Bool, state: inout AppState) {
        if var newest = state.notificationHistory.first, newest.notification.kind == notification.kind,
           newest.notification.leadId == notification.leadId, notification.at.timeIntervalSince(newest.notification.at) < 60 {
            newest.count += 1
            newest.notification = notification
            state.notificationHistory[0] = newest
        } else {
            state.notificationHistory.insert(NotificationEntry(notification: notification, replayed: replayed), at: 0)
            if state.notificationHistory.count > 500 { state.notificationHistory.removeLast() }
        }
    }

    static func minuteOfDay(_ date: Date, timeZone: DisplayTimeZone) -> Int {
        Formatting.secondOfDay(date, timeZone: timeZone) / 60
    }
}

/// The words of notifications, sanitised: server text never reaches the terminal raw.
enum NotificationText {
    /// "Dana Kim opened “Proposal Q3” · 14:02".
    static func toast(_ notification: ServerNotification, state: AppState) -> String {
        let text = TerminalSanitizer.sanitize(notification.text, mode: .singleLine)
        return text + state.settings.glyphs.separator + Formatting.clock(notification.at, timeZone: state.settings.timeZone)
    }

    /// "3 opens from Dana Kim · 14:05".
    static func coalesced(_ notification: ServerNotification, leadName: String?, count: Int, timeZone: DisplayTimeZone, separator: String) -> String {
        let name = TerminalSanitizer.sanitize(leadName ?? "a lead", mode: .singleLine)
        return "\(count) \(noun(notification.kind, count: count)) from \(name)" + separator + Formatting.clock(notification.at, timeZone: timeZone)
    }

    /// "While you were away: 2 replies, 5 opens".
    static func summary(_ counts: [NotificationKind: Int]) -> String {
        let order: [NotificationKind] = [.messageReceived, .emailOpened, .linkClicked, .meetingBooked, .leadConverted]
        let parts = order.compactMap { kind in counts[kind].map { "\($0) \(noun(kind, count: $0))" } }
        return "While you were away: " + parts.joined(separator: ", ")
    }

    /// One line of the history overlay.
    static func summary(_ entry: NotificationEntry) -> String {
        let text = TerminalSanitizer.sanitize(entry.notification.text, mode: .singleLine)
        return entry.count > 1 ? "\(text) (×\(entry.count))" : text
    }

    static func noun(_ kind: NotificationKind, count: Int) -> String {
        let one = count == 1
        switch kind {
        case .messageReceived: return one ? "reply" : "replies"
        case .emailOpened: return one ? "open" : "opens"
        case .linkClicked: return one ? "click" : "clicks"
        case .meetingBooked: return one ? "meeting booked" : "meetings booked"
        case .leadConverted: return one ? "conversion" : "conversions"
        }
    }
}
