import CloserCore
import Foundation

/// A thread turned into screen rows for a given width: date separators, message headers,
/// subjects, wrapped bodies, delivery state. `update` uses the row counts to keep the scroll
/// position steady when messages arrive; `ThreadView` draws the rows.
enum ThreadLayout {
    /// One screen row: pieces of text with their roles, starting at `indent`.
    struct Row: Equatable {
        var indent: Int
        var pieces: [(String, Role)]
        var centered = false

        static func == (lhs: Row, rhs: Row) -> Bool {
            lhs.indent == rhs.indent && lhs.centered == rhs.centered
                && lhs.pieces.map(\.0) == rhs.pieces.map(\.0) && lhs.pieces.map(\.1) == rhs.pieces.map(\.1)
        }
    }

    /// The rows of one message, including a date separator when it starts a new day.
    static func rows(for message: Message, previous: Message?, lead: Lead?, state: AppState, width: Int) -> [Row] {
        let glyphs = state.settings.glyphs
        let zone = state.settings.timeZone
        var rows: [Row] = []
        if previous.map({ !Formatting.sameDay($0.createdAt, message.createdAt, timeZone: zone) }) ?? true {
            rows.append(Row(indent: 0, pieces: [(Formatting.daySeparator(message.createdAt, now: state.now, timeZone: zone), .dateSeparator)], centered: true))
        }
        let outbound = message.direction == .outbound
        let indent = outbound ? min(10, max(2, width / 5)) : 1
        let textWidth = max(4, width - indent - 1)
        let channel = "\(glyphs.channel[message.channel.rawValue] ?? "") \(message.channel.rawValue)"
        let time = Formatting.clock(message.createdAt, timeZone: zone)

        // Most important first, so a narrow pane cuts the channel name, never the read receipt.
        var header: [(String, Role)]
        if outbound {
            header = [("\(glyphs.outbound) You", .outboundHeader), (glyphs.separator + time, .dim)]
            switch message.status {
            case .queued:
                // Sending while online, unless the last try failed: then it waits for the next.
                let sending = message.id.hasPrefix("local:") && state.connection == .online && message.failureReason == nil
                header.append((glyphs.separator + (sending ? "sending" + glyphs.ellipsis : "\(glyphs.queued) queued"), .deliveryQueued))
            case .failed:
                header.append((glyphs.separator + "\(glyphs.failed) failed", .deliveryFailed))
            case .delivered:
                header.append((glyphs.separator + "delivered", .dim))
            case .sent:
                header.append((glyphs.separator + "sent", .dim))
            }
            if let opened = message.openedAt {
                header.append((glyphs.separator + "Read at \(Formatting.clock(opened, timeZone: zone))", .readReceipt))
            }
            if message.clickedAt != nil {
                header.append((" \(glyphs.linkClicked)", .linkClicked))
            }
            header.append((glyphs.separator + channel, .dim))
        } else {
            let name = lead.map { TerminalSanitizer.sanitize($0.name, mode: .singleLine) } ?? "Lead"
            header = [("\(glyphs.inbound) \(name)", .inboundHeader), (glyphs.separator + time + glyphs.separator + channel, .dim)]
        }
        rows.append(Row(indent: indent, pieces: clipPieces(header, width: textWidth, ellipsis: glyphs.ellipsis)))
        if message.channel == .email, let subject = message.subject, !subject.isEmpty {
            let text = TextLayout.truncate(TerminalSanitizer.sanitize(subject, mode: .singleLine), width: textWidth, ellipsis: glyphs.ellipsis)
            rows.append(Row(indent: indent, pieces: [(text, .subject)]))
        }
        let bodyRole: Role = outbound ? .outboundBody : .inboundBody
        for line in TextLayout.wrap(TerminalSanitizer.sanitize(message.body, mode: .multiLine), width: textWidth) {
            rows.append(Row(indent: indent, pieces: [(line, bodyRole)]))
        }
        if outbound, let reason = message.failureReason {
            let failed = message.status == .failed
            let text = failed
                ? "Not delivered: " + TerminalSanitizer.sanitize(reason, mode: .singleLine) + " (r to retry, e to edit)"
                : "Will retry: " + TerminalSanitizer.sanitize(reason, mode: .singleLine)
            for line in TextLayout.wrap(text, width: textWidth) {
                rows.append(Row(indent: indent, pieces: [(line, failed ? .deliveryFailed : .deliveryQueued)]))
            }
        }
        rows.append(Row(indent: 0, pieces: []))
        return rows
    }

    /// How many rows a message takes, for scroll bookkeeping.
    static func rowCount(for message: Message, previous: Message?, lead: Lead?, state: AppState, width: Int) -> Int {
        rows(for: message, previous: previous, lead: lead, state: state, width: width).count
    }

    /// Pieces cut to fit `width` columns in total, the last one ending in an ellipsis if cut.
    private static func clipPieces(_ pieces: [(String, Role)], width: Int, ellipsis: String) -> [(String, Role)] {
        var remaining = width
        var result: [(String, Role)] = []
        for (text, role) in pieces {
            let textWidth = DisplayWidth.of(text)
            if textWidth <= remaining {
                result.append((text, role))
                remaining -= textWidth
            } else {
                result.append((TextLayout.truncate(text, width: remaining, ellipsis: ellipsis), role))
                break
            }
        }
        return result
    }
}
