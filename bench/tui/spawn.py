#!/usr/bin/env python3
"""Records the wall clock and its own pid, then execs a program in its place (same pid).

Usage: spawn.py STAMP_FILE PROGRAM [ARGS...]

STAMP_FILE gets "<unix time with µs> <pid>"; the time is taken just before execv, so "exec to
first paint" includes everything the program does (dynamic loading included) and nothing of
Python's own start-up. Used by bench/tui/measure.py inside tmux panes.
"""
import os
import shutil
import sys
import time

stamp, program, args = sys.argv[1], sys.argv[2], sys.argv[2:]
path = program if "/" in program else shutil.which(program)
if path is None:
    sys.exit(f"spawn.py: {program}: not found")
with open(stamp + ".tmp", "w") as f:
    f.write(f"{time.time():.6f} {os.getpid()}\n")
os.rename(stamp + ".tmp", stamp)
os.execv(path, args)
