/// What a cell on screen is, independent of how a theme colours it. Views draw roles; the theme
/// turns each role into a style when the frame reaches the terminal. Golden frames record roles,
/// so they hold for every theme.
public enum Role: String, CaseIterable, Sendable, Hashable {
    // Chrome
    case background = "background"
    case border = "border"
    case borderFocused = "border_focused"
    case title = "title"
    case titleFocused = "title_focused"
    case dim = "dim"
    case text = "text"
    case emphasis = "emphasis"
    case selection = "selection"
    case selectionUnfocused = "selection_unfocused"
    case cursor = "cursor"

    // Lead list
    case leadName = "lead_name"
    case leadNameUnread = "lead_name_unread"
    case leadPreview = "lead_preview"
    case leadTime = "lead_time"
    case unreadBadge = "unread_badge"
    case channelGlyph = "channel_glyph"
    case leadFlash = "lead_flash"
    case statusNew = "status_new"
    case statusContacted = "status_contacted"
    case statusReplied = "status_replied"
    case statusQualified = "status_qualified"
    case statusMeetingBooked = "status_meeting_booked"
    case statusConverted = "status_converted"
    case statusLost = "status_lost"

    // Thread
    case dateSeparator = "date_separator"
    case inboundHeader = "inbound_header"
    case inboundBody = "inbound_body"
    case outboundHeader = "outbound_header"
    case outboundBody = "outbound_body"
    case subject = "subject"
    case readReceipt = "read_receipt"
    case linkClicked = "link_clicked"
    case deliveryQueued = "delivery_queued"
    case deliveryFailed = "delivery_failed"
    case newMessagesMarker = "new_messages_marker"
    case controlPicture = "control_picture"

    // Compose
    case composeText = "compose_text"
    case placeholder = "placeholder"
    case fieldLabel = "field_label"
    case channelSelected = "channel_selected"
    case draftSaved = "draft_saved"

    // Sidebar
    case kpiLabel = "kpi_label"
    case kpiValue = "kpi_value"
    case kpiChanged = "kpi_changed"
    case sparkline = "sparkline"

    // Status bar, overlays, messages to the rep
    case statusBar = "status_bar"
    case statusOnline = "status_online"
    case statusConnecting = "status_connecting"
    case statusOffline = "status_offline"
    case toast = "toast"
    case toastAlert = "toast_alert"
    case error = "error"
    case overlay = "overlay"
    case overlayBorder = "overlay_border"
    case commandLine = "command_line"
    case keyName = "key_name"
    case match = "match"

    /// The role that colours a lead's status marker.
    public static func status(_ status: String) -> Role {
        Role(rawValue: "status_" + status) ?? .text
    }
}
