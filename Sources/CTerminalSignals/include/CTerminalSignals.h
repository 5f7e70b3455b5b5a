#ifndef CLOSER_CTERMINALSIGNALS_H
#define CLOSER_CTERMINALSIGNALS_H

/// Wakes the UI thread's poll when the terminal is resized, by writing one byte to `fd`.
/// ncurses keeps its own SIGWINCH handler (which makes the next read return KEY_RESIZE); this one
/// is chained in front of it, so a resize is drawn at once even when the signal lands on another
/// thread. Call after initscr().
void closer_install_resize_wakeup(int fd);

/// Remembers the terminal's modes as the shell left them. Call before initscr().
void closer_save_shell_terminal_mode(void);

/// On a crash (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP: a Swift trap is one of these)
/// gives the terminal back before the process dies: bracketed paste and mouse reporting off, the
/// alternate screen left, the cursor shown and the shell's modes (echo, canonical input) restored.
/// The signal then goes to the handler that was there before (the Swift runtime's backtracer, or
/// the default action). Async-signal-safe. Call after initscr().
void closer_install_crash_rescue(void);

/// The terminal was restored the normal way: a crash from here on leaves it alone.
void closer_disarm_crash_rescue(void);

#endif
