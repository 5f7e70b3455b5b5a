#!/usr/bin/env bash
# The one way Closer's release binaries are built, by `make release`/`make install` and by every
# benchmark, so the benchmarks measure what gets installed: `swift build -c release` with
#   - the Swift runtime and Foundation linked statically: the binaries run without a Swift
#     toolchain on the machine (they need only the Debian libraries: libcurl, ncurses, SQLite), and
#     a rep's `closer` keeps about 2.2 MB less resident and paints about 10% sooner;
#   - the toolchain's lld with packed relative relocations (`-z pack-relative-relocs`, DT_RELR,
#     glibc 2.36+): a position-independent executable carries ~150,000 relative relocations (Swift
#     metadata is full of pointers), which take 3.6 MB as RELA and are all read at start; as RELR they
#     take 30 KB;
#   - no exported dynamic symbols (`--no-export-dynamic`): SwiftPM exports every symbol of an
#     executable so tests could link against it, 58,000 of them here (5 MB of symbol tables the
#     loader touches). Nothing loads these binaries as a library.
# Together the last two keep `closer` about 8 MB less resident (bench/README.md, TUI).
# Arguments are passed on to `swift build` (--product, --scratch-path, --package-path...).
set -euo pipefail
exec "${SWIFT:-swift}" build -c release --static-swift-stdlib \
    -Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs -Xlinker --no-export-dynamic "$@"
