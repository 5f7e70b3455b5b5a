/// The default theme, compiled in so the client looks right even when no `Themes` folder is
/// installed and when a chosen theme cannot be loaded.
public enum BuiltinTheme {
    /// The name the built-in theme answers to.
    public static let name = "default"

    /// The built-in theme, parsed once. Every other theme takes the roles it leaves out from here.
    public static let theme: Theme = {
        do {
            return try ThemeLoader.load(text: toml, fileName: "default.toml", fallback: nil)
        } catch {
            // The test suite guarantees the text below parses; should it ever not, plain text beats
            // a client that cannot start.
            return Theme(name: name, description: "", styles: [:], fallback: nil)
        }
    }()

    /// The text of `Themes/default.toml`, byte for byte (a test keeps the two identical).
    public static let toml = #"""
        # Closer's default theme, for dark terminals. The body text keeps the terminal's own foreground
        # and background, so it stays readable whatever the rep has set up.
        # Copy this file to ~/.config/closer/themes/NAME.toml to make your own.
        name = "default"
        description = "Dark, calm chrome with clear inbound/outbound colours"

        [palette]
        accent = "#5fafff"
        muted = "#808080"
        subtle = "#585858"
        bright = "#eeeeee"
        ink = "#1c1c1c"
        inbound = "#87d787"
        outbound = "#87afff"
        warn = "#ffaf5f"
        danger = "#ff5f5f"
        ok = "#5fd75f"
        bar = "#262626"

        [roles]
        # Chrome
        background = { fg = "default", bg = "default" }
        border = { fg = 239 }
        border_focused = { fg = "accent" }
        title = { fg = "muted", bold = true }
        title_focused = { fg = "accent", bold = true }
        dim = { fg = "muted" }
        text = { fg = "default" }
        emphasis = { fg = "bright", bold = true }
        selection = { fg = "#ffffff", bg = "#2e4266", bold = true }
        selection_unfocused = { fg = "bright", bg = "#303030" }
        cursor = { reverse = true }

        # Lead list
        lead_name = { fg = "#c6c6c6" }
        lead_name_unread = { fg = "bright", bold = true }
        lead_preview = { fg = "muted" }
        lead_time = { fg = "muted" }
        unread_badge = { fg = "ink", bg = "accent", bold = true }
        channel_glyph = { fg = "#5f87af" }
        lead_flash = { fg = "#ffffff", bg = "#005f5f", bold = true }
        status_new = { fg = "#5fd7ff" }
        status_contacted = { fg = "#8787d7" }
        status_replied = { fg = "#ffd75f", bold = true }
        status_qualified = { fg = "#d787ff" }
        status_meeting_booked = { fg = "#5fd7af", bold = true }
        status_converted = { fg = "ok", bold = true }
        status_lost = { fg = "subtle" }

        # Thread
        date_separator = { fg = "subtle" }
        inbound_header = { fg = "inbound", bold = true }
        inbound_body = { fg = "default" }
        outbound_header = { fg = "outbound", bold = true }
        outbound_body = { fg = "#afc7e7" }
        subject = { fg = "bright", bold = true }
        read_receipt = { fg = "#5faf87" }
        link_clicked = { fg = "#d787d7", underline = true }
        delivery_queued = { fg = "muted", italic = true }
        delivery_failed = { fg = "danger", bold = true }
        new_messages_marker = { fg = "#ff875f", bold = true }
        control_picture = { fg = "warn", dim = true }

        # Compose
        compose_text = { fg = "default" }
        placeholder = { fg = "subtle", italic = true }
        field_label = { fg = "accent", bold = true }
        channel_selected = { fg = "ink", bg = "accent", bold = true }
        draft_saved = { fg = "muted", italic = true }

        # Sidebar
        kpi_label = { fg = "muted" }
        kpi_value = { fg = "bright", bold = true }
        kpi_changed = { fg = "ink", bg = "#ffd75f", bold = true }
        sparkline = { fg = "accent" }

        # Status bar, overlays, messages to the rep
        status_bar = { fg = "#bcbcbc", bg = "bar" }
        status_online = { fg = "ok", bg = "bar", bold = true }
        status_connecting = { fg = "warn", bg = "bar" }
        status_offline = { fg = "danger", bg = "bar", bold = true }
        toast = { fg = "bright", bg = "#3a3a3a" }
        toast_alert = { fg = "ink", bg = "#ffaf00", bold = true }
        error = { fg = "danger", bold = true }
        overlay = { fg = "default" }
        overlay_border = { fg = "accent" }
        command_line = { fg = "default" }
        key_name = { fg = "warn", bold = true }
        match = { fg = "#ffd700", bold = true, underline = true }

        """#
}
