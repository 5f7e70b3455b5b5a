#include "CTerminalSignals.h"

#include <signal.h>
#include <string.h>
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
