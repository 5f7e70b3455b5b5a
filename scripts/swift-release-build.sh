#!/usr/bin/env bash
# The one way Closer's release binaries are built, by `make release`/`make install` and by every
# benchmark, so the benchmarks measure what gets installed: `swift build -c release` with the Swift
# runtime and Foundation linked statically. The binaries then run without a Swift toolchain on the
# machine (they need only the Debian libraries: libcurl, ncurses, SQLite), and a rep's `closer`
# keeps about 2.2 MB less resident and paints about 10% sooner (bench/README.md, TUI).
# Arguments are passed on to `swift build` (--product, --scratch-path, --package-path...).
set -euo pipefail
exec "${SWIFT:-swift}" build -c release --static-swift-stdlib "$@"
