#!/usr/bin/env bash
# `make demo`: builds closer and runs `closer --demo`: the real closer-server in process on a free
# loopback port, its own SQLite database under $XDG_DATA_HOME/closer/demo/, a seeded demo rep
# signed in automatically, and simulated leads replying, opening and clicking. Quit with q.
# DEMO_ARGS passes options through, e.g. DEMO_ARGS="--demo-reset --demo-speed 2" make demo.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! [ -t 0 ] || ! [ -t 1 ]; then
    echo "demo: closer is a terminal application; run make demo in a terminal (or in tmux)" >&2
    exit 1
fi
swift build --product closer
exec "$(swift build --show-bin-path)/closer" --demo ${DEMO_ARGS:-}
