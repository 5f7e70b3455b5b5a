#!/usr/bin/env python3
"""Runs a test command with a deadline, so a hung test fails the run in minutes, not at CI's limit.

Usage: scripts/with-deadline.py SECONDS COMMAND [ARG...]

The command's output passes through unchanged. If it is still running after SECONDS, this prints
the Swift Testing tests that started and never finished (the hung ones), then stops the command's
whole process group (TERM, then KILL) and exits 124, as timeout(1) does.
"""
import os
import re
import signal
import subprocess
import sys
import threading
import time

STARTED = re.compile(r'^◇ Test "(.*)" started\.$')
FINISHED = re.compile(r'^[✔✘➜] Test "(.*?)" (?:with \d+ test cases? )?(?:passed|failed|skipped)')


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    deadline = float(sys.argv[1])
    command = sys.argv[2:]
    running: dict[str, int] = {}
    lock = threading.Lock()

    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)

    def pump() -> None:
        assert process.stdout is not None
        for raw in process.stdout:
            sys.stdout.buffer.write(raw)
            sys.stdout.buffer.flush()
            line = raw.decode("utf-8", "replace").rstrip("\n")
            with lock:
                if match := STARTED.match(line):
                    running[match.group(1)] = running.get(match.group(1), 0) + 1
                elif match := FINISHED.match(line):
                    name = match.group(1)
                    if running.get(name, 0) > 1:
                        running[name] -= 1
                    else:
                        running.pop(name, None)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    try:
        status = process.wait(timeout=deadline)
        # A daemon the tests left behind may hold the pipe open; the output that matters is in.
        reader.join(timeout=5)
        return status
    except subprocess.TimeoutExpired:
        pass

    with lock:
        hung = sorted(running)
    print(f"\nwith-deadline: the tests were still running after {deadline:.0f} s; stopping them.", file=sys.stderr)
    if hung:
        print("with-deadline: started and never finished:", file=sys.stderr)
        for name in hung:
            print(f"  - {name}", file=sys.stderr)
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        for _ in range(50):
            if process.poll() is not None:
                break
            time.sleep(0.1)
    return 124


if __name__ == "__main__":
    sys.exit(main())
