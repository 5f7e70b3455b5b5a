#ifndef CLOSER_CTERMINALSIGNALS_H
#define CLOSER_CTERMINALSIGNALS_H

/// Wakes the UI thread's poll when the terminal is resized, by writing one byte to `fd`.
/// ncurses keeps its own SIGWINCH handler (which makes the next read return KEY_RESIZE); this one
/// is chained in front of it, so a resize is drawn at once even when the signal lands on another
/// thread. Call after initscr().
void closer_install_resize_wakeup(int fd);

#endif
