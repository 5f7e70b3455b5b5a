#!/usr/bin/env bash
# The one way Closer's release binaries are built, by `make release`/`make install` and by every
# benchmark, so the benchmarks measure what gets installed: `swift build -c release` with
#   - the Swift runtime and Foundation linked statically: the binaries run without a Swift
#     toolchain on the machine (they need only the Debian libraries: libcurl, ncurses, SQLite), and
#     a rep's `closer` keeps about 2.2 MB less resident and paints about 10% sooner;
#   - the toolchain's lld with packed relative relocations (`-z pack-relative-relocs`, DT_RELR,
#     when the machine has glibc 2.36 or later): a position-independent executable carries
#     ~150,000 relative relocations (Swift metadata is full of pointers), which take 3.6 MB as RELA
#     and are all read at start; as RELR they take 30 KB;
#   - no exported dynamic symbols (`--no-export-dynamic`): SwiftPM exports every symbol of an
#     executable so tests could link against it, 58,000 of them here (5 MB of symbol tables the
#     loader touches). Nothing loads these binaries as a library.
# Together the last two keep `closer` about 8 MB less resident, the relocations most of it
# (bench/README.md, TUI).
# Arguments are passed on to `swift build` (--product, --scratch-path, --package-path...).
set -euo pipefail

# DT_RELR needs glibc 2.36 to load: packed only when the building machine has it, so a binary
# always starts where it was built (and on any newer glibc).
relr=()
glibc="$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')"
if [[ -n "$glibc" ]] && printf '2.36\n%s\n' "$glibc" | sort -V -C; then
    relr=(-Xlinker -z -Xlinker pack-relative-relocs)
fi
exec "${SWIFT:-swift}" build -c release --static-swift-stdlib \
    -Xswiftc -use-ld=lld "${relr[@]}" -Xlinker --no-export-dynamic "$@"
