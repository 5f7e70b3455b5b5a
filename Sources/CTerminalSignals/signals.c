#include "CTerminalSignals.h"

#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static volatile int resize_wake_fd = -1;
static struct sigaction previous_winch;

static void winch_handler(int number, siginfo_t *info, void *context) {
    if (resize_wake_fd >= 0) {
        char byte = 1;
        ssize_t ignored = write(resize_wake_fd, &byte, 1);
        (void)ignored;
    }
    if (previous_winch.sa_flags & SA_SIGINFO) {
        if (previous_winch.sa_sigaction) previous_winch.sa_sigaction(number, info, context);
    } else if (previous_winch.sa_handler != SIG_DFL && previous_winch.sa_handler != SIG_IGN) {
        previous_winch.sa_handler(number);
    }
}

void closer_install_resize_wakeup(int fd) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = winch_handler;
    action.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&action.sa_mask);
    resize_wake_fd = fd;
    sigaction(SIGWINCH, &action, &previous_winch);
}

// --- Crash rescue ------------------------------------------------------------------------------

static const int crash_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP};
#define CRASH_SIGNAL_COUNT ((int)(sizeof crash_signals / sizeof crash_signals[0]))
static struct sigaction previous_crash[CRASH_SIGNAL_COUNT];
static struct termios shell_mode;
static volatile sig_atomic_t shell_mode_saved = 0;
static volatile sig_atomic_t rescue_armed = 0;
static char rescue_stack[64 * 1024];

// Bracketed paste off, every mouse mode off, attributes reset, cursor shown, alternate screen left.
static const char terminal_reset[] =
    "\033[?2004l\033[?1000l\033[?1002l\033[?1003l\033[?1006l\033[0m\033[?25h\033[?1049l\r\n";

static void restore_terminal(void) {
    ssize_t ignored = write(STDOUT_FILENO, terminal_reset, sizeof terminal_reset - 1);
    (void)ignored;
    if (shell_mode_saved) tcsetattr(STDIN_FILENO, TCSANOW, &shell_mode);
}

static void crash_handler(int number) {
    // write(2) and tcsetattr(3) are async-signal-safe; nothing else runs here.
    if (rescue_armed) {
        rescue_armed = 0;
        restore_terminal();
    }
    // Hand the signal to whoever had it before (the Swift runtime's backtracer, or the default
    // action), so the crash is still reported and the exit status still says which signal.
    for (int index = 0; index < CRASH_SIGNAL_COUNT; index++) {
        if (crash_signals[index] == number) sigaction(number, &previous_crash[index], NULL);
    }
    raise(number);
    // That handler returned (the backtracer does, expecting a fault to recur, which a signal sent
    // with kill(2) never does): the default action ends the process.
    signal(number, SIG_DFL);
    raise(number);
}

void closer_save_shell_terminal_mode(void) {
    if (tcgetattr(STDIN_FILENO, &shell_mode) == 0) shell_mode_saved = 1;
}

void closer_install_crash_rescue(void) {
    // Its own stack, so a stack overflow (SIGSEGV at the guard page) can still be handled.
    stack_t stack;
    memset(&stack, 0, sizeof stack);
    stack.ss_sp = rescue_stack;
    stack.ss_size = sizeof rescue_stack;
    sigaltstack(&stack, NULL);

    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = crash_handler;
    action.sa_flags = SA_ONSTACK | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    for (int index = 0; index < CRASH_SIGNAL_COUNT; index++) {
        sigaction(crash_signals[index], &action, &previous_crash[index]);
    }
    rescue_armed = 1;
}

void closer_disarm_crash_rescue(void) {
    rescue_armed = 0;
}
