#!/usr/bin/env bash
# bench/notify/run.sh: email open -> toast latency, and responsiveness under a burst of opens
# (see bench/README.md, "Live notifications"). Builds closer and closer-server in release in the
# shared scratch folder .build-bench (unless BENCH_SKIP_BUILD=1), runs notify.py BENCH_RUNS times
# (3), prints the tables and keeps the raw JSON in bench/notify/results/<timestamp>/ (git-ignored).
# Everything it starts (server, tmux, temp folders) is stopped and removed by notify.py, also on failure.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
scratch="$root/.build-bench"
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
    (cd "$root" && scripts/swift-release-build.sh --product closer --scratch-path "$scratch" >&2)
    (cd "$root" && scripts/swift-release-build.sh --product closer-server --scratch-path "$scratch" >&2)
fi
bin="$(cd "$root" && swift build -c release --scratch-path "$scratch" --show-bin-path)"
out="$here/results/$(date +%Y%m%d-%H%M%S)"
python3 "$here/notify.py" --bin "$bin" --out "$out" --runs "${BENCH_RUNS:-3}" --opens "${BENCH_OPENS:-200}" --burst "${BENCH_BURST:-500}"
python3 "$here/report.py" "$out" | tee "$out/report.md"
