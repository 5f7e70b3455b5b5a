#ifndef CLOSER_CNCURSESW_SHIM_H
#define CLOSER_CNCURSESW_SHIM_H

// Wide-character ncurses, plus functions for the macros Swift cannot import.
// _XOPEN_SOURCE_EXTENDED must come before curses.h for cchar_t and wget_wch.
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// Glibc's module hides wcwidth from Swift; declare it here.
extern int wcwidth(wchar_t c);

static inline attr_t closer_a_normal(void) { return A_NORMAL; }
static inline attr_t closer_a_bold(void) { return A_BOLD; }
static inline attr_t closer_a_dim(void) { return A_DIM; }
static inline attr_t closer_a_underline(void) { return A_UNDERLINE; }
static inline attr_t closer_a_reverse(void) { return A_REVERSE; }
static inline attr_t closer_a_italic(void) { return A_ITALIC; }
static inline attr_t closer_a_blink(void) { return A_BLINK; }

// Clicks and the wheel only: position reports (all-motion tracking) would wake the UI on every move.
static inline mmask_t closer_all_mouse_events(void) { return ALL_MOUSE_EVENTS; }
static inline mmask_t closer_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t closer_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t closer_button1_released(void) { return BUTTON1_RELEASED; }
static inline mmask_t closer_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t closer_button5_pressed(void) { return BUTTON5_PRESSED; }

static inline int closer_color_pair(int pair) { return COLOR_PAIR(pair); }
/// COLORS is a global Swift 6 rejects as shared mutable state.
static inline int closer_colors(void) { return COLORS; }
static inline int closer_key_resize(void) { return KEY_RESIZE; }
static inline int closer_key_mouse(void) { return KEY_MOUSE; }

/// Sets one cell from a grapheme's wide characters (first spacing, then combining) with attributes
/// and an extended colour pair, avoiding setcchar's variadic-free but pointer-heavy signature.
static inline int closer_mvadd_cell(WINDOW *window, int y, int x, const wchar_t *chars,
                                    attr_t attributes, int pair) {
    cchar_t cell;
    if (setcchar(&cell, chars, attributes, 0, &pair) != OK) {
        return ERR;
    }
    return mvwadd_wch(window, y, x, &cell);
}

/// Writes `count` characters from (y, x) in one style (extended colour pair): a run of plain cells.
static inline int closer_mvadd_run(WINDOW *window, int y, int x, const wchar_t *chars, int count,
                                   attr_t attributes, int pair) {
    if (wattr_set(window, attributes, (short)pair, &pair) != OK) {
        return ERR;
    }
    return mvwaddnwstr(window, y, x, chars, count);
}

#endif
