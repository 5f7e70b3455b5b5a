import CNcursesw
import CTerminalSignals
import Foundation

/// Puts the terminal into the application's mode and back. ncurses keeps its SIGWINCH handler, so
/// resizing arrives as KEY_RESIZE; Ctrl-Z is ours (`SignalWatcher`, `suspend()`).
enum TerminalSession {
    /// Starts curses: raw-ish input (cbreak, no echo, no flow control so Ctrl-S reaches us),
    /// keypad codes, 25 ms ESC delay (Alt keys), colours, mouse, bracketed paste.
    static func start() -> CursesWindow? {
        closer_save_shell_terminal_mode()
        guard let window = initscr() else { return nil }
        cbreak()
        noecho()
        nonl()
        keypad(window, true)
        nodelay(window, true)
        set_escdelay(25)
        if has_colors() {
            start_color()
            use_default_colors()
        }
        _ = mousemask(closer_all_mouse_events(), nil)
        mouseinterval(0)
        define_key("\u{1B}[200~", InputDecoder.Code.pasteStart)
        define_key("\u{1B}[201~", InputDecoder.Code.pasteEnd)
        disableFlowControl()
        def_prog_mode()
        writeRaw("\u{1B}[?2004h")
        // A crash (a Swift trap included) must not leave the rep's terminal raw and blank.
        closer_install_crash_rescue()
        return window
    }

    /// Restores the terminal exactly as it was.
    static func stop() {
        closer_disarm_crash_rescue()
        writeRaw("\u{1B}[?2004l")
        endwin()
    }

    /// Gives the terminal back to the shell and stops the process (Ctrl-Z), on the UI thread;
    /// returns once continued, with the application's terminal modes back.
    static func suspend() {
        def_prog_mode()
        writeRaw("\u{1B}[?2004l")
        endwin()
        // SIGSTOP stops every thread at once and cannot be caught, so nothing runs half-way; the
        // shell reports the job stopped exactly as for Ctrl-Z.
        kill(getpid(), SIGSTOP)
        reset_prog_mode()
        writeRaw("\u{1B}[?2004h")
    }

    /// Ctrl-S and Ctrl-Q are bindings here, not XOFF/XON.
    private static func disableFlowControl() {
        var settings = termios()
        guard tcgetattr(STDIN_FILENO, &settings) == 0 else { return }
        settings.c_iflag &= ~tcflag_t(IXON | IXOFF)
        tcsetattr(STDIN_FILENO, TCSANOW, &settings)
    }

    /// Resizes curses to the terminal's size if they differ. Returns whether it did.
    static func catchUpWithTerminalSize(_ window: CursesWindow) -> Bool {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0, size.ws_col > 0 else { return false }
        guard Int32(size.ws_row) != getmaxy(window) || Int32(size.ws_col) != getmaxx(window) else { return false }
        resize_term(Int32(size.ws_row), Int32(size.ws_col))
        return true
    }

    /// Everything ncurses has for us right now.
    static func readInput(_ window: CursesWindow) -> [RawInput] {
        var items: [RawInput] = []
        var character: wint_t = 0
        while true {
            let result = wget_wch(window, &character)
            if result == OK {
                items.append(.character(UInt32(character)))
            } else if result == KEY_CODE_YES {
                items.append(.keyCode(Int32(character)))
            } else {
                break
            }
            if items.count > 100_000 { break }
        }
        return items
    }

    static func readMouse() -> MouseEvent? {
        var event = MEVENT()
        guard getmouse(&event) == OK else { return nil }
        let state = event.bstate
        if state & closer_button4_pressed() != 0 { return MouseEvent(.wheelUp, x: Int(event.x), y: Int(event.y)) }
        if state & closer_button5_pressed() != 0 { return MouseEvent(.wheelDown, x: Int(event.x), y: Int(event.y)) }
        if state & (closer_button1_pressed() | closer_button1_clicked()) != 0 {
            return MouseEvent(.press, x: Int(event.x), y: Int(event.y))
        }
        return nil
    }

    /// A desktop notification as an OSC 9 or OSC 777 escape, wrapped for tmux passthrough when
    /// inside tmux. The title and body are sanitised by the caller; control characters and `;`
    /// are dropped here too, as a second line of defence.
    static func writeDesktopNotification(title: String, body: String, style: DesktopNotificationStyle, insideTmux: Bool) {
        guard let sequence = DesktopNotification.escape(title: title, body: body, style: style, insideTmux: insideTmux) else { return }
        writeRaw(sequence)
    }

    static func writeRaw(_ text: String) {
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { buffer in
            _ = write(STDOUT_FILENO, buffer.baseAddress, buffer.count)
        }
    }
}

/// Builds desktop-notification escapes. Pure, so the injection rules are unit-tested.
public enum DesktopNotification {
    public static func escape(title: String, body: String, style: DesktopNotificationStyle, insideTmux: Bool) -> String? {
        let title = clean(title)
        let body = clean(body)
        let sequence: String
        switch style {
        case .off: return nil
        case .osc9: sequence = "\u{1B}]9;\(title): \(body)\u{07}"
        case .osc777: sequence = "\u{1B}]777;notify;\(title);\(body)\u{07}"
        }
        guard insideTmux else { return sequence }
        // tmux passes a DCS "tmux;" sequence through to the outer terminal, ESCs doubled.
        return "\u{1B}Ptmux;" + sequence.replacingOccurrences(of: "\u{1B}", with: "\u{1B}\u{1B}") + "\u{1B}\\"
    }

    /// Text safe inside an OSC string: no controls at all, no `;` (the field separator), bounded.
    static func clean(_ text: String) -> String {
        let sanitized = TerminalSanitizer.sanitize(text, mode: .singleLine)
        let kept = sanitized.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F && !(0x80...0x9F).contains($0.value) && $0 != ";" && $0 != "␛" }
        return String(String.UnicodeScalarView(kept).prefix(200))
    }
}
