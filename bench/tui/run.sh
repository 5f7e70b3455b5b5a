#!/usr/bin/env bash
# bench/tui/run.sh: the terminal client's benchmark (see bench/README.md, "Terminal client").
#
# Builds `closer` and `closer-bench-tui` in release (scratch folder .build-bench, shared with
# bench/http), then, with 10,000 leads and a 5,000-message thread:
#   1. closer-bench-tui render: AppView.render into a MemoryScreen and a key's whole loop turn,
#      in process (distributions over thousands of frames);
#   2. closer-bench-tui flush, in a 200x50 tmux pane: the same frames flushed to ncurses;
#   3. measure.py: the real `closer --fixture --fixture-size 10000:5000` in a 200x50 tmux pane,
#      BENCH_RUNS times with CLOSER_TRACE (key -> flush) and as many without (first paint, RSS,
#      idle CPU), then neomutt and aerc on a generated 10,000-message Maildir, the same way.
# Prints Markdown tables and keeps everything in bench/tui/results/<timestamp>/ (git-ignored).
# Every process, tmux server and temp folder it starts is removed on exit, failure included.
#
# Knobs: BENCH_SKIP_BUILD=1 (reuse .build-bench), BENCH_RUNS (5), BENCH_KEYS (500 per run),
# BENCH_KEY_INTERVAL (0.02 s between keys), BENCH_IDLE (10 s), BENCH_ITERATIONS (2000 frames
# per in-process distribution), BENCH_ONLY (comma list of render,flush,closer,neomutt,aerc),
# BENCH_SCRATCH (the scratch folder to build in or reuse, default .build-bench: point two runs at
# two folders to compare builds).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
scratch="${BENCH_SCRATCH:-$root/.build-bench}"
runs="${BENCH_RUNS:-5}"
keys="${BENCH_KEYS:-500}"
interval="${BENCH_KEY_INTERVAL:-0.02}"
idle="${BENCH_IDLE:-10}"
iterations="${BENCH_ITERATIONS:-2000}"
only="${BENCH_ONLY:-render,flush,closer,neomutt,aerc}"

for tool in tmux python3 neomutt aerc; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool is not installed" >&2; exit 1; }
done

work="$(mktemp -d "${TMPDIR:-/tmp}/closer-bench-tui.XXXXXX")"
socket="closer-bench-tui-$$"
measure_pid=""
cleanup() {
    local status=$?
    if [[ -n "$measure_pid" ]] && kill -0 "$measure_pid" 2>/dev/null; then
        kill "$measure_pid" 2>/dev/null || true
        wait "$measure_pid" 2>/dev/null || true
    fi
    tmux -L "$socket" kill-server 2>/dev/null || true
    rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$socket"
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
    echo "building closer and closer-bench-tui (release, $scratch)" >&2
    (cd "$root" && scripts/swift-release-build.sh --product closer --scratch-path "$scratch" >&2)
    (cd "$root" && scripts/swift-release-build.sh --product closer-bench-tui --scratch-path "$scratch" >&2)
fi
bin="$(cd "$root" && swift build -c release --scratch-path "$scratch" --show-bin-path)"
for product in closer closer-bench-tui; do
    [[ -x "$bin/$product" ]] || { echo "run.sh: $bin/$product is missing (build it, or unset BENCH_SKIP_BUILD)" >&2; exit 1; }
done

stamp="$(date +%Y%m%d-%H%M%S)"
results="$here/results/$stamp"
mkdir -p "$results"

{
    echo "- Run: $(date '+%Y-%m-%d %H:%M %Z'), \`BENCH_RUNS=$runs BENCH_KEYS=$keys\` ($only)"
    echo "- Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, Linux $(uname -r)"
    echo "- $(swift --version 2>/dev/null | head -1)"
    echo "- $(tmux -V), $(neomutt -v 2>/dev/null | head -1), $(aerc -v 2>&1 | head -1)"
    echo "- closer: commit $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- Sources Package.swift || echo ' plus uncommitted changes in Sources/Package.swift')"
} > "$results/machine.md"

python3 "$here/measure.py" --closer "$bin/closer" --bench "$bin/closer-bench-tui" --workdir "$work" \
    --results "$results" --socket "$socket" --runs "$runs" --keys "$keys" --key-interval "$interval" \
    --idle "$idle" --iterations "$iterations" --only "$only" &
measure_pid=$!
wait "$measure_pid"
measure_pid=""

{
    cat "$results/machine.md"
    echo
    python3 "$here/report.py" "$results"
} > "$results/summary.md"
cat "$results/summary.md"
echo >&2
echo "raw results: $results" >&2
